package dev.mailcore.smtp.policy;

import dev.mailcore.smtp.internal.policy.IpLiterals;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class CidrPropertiesTest {

    record Case(byte[] network, byte[] candidate, int prefix) {
    }

    @Provide
    Arbitrary<Case> ipv4Cases() {
        return cases(4);
    }

    @Provide
    Arbitrary<Case> ipv6Cases() {
        return cases(16);
    }

    private static Arbitrary<Case> cases(int length) {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofSize(length);
        // candidates often share a prefix with the network, so both outcomes occur
        return Combinators.combine(bytes, bytes, Arbitraries.integers().between(0, length * 8),
                Arbitraries.integers().between(0, length * 8)).as((n, c, prefix, shared) -> {
                    byte[] cand = n.clone();
                    BigInteger mixed = bits(n).xor(bits(c).shiftRight(shared));
                    byte[] raw = mixed.toByteArray();
                    for (int i = 0; i < length; i++) {
                        int src = raw.length - length + i;
                        cand[i] = src >= 0 ? raw[src] : 0;
                    }
                    return new Case(n, cand, prefix);
                });
    }

    private static BigInteger bits(byte[] b) {
        return new BigInteger(1, b);
    }

    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int width = a.length * 8;
        return bits(a).shiftRight(width - prefix).equals(bits(b).shiftRight(width - prefix));
    }

    @Property
    void ipv4ContainsExactlyTheAddressesSharingThePrefix(@ForAll("ipv4Cases") Case c) {
        check(c);
    }

    @Property
    void ipv6ContainsExactlyTheAddressesSharingThePrefix(@ForAll("ipv6Cases") Case c) {
        if (isMapped(c.network()) || isMapped(c.candidate())) {
            return; // IPv4-mapped addresses count as IPv4, covered by CidrTest
        }
        check(c);
    }

    @Property
    void parsingTheTextFormGivesTheSameNetwork(@ForAll("ipv6Cases") Case c) {
        if (isMapped(c.network())) {
            return;
        }
        Cidr cidr = Cidr.of(IpLiterals.byAddress(c.network()), c.prefix());
        assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
    }

    private static void check(Case c) {
        InetAddress network = IpLiterals.byAddress(c.network());
        InetAddress candidate = IpLiterals.byAddress(c.candidate());
        Cidr cidr = Cidr.of(network, c.prefix());
        assertThat(cidr.contains(network)).isTrue();
        assertThat(cidr.contains(candidate)).isEqualTo(samePrefix(c.network(), c.candidate(), c.prefix()));
    }

    private static boolean isMapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
