package dev.mailcore.netty;

import dev.mailcore.api.MailcoreException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthThrottleTest {

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-25T03:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MutableClock clock = new MutableClock();
    final InetAddress attacker = InetAddress.getLoopbackAddress();
    final InetAddress other;

    AuthThrottleTest() throws Exception {
        other = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7});
    }

    @Test
    void delaysDoubleAfterTheFreeFailuresUpToTheCap() {
        AuthThrottle throttle = AuthThrottle.builder().delayAfter(2).baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(5)).build();
        assertThat(throttle.delayFor(1)).isZero();
        assertThat(throttle.delayFor(2)).isZero();
        assertThat(throttle.delayFor(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.delayFor(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.delayFor(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(throttle.delayFor(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(throttle.delayFor(1000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void countsFailuresPerAddressAndBlocksAtTheLimit() {
        AuthThrottle throttle = AuthThrottle.builder().clock(clock).blockAfter(3).build();
        assertThat(throttle.recordFailure(attacker)).isEqualTo(1);
        assertThat(throttle.recordFailure(attacker)).isEqualTo(2);
        assertThat(throttle.isBlocked(attacker)).isFalse();
        assertThat(throttle.recordFailure(attacker)).isEqualTo(3);
        assertThat(throttle.isBlocked(attacker)).isTrue();
        assertThat(throttle.isBlocked(other)).isFalse();
        assertThat(throttle.failures(other)).isZero();
    }

    @Test
    void failuresLeaveTheWindow() {
        AuthThrottle throttle = AuthThrottle.builder().clock(clock).window(Duration.ofMinutes(10)).blockAfter(2)
                .build();
        throttle.recordFailure(attacker);
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        throttle.recordFailure(attacker);
        assertThat(throttle.isBlocked(attacker)).isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(throttle.failures(attacker)).isEqualTo(1);
        assertThat(throttle.isBlocked(attacker)).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertThat(throttle.failures(attacker)).isZero();
    }

    @Test
    void resetUnblocks() {
        AuthThrottle throttle = AuthThrottle.builder().clock(clock).blockAfter(1).build();
        throttle.recordFailure(attacker);
        assertThat(throttle.isBlocked(attacker)).isTrue();
        throttle.reset(attacker);
        assertThat(throttle.isBlocked(attacker)).isFalse();
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> AuthThrottle.builder().blockAfter(0).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> AuthThrottle.builder().window(Duration.ZERO).build())
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> AuthThrottle.builder().baseDelay(Duration.ofSeconds(10))
                .maxDelay(Duration.ofSeconds(1)).build()).isInstanceOf(MailcoreException.class);
    }
}
