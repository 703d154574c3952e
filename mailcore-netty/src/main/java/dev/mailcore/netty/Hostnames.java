package dev.mailcore.netty;

import java.net.InetAddress;

/** The name a server or client uses for itself when the host configured none. */
public final class Hostnames {

    private Hostnames() {
    }

    /**
     * This machine's host name (canonical: a DNS lookup, for EHLO names; otherwise as the system reports it), or
     * {@code localhost} when there is none or it is not plain printable ASCII.
     */
    public static String local(boolean canonical) {
        try {
            InetAddress self = InetAddress.getLocalHost();
            String name = canonical ? self.getCanonicalHostName() : self.getHostName();
            if (name != null && !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 127)) {
                return name;
            }
        } catch (Exception e) {
            // no usable name
        }
        return "localhost";
    }
}
