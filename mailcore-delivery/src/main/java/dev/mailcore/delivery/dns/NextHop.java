package dev.mailcore.delivery.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One mail exchanger to try, with the addresses to connect to in order.
 *
 * @param hostname   the exchanger's host name (the MX target, the domain itself for an implicit MX, or a smarthost)
 * @param preference the MX preference (lower first); 0 for an implicit MX
 * @param addresses  the host's IPv4 and IPv6 addresses; empty when none could be found
 */
public record NextHop(String hostname, int preference, List<InetAddress> addresses) {
    public NextHop {
        Objects.requireNonNull(hostname, "hostname");
        addresses = List.copyOf(addresses);
    }

    /** A hop with a preference of 0. */
    public static NextHop of(String hostname, InetAddress... addresses) {
        return new NextHop(hostname, 0, List.of(addresses));
    }
}
