package dev.mailcore.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void defaultsAreThoseOfPostfix() {
        assertThat(RetryPolicy.DEFAULTS.minimalBackoff()).isEqualTo(Duration.ofSeconds(300));
        assertThat(RetryPolicy.DEFAULTS.maximalBackoff()).isEqualTo(Duration.ofSeconds(4000));
        assertThat(RetryPolicy.DEFAULTS.maximalLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(RetryPolicy.DEFAULTS.bounceLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(RetryPolicy.DEFAULTS.delayWarning()).isNull();
    }

    @Test
    void backoffDoublesUntilTheMaximal() {
        RetryPolicy p = RetryPolicy.DEFAULTS;
        assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofSeconds(300));
        assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofSeconds(600));
        assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofSeconds(1200));
        assertThat(p.backoffAfter(4)).isEqualTo(Duration.ofSeconds(2400));
        assertThat(p.backoffAfter(5)).isEqualTo(Duration.ofSeconds(4000));
        assertThat(p.backoffAfter(1000)).isEqualTo(Duration.ofSeconds(4000));
    }

    @Test
    void rejectsAMaximalBackoffBelowTheMinimal() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULTS.withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.DEFAULTS.withBackoff(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
