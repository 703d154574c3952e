package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.mailcore.smtp.policy.Sessions.sender;
import static dev.mailcore.smtp.policy.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTest {
    static final Decision LIMITED = new Decision.Defer(SmtpReply.of(451, "4.7.1", "Rate limit exceeded, try again later"));
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:50Z"));

    static Decision mail(RateLimits limits, SessionInfo s) {
        return limits.onMailFrom(s, sender("a@example.com"), MailParameters.NONE);
    }

    @Test
    void defersTheMessageOverThePerIpLimit() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(3).clock(clock).build();
        SessionInfo s = Sessions.from("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT);
        }
        assertThat(mail(limits, s)).isEqualTo(LIMITED);
        assertThat(mail(limits, Sessions.from("192.0.2.2"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void slidingWindowSpansMinuteBoundaries() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(2).clock(clock).build();
        SessionInfo s = Sessions.from("192.0.2.1");
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT); // 10:00:50
        clock.advance(Duration.ofSeconds(9));
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT); // 10:00:59
        clock.advance(Duration.ofSeconds(2));
        assertThat(mail(limits, s)).isEqualTo(LIMITED); // 10:01:01: a new calendar minute does not reset the count
        clock.advance(Duration.ofSeconds(48));
        assertThat(mail(limits, s)).isEqualTo(LIMITED); // 10:01:49: both still within the last minute
        clock.advance(Duration.ofSeconds(1));
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT); // 10:01:50: the first one left the window
        assertThat(mail(limits, s)).isEqualTo(LIMITED);
        clock.advance(Duration.ofSeconds(9));
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT); // 10:01:59: the second one left the window
    }

    @Test
    void refusedAttemptsAreNotCounted() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(1).clock(clock).build();
        SessionInfo s = Sessions.from("192.0.2.1");
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(mail(limits, s)).isEqualTo(LIMITED);
        }
        clock.advance(Duration.ofSeconds(10));
        assertThat(mail(limits, s)).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void limitsAuthenticatedUsersAcrossAddresses() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerUser(2).clock(clock).build();
        assertThat(mail(limits, session("1", "192.0.2.1", "h.example", "alice"))).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, session("2", "198.51.100.1", "h.example", "Alice"))).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, session("3", "203.0.113.1", "h.example", "alice"))).isEqualTo(LIMITED);
        assertThat(mail(limits, session("4", "203.0.113.1", "h.example", "bob"))).isEqualTo(Decision.ACCEPT);
        for (int i = 0; i < 5; i++) { // no per-IP limit configured, so anonymous sessions are not limited
            assertThat(mail(limits, Sessions.from("203.0.113.1"))).isEqualTo(Decision.ACCEPT);
        }
    }

    @Test
    void bothLimitsApplyToAnAuthenticatedSessionAndOnlyAcceptedMessagesCount() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(2).messagesPerMinutePerUser(3)
                .clock(clock).build();
        SessionInfo alice = session("1", "192.0.2.1", "h.example", "alice");
        assertThat(mail(limits, alice)).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, alice)).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, alice)).isEqualTo(LIMITED); // the IP limit
        SessionInfo aliceElsewhere = session("2", "192.0.2.9", "h.example", "alice");
        assertThat(mail(limits, aliceElsewhere)).isEqualTo(Decision.ACCEPT); // user count 3: refused one not counted
        assertThat(mail(limits, aliceElsewhere)).isEqualTo(LIMITED); // the user limit
    }

    @Test
    void ipv4MappedClientsShareTheIpv4Counter() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(1).clock(clock).build();
        assertThat(mail(limits, Sessions.from("192.0.2.1"))).isEqualTo(Decision.ACCEPT);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        SessionInfo viaV6 = new SessionInfo("m", "smtp",
                new java.net.InetSocketAddress(dev.mailcore.smtp.internal.policy.IpLiterals.byAddress(mapped), 1),
                new java.net.InetSocketAddress(Sessions.ip("192.0.2.254"), 25), null, null, null);
        assertThat(mail(limits, viaV6)).isEqualTo(LIMITED);
    }

    @Test
    void exemptNetworksAreNeverLimited() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(1).exempt(Cidr.parse("127.0.0.0/8"))
                .clock(clock).build();
        for (int i = 0; i < 5; i++) {
            assertThat(mail(limits, Sessions.from("127.0.0.1"))).isEqualTo(Decision.ACCEPT);
        }
        assertThat(limits.trackedKeys()).isZero();
    }

    @Test
    void forgetsTheLeastRecentlyActiveKeysBeyondTheBound() {
        RateLimits limits = RateLimits.builder().messagesPerMinutePerIp(1).maxTrackedKeys(2).clock(clock).build();
        assertThat(mail(limits, Sessions.from("192.0.2.1"))).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, Sessions.from("192.0.2.2"))).isEqualTo(Decision.ACCEPT);
        assertThat(mail(limits, Sessions.from("192.0.2.1"))).isEqualTo(LIMITED); // touches .1, so .2 is the eldest
        assertThat(mail(limits, Sessions.from("192.0.2.3"))).isEqualTo(Decision.ACCEPT); // evicts .2
        assertThat(limits.trackedKeys()).isEqualTo(2);
        assertThat(mail(limits, Sessions.from("192.0.2.2"))).isEqualTo(Decision.ACCEPT); // .2 starts afresh
        assertThat(mail(limits, Sessions.from("192.0.2.3"))).isEqualTo(LIMITED);
    }

    @Test
    void withoutLimitsEverythingIsAccepted() {
        RateLimits limits = RateLimits.builder().clock(clock).build();
        for (int i = 0; i < 100; i++) {
            assertThat(mail(limits, session("x", "192.0.2.1", null, "alice"))).isEqualTo(Decision.ACCEPT);
        }
        assertThat(limits.trackedKeys()).isZero();
    }
}
