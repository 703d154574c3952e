package dev.mailcore.testing;

import dev.mailcore.delivery.dns.MxResult;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.smtp.policy.DomainResolver.Status;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class FixturesTest {

    @Test
    void aManualClockMovesOnlyWhenTold() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
        Clock zoned = clock.withZone(ZoneId.of("Europe/Berlin"));
        clock.set(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(zoned.instant()).as("views share the time").isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(zoned.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void fakeDnsAnswersWhatWasDeclaredAndRecordsLookups() {
        FakeDns dns = new FakeDns().found("Example.COM").nullMx("nomail.example").temporaryFailure("flaky.example");
        assertThat(dns.resolve("example.com")).isEqualTo(Status.FOUND);
        assertThat(dns.resolve("example.com.")).isEqualTo(Status.FOUND);
        assertThat(dns.resolve("nomail.example")).isEqualTo(Status.NULL_MX);
        assertThat(dns.resolve("flaky.example")).isEqualTo(Status.TEMPORARY_FAILURE);
        assertThat(dns.resolve("unknown.example")).isEqualTo(Status.NOT_FOUND);
        dns.otherwise(Status.FOUND);
        assertThat(dns.resolve("unknown.example")).isEqualTo(Status.FOUND);
        assertThat(dns.lookups()).containsExactly("example.com", "example.com", "nomail.example", "flaky.example",
                "unknown.example", "unknown.example");
    }

    @Test
    void fakeDnsAnswersMxLookupsWithLoopbackExchangersUnlessAddressesAreDeclared() throws Exception {
        FakeDns dns = new FakeDns().mx("Remote.example", "mx1.remote.example", "mx2.remote.example")
                .address("mx2.remote.example", "127.0.0.2").found("plain.example").nullMx("nomail.example")
                .temporaryFailure("flaky.example");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertThat(dns.resolveMx("remote.example")).isEqualTo(new MxResult.Hosts(java.util.List.of(
                new NextHop("mx1.remote.example", 10, java.util.List.of(loopback)),
                new NextHop("mx2.remote.example", 20, java.util.List.of(InetAddress.getByName("127.0.0.2"))))));
        assertThat(dns.resolve("remote.example")).isEqualTo(Status.FOUND);
        assertThat(dns.resolveMx("plain.example")).isEqualTo(new MxResult.Hosts(java.util.List.of(
                new NextHop("plain.example", 0, java.util.List.of(loopback)))));
        assertThat(dns.resolveMx("nomail.example")).isInstanceOf(MxResult.NullMx.class);
        assertThat(dns.resolveMx("flaky.example")).isInstanceOf(MxResult.TemporaryFailure.class);
        assertThat(dns.resolveMx("unknown.example")).isInstanceOf(MxResult.NotFound.class);
        assertThat(dns.resolveHost("relay.example")).isEqualTo(new MxResult.Hosts(java.util.List.of(
                new NextHop("relay.example", 0, java.util.List.of(loopback)))));
        assertThat(dns.lookups()).startsWith("remote.example", "remote.example", "plain.example");
    }
}
