package dev.mailcore.testing;

import dev.mailcore.smtp.policy.DomainResolver.Status;
import org.junit.jupiter.api.Test;

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
}
