package dev.mailcore.smtp.policy;

import dev.mailcore.api.MailcoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.mailcore.smtp.policy.Sessions.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void matchesAddressesInsideAnIpv4NetworkOnly() {
        Cidr net = Cidr.parse("192.0.2.0/24");
        assertThat(net.contains(ip("192.0.2.0"))).isTrue();
        assertThat(net.contains(ip("192.0.2.255"))).isTrue();
        assertThat(net.contains(ip("192.0.3.0"))).isFalse();
        assertThat(net.contains(ip("192.0.1.255"))).isFalse();
    }

    @Test
    void handlesPrefixesThatAreNotOctetAligned() {
        Cidr net = Cidr.parse("198.51.100.64/26");
        assertThat(net.contains(ip("198.51.100.64"))).isTrue();
        assertThat(net.contains(ip("198.51.100.127"))).isTrue();
        assertThat(net.contains(ip("198.51.100.128"))).isFalse();
        assertThat(net.contains(ip("198.51.100.63"))).isFalse();
    }

    @Test
    void slashZeroMatchesEveryAddressOfItsFamilyOnly() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(ip("203.0.113.9"))).isFalse();
    }

    @Test
    void hostPrefixesMatchExactlyOneAddress() {
        assertThat(Cidr.parse("192.0.2.1/32").contains(ip("192.0.2.1"))).isTrue();
        assertThat(Cidr.parse("192.0.2.1/32").contains(ip("192.0.2.2"))).isFalse();
        assertThat(Cidr.parse("2001:db8::1/128").contains(ip("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::1/128").contains(ip("2001:db8::2"))).isFalse();
        assertThat(Cidr.parse("192.0.2.1").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("2001:db8::1").prefixLength()).isEqualTo(128);
    }

    @Test
    void matchesIpv6Networks() {
        Cidr net = Cidr.parse("2001:db8:abcd::/48");
        assertThat(net.contains(ip("2001:db8:abcd:ffff::1"))).isTrue();
        assertThat(net.contains(ip("2001:db8:abce::1"))).isFalse();
        assertThat(Cidr.parse("[2001:db8::]/32").contains(ip("2001:db8:1::1"))).isTrue();
        assertThat(Cidr.parse("IPv6:2001:db8::/32")).isEqualTo(Cidr.parse("2001:db8::/32"));
    }

    @Test
    void treatsIpv4MappedIpv6ClientsAsIpv4() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 7;
        java.net.InetAddress client = dev.mailcore.smtp.internal.policy.IpLiterals.byAddress(mapped);
        assertThat(Cidr.parse("192.0.2.0/24").contains(client)).isTrue();
        assertThat(Cidr.parse("::ffff:192.0.2.0/120")).isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(Cidr.parse("::ffff:192.0.2.0/120").contains(ip("192.0.2.99"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(client)).isFalse();
    }

    @Test
    void clearsHostBitsSoEqualNetworksCompareEqual() {
        assertThat(Cidr.parse("192.0.2.77/24")).isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(Cidr.parse("192.0.2.77/24").toString()).isEqualTo("192.0.2.0/24");
        assertThat(Cidr.parse("192.0.2.77/24").hashCode()).isEqualTo(Cidr.parse("192.0.2.0/24").hashCode());
        assertThat(Cidr.parse("2001:db8::ff/120").network()).isEqualTo(ip("2001:db8::"));
        assertThat(Cidr.of(ip("10.1.2.3"), 8)).isEqualTo(Cidr.parse("10.0.0.0/8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "192.0.2.0/33", "2001:db8::/129", "192.0.2/24", "192.0.2.256", "192.0.02.1",
            "example.com", "example.com/24", "192.0.2.0/", "192.0.2.0/-1", "192.0.2.0/2a", "fe80::1%eth0",
            "::ffff:192.0.2.0/95", "1::2::3", "abc"})
    void rejectsMalformedNetworks(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(MailcoreException.class);
    }

    @Test
    void rejectsPrefixLengthsOutOfRangeInCode() {
        assertThatThrownBy(() -> Cidr.of(ip("192.0.2.1"), 33)).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> Cidr.of(ip("192.0.2.1"), -1)).isInstanceOf(MailcoreException.class);
    }

    @Test
    void neverContainsNull() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(null)).isFalse();
    }
}
