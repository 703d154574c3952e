package dev.mailcore.delivery.dns;

import dev.mailcore.delivery.dns.internal.MxOrdering;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StaticMxResolverTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void answersFromItsTable() {
        StaticMxResolver resolver = StaticMxResolver.builder()
                .mx("Example.org.", NextHop.of("mx.example.org", LOOPBACK))
                .nullMx("nomail.example")
                .host(NextHop.of("relay.example", LOOPBACK))
                .build();

        assertThat(resolver.resolveMx("example.ORG")).isEqualTo(new MxResult.Hosts(List.of(
                NextHop.of("mx.example.org", LOOPBACK))));
        assertThat(resolver.resolveMx("nomail.example")).isInstanceOf(MxResult.NullMx.class);
        assertThat(resolver.resolveMx("other.example")).isInstanceOf(MxResult.NotFound.class);
        assertThat(resolver.resolveHost("relay.example")).isInstanceOf(MxResult.Hosts.class);
        assertThat(resolver.resolveHost("mx.example.org")).isInstanceOf(MxResult.Hosts.class);
        assertThat(resolver.resolveHost("unknown.example")).isInstanceOf(MxResult.NotFound.class);
    }

    @Test
    void ordersByPreferenceAndShufflesEqualOnes() {
        record Mx(String name, int pref) {
        }
        List<Mx> records = List.of(new Mx("c", 20), new Mx("a", 10), new Mx("b", 10), new Mx("d", 30));
        Random random = new Random(1);
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            List<Mx> ordered = MxOrdering.order(records, Mx::pref, random);
            assertThat(ordered).extracting(Mx::pref).containsExactly(10, 10, 20, 30);
            seen.add(ordered.stream().map(Mx::name).toList());
        }
        assertThat(seen).containsExactlyInAnyOrder(List.of("a", "b", "c", "d"), List.of("b", "a", "c", "d"));
    }

    @Test
    void resultsCheckTheirArguments() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MxResult.Hosts(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
