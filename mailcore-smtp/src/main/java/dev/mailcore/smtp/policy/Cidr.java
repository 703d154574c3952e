package dev.mailcore.smtp.policy;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.smtp.internal.policy.IpLiterals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}.
 *
 * <p>Parsing never touches DNS. A bare address is a host network ({@code /32} or {@code /128}); IPv6 may be written
 * in brackets ({@code [2001:db8::]/32}, as Postfix's {@code mynetworks} allows). Host bits below the prefix are
 * cleared, so {@code 192.0.2.7/24} equals {@code 192.0.2.0/24}.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:192.0.2.1}, what a dual-stack socket reports for an IPv4 client) are
 * treated as the IPv4 address they carry, both when matching and when parsing ({@code ::ffff:192.0.2.0/120} is
 * {@code 192.0.2.0/24}). Otherwise a network of one family never contains an address of the other, so {@code
 * 0.0.0.0/0} matches every IPv4 client and {@code ::/0} every IPv6 one.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        mask(this.network, prefixLength);
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws MailcoreException if the text is not an IP address with an optional prefix length in range
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new MailcoreException("CIDR text is null");
        }
        String s = text.trim();
        int slash = s.lastIndexOf('/');
        String addressText = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> address = IpLiterals.parse(addressText);
        if (address.isEmpty()) {
            throw new MailcoreException("not an IP network: " + text);
        }
        boolean mappedV6 = address.get() instanceof Inet4Address && addressText.indexOf(':') >= 0;
        int max = mappedV6 ? 128 : address.get().getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new MailcoreException("bad prefix length in " + text);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new MailcoreException("prefix length " + prefix + " out of range in " + text);
            }
        }
        if (mappedV6) {
            if (prefix < 96) {
                throw new MailcoreException("an IPv4-mapped network needs a prefix of at least 96: " + text);
            }
            prefix -= 96;
        }
        return new Cidr(address.get().getAddress(), prefix);
    }

    /**
     * The network of {@code address} with this prefix length.
     *
     * @throws MailcoreException if the prefix length does not fit the address family
     */
    public static Cidr of(InetAddress address, int prefixLength) {
        InetAddress a = IpLiterals.normalize(address);
        int max = a.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new MailcoreException("prefix length " + prefixLength + " out of range for " + a);
        }
        return new Cidr(a.getAddress(), prefixLength);
    }

    /** The host network of one address ({@code /32} or {@code /128}). */
    public static Cidr host(InetAddress address) {
        InetAddress a = IpLiterals.normalize(address);
        return new Cidr(a.getAddress(), a.getAddress().length * 8);
    }

    /** Whether {@code address} lies in this network (an IPv4-mapped IPv6 address counts as IPv4). */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = IpLiterals.normalize(address).getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (network[full] & 0xff);
    }

    /** The network address (host bits cleared). */
    public InetAddress network() {
        return IpLiterals.byAddress(network.clone());
    }

    /** The prefix length: 0–32 for IPv4, 0–128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            int m = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
            bytes[i] = (byte) (bytes[i] & m);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    /** {@code 192.0.2.0/24} or {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        return network().getHostAddress() + "/" + prefixLength;
    }
}
