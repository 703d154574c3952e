package dev.mailcore.delivery.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** DnsMxResolver against an in-JVM DNS server on loopback. */
class DnsMxResolverIT {
    private final TestDnsServer dns;

    DnsMxResolverIT() throws Exception {
        dns = new TestDnsServer();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private static List<NextHop> hops(MxResult result) {
        assertThat(result).isInstanceOf(MxResult.Hosts.class);
        return ((MxResult.Hosts) result).hops();
    }

    @Test
    void ordersMxHostsByPreferenceWithTheirAddresses() throws Exception {
        dns.mx("example.org", 20, "backup.example.org").mx("example.org", 10, "mx.example.org")
                .a("mx.example.org", "192.0.2.1").aaaa("mx.example.org", "2001:db8::1")
                .a("backup.example.org", "192.0.2.2");

        List<NextHop> hops = hops(dns.resolver().resolveMx("example.org"));

        assertThat(hops).extracting(NextHop::hostname).containsExactly("mx.example.org", "backup.example.org");
        assertThat(hops).extracting(NextHop::preference).containsExactly(10, 20);
        assertThat(hops.get(0).addresses()).containsExactly(InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("2001:db8::1"));
        assertThat(hops.get(1).addresses()).containsExactly(InetAddress.getByName("192.0.2.2"));
    }

    @Test
    void shufflesMxHostsOfEqualPreference() throws Exception {
        dns.mx("example.org", 10, "a.example.org").mx("example.org", 10, "b.example.org")
                .mx("example.org", 5, "first.example.org")
                .a("a.example.org", "192.0.2.1").a("b.example.org", "192.0.2.2").a("first.example.org", "192.0.2.3");
        DnsMxResolver resolver = DnsMxResolver.builder().servers(dns.address()).random(new Random(42)).build();

        Set<String> orders = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            List<NextHop> hops = hops(resolver.resolveMx("example.org"));
            assertThat(hops.get(0).hostname()).isEqualTo("first.example.org");
            orders.add(hops.get(1).hostname() + "," + hops.get(2).hostname());
        }
        assertThat(orders).containsExactlyInAnyOrder("a.example.org,b.example.org", "b.example.org,a.example.org");
    }

    @Test
    void usesTheDomainsOwnAddressesWhenThereIsNoMx() throws Exception {
        dns.a("plain.example", "192.0.2.7");

        List<NextHop> hops = hops(dns.resolver().resolveMx("plain.example"));

        assertThat(hops).singleElement().satisfies(h -> {
            assertThat(h.hostname()).isEqualTo("plain.example");
            assertThat(h.addresses()).containsExactly(InetAddress.getByName("192.0.2.7"));
        });
    }

    @Test
    void recognisesANullMx() {
        dns.mx("nomail.example", 0, ".");

        assertThat(dns.resolver().resolveMx("nomail.example")).isInstanceOf(MxResult.NullMx.class);
    }

    @Test
    void reportsANonExistentDomainAsNotFound() {
        assertThat(dns.resolver().resolveMx("missing.example")).isInstanceOf(MxResult.NotFound.class);
    }

    @Test
    void reportsADomainWithoutMxOrAddressAsNotFound() {
        dns.txt("textonly.example", "v=spf1 -all");

        assertThat(dns.resolver().resolveMx("textonly.example")).isInstanceOf(MxResult.NotFound.class);
    }

    @Test
    void followsACnameOfTheDomain() throws Exception {
        dns.cname("alias.example", "target.example").mx("target.example", 10, "mx.target.example")
                .a("mx.target.example", "192.0.2.9");

        assertThat(hops(dns.resolver().resolveMx("alias.example"))).extracting(NextHop::hostname)
                .containsExactly("mx.target.example");
    }

    @Test
    void followsCnamesOfMxTargets() throws Exception {
        dns.mx("example.org", 10, "alias.example.org").cname("alias.example.org", "real.example.net")
                .a("real.example.net", "192.0.2.44");

        List<NextHop> hops = hops(dns.resolver().resolveMx("example.org"));

        assertThat(hops).singleElement().satisfies(h -> {
            assertThat(h.hostname()).isEqualTo("alias.example.org");
            assertThat(h.addresses()).containsExactly(InetAddress.getByName("192.0.2.44"));
        });
    }

    @Test
    void skipsMxTargetsThatAreIpAddresses() throws Exception {
        dns.mx("example.org", 10, "192.0.2.1").mx("example.org", 20, "mx.example.org")
                .a("mx.example.org", "192.0.2.5");

        assertThat(hops(dns.resolver().resolveMx("example.org"))).extracting(NextHop::hostname)
                .containsExactly("mx.example.org");
    }

    @Test
    void reportsATimeoutAsTemporaryFailure() {
        dns.silentFor("slow.example");

        MxResult result = dns.resolver().resolveMx("slow.example");

        assertThat(result).isInstanceOf(MxResult.TemporaryFailure.class);
        assertThat(dns.queries.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void reportsServfailAsTemporaryFailure() {
        dns.servfailFor("broken.example");

        assertThat(dns.resolver().resolveMx("broken.example")).isInstanceOf(MxResult.TemporaryFailure.class);
    }

    @Test
    void reportsAnMxHostLookupTimeoutAsTemporaryFailure() {
        dns.mx("example.org", 10, "mx.example.org").silentFor("mx.example.org");

        assertThat(dns.resolver().resolveMx("example.org")).isInstanceOf(MxResult.TemporaryFailure.class);
    }

    @Test
    void resolvesASmarthostWithoutMxLookup() throws Exception {
        dns.a("relay.example", "192.0.2.77").mx("relay.example", 10, "elsewhere.example");

        List<NextHop> hops = hops(dns.resolver().resolveHost("relay.example"));

        assertThat(hops).singleElement().satisfies(h -> {
            assertThat(h.hostname()).isEqualTo("relay.example");
            assertThat(h.addresses()).containsExactly(InetAddress.getByName("192.0.2.77"));
        });
        assertThat(dns.asked).noneMatch(q -> q.startsWith("MX"));
    }
}
