package dev.mailcore.smtp.internal.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Parsing of IP address text without any DNS lookup, and IPv4-mapped IPv6 normalisation. */
public final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * Parses a dotted-quad IPv4 address or an IPv6 address (optionally in brackets or with an {@code IPv6:} tag);
     * never resolves a name. An IPv4-mapped IPv6 address gives the IPv4 address.
     */
    public static Optional<InetAddress> parse(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        byte[] v4 = parseIpv4(s);
        if (v4 != null) {
            return Optional.of(byAddress(v4));
        }
        if (s.indexOf(':') < 0 || s.indexOf('%') >= 0) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return Optional.empty();
            }
        }
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0 && parseIpv4(s.substring(lastColon + 1)) == null) {
            return Optional.empty(); // the JDK would accept odd embedded IPv4 forms; we do not
        }
        try {
            // a text with ':' made of hex digits is parsed as an IPv6 literal by the JDK, never looked up
            return Optional.of(normalize(InetAddress.getByName(s)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Strict dotted quad: four decimal octets 0–255 without leading zeros; {@code null} if not one. */
    public static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            Integer v = octet(parts[i]);
            if (v == null) {
                return null;
            }
            out[i] = (byte) (int) v;
        }
        return out;
    }

    /** A decimal octet 0–255 without leading zeros, or {@code null}. */
    public static Integer octet(String p) {
        if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') {
            return null;
        }
        for (int j = 0; j < p.length(); j++) {
            if (p.charAt(j) < '0' || p.charAt(j) > '9') {
                return null;
            }
        }
        int v = Integer.parseInt(p);
        return v > 255 ? null : v;
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its IPv4 address; scope ids dropped; else as is. */
    public static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            if (mapped) {
                return byAddress(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if (((Inet6Address) address).getScopeId() != 0 || ((Inet6Address) address).getScopedInterface() != null) {
                return byAddress(b);
            }
        }
        return address;
    }

    /** {@link InetAddress#getByAddress(byte[])} for 4 or 16 bytes, without the checked exception. */
    public static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + bytes.length, e);
        }
    }
}
