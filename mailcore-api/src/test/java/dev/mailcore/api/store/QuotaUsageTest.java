package dev.mailcore.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotaUsageTest {

    private static final long U = QuotaUsage.UNLIMITED;

    @Test
    void allowsUpToTheByteLimitInclusive() {
        QuotaUsage q = new QuotaUsage(900, 1000, 1, U);
        assertThat(q.allows(100)).isTrue();
        assertThat(q.allows(101)).isFalse();
        assertThat(q.allows(0)).isTrue();
    }

    @Test
    void allowsUpToTheMessageLimitInclusive() {
        assertThat(new QuotaUsage(0, U, 9, 10).allows(1)).isTrue();
        assertThat(new QuotaUsage(0, U, 10, 10).allows(1)).isFalse();
        assertThat(new QuotaUsage(0, U, 0, 0).allows(0)).isFalse();
    }

    @Test
    void needsBothLimitsToAllow() {
        assertThat(new QuotaUsage(900, 1000, 10, 10).allows(1)).isFalse();
        assertThat(new QuotaUsage(1000, 1000, 0, 10).allows(1)).isFalse();
    }

    @Test
    void unlimitedAllowsAnything() {
        QuotaUsage q = new QuotaUsage(Long.MAX_VALUE - 1, U, Long.MAX_VALUE - 1, U);
        assertThat(q.allows(Long.MAX_VALUE)).isTrue();
    }

    @Test
    void largeSizesDoNotOverflowIntoAllowing() {
        QuotaUsage q = new QuotaUsage(10, Long.MAX_VALUE - 1, 0, U);
        assertThat(q.allows(Long.MAX_VALUE - 5)).isFalse();
        assertThat(q.allows(Long.MAX_VALUE - 11)).isTrue();
        assertThat(new QuotaUsage(0, U, Long.MAX_VALUE - 1, Long.MAX_VALUE - 1).allows(1)).isFalse();
    }

    @Test
    void usageAlreadyOverTheLimitAllowsNothing() {
        assertThat(new QuotaUsage(2000, 1000, 0, U).allows(0)).isFalse();
        assertThat(new QuotaUsage(0, U, 20, 10).allows(0)).isFalse();
    }
}
