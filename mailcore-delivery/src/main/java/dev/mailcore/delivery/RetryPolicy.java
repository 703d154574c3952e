package dev.mailcore.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link DeliveryQueue} retries deferred recipients and when it gives up, with Postfix's names and defaults.
 *
 * <p>After the n-th failed attempt of a recipient the next attempt is due {@code minimalBackoff * 2^(n-1)} later,
 * bounded by {@code maximalBackoff} (300 s, 600 s, 1200 s, 2400 s, 4000 s, 4000 s… with the defaults), and never
 * later than the message's expiry, when one last attempt is made. A recipient still deferred once the message is
 * older than {@code maximalLifetime} ({@code bounceLifetime} for a message with the null sender, i.e. a bounce) is
 * bounced with its last error.
 *
 * @param minimalBackoff  the first retry delay (Postfix {@code minimal_backoff_time}, 300 s); positive
 * @param maximalBackoff  the longest retry delay (Postfix {@code maximal_backoff_time}, 4000 s); at least the minimal
 * @param maximalLifetime how long a message is retried (Postfix {@code maximal_queue_lifetime}, 5 days)
 * @param bounceLifetime  how long a bounce is retried (Postfix {@code bounce_queue_lifetime}, 5 days)
 * @param delayWarning    after how long a sender is told that a message is delayed (Postfix
 *                        {@code delay_warning_time}), or {@code null} for never (the default)
 */
public record RetryPolicy(Duration minimalBackoff, Duration maximalBackoff, Duration maximalLifetime,
                          Duration bounceLifetime, Duration delayWarning) {

    /** Postfix's defaults: 300 s, 4000 s, 5 days, 5 days, no delay warning. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(Duration.ofSeconds(300), Duration.ofSeconds(4000),
            Duration.ofDays(5), Duration.ofDays(5), null);

    public RetryPolicy {
        Objects.requireNonNull(minimalBackoff, "minimalBackoff");
        Objects.requireNonNull(maximalBackoff, "maximalBackoff");
        Objects.requireNonNull(maximalLifetime, "maximalLifetime");
        Objects.requireNonNull(bounceLifetime, "bounceLifetime");
        if (minimalBackoff.isNegative() || minimalBackoff.isZero()) {
            throw new IllegalArgumentException("minimalBackoff must be positive");
        }
        if (maximalBackoff.compareTo(minimalBackoff) < 0) {
            throw new IllegalArgumentException("maximalBackoff must be at least minimalBackoff");
        }
        if (maximalLifetime.isNegative() || bounceLifetime.isNegative()) {
            throw new IllegalArgumentException("lifetimes must not be negative");
        }
        if (delayWarning != null && (delayWarning.isNegative() || delayWarning.isZero())) {
            throw new IllegalArgumentException("delayWarning must be positive or null");
        }
    }

    /** The delay before the next attempt after {@code failedAttempts} failed attempts (at least 1). */
    public Duration backoffAfter(int failedAttempts) {
        int n = Math.max(1, failedAttempts);
        Duration delay = minimalBackoff;
        for (int i = 1; i < n; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(maximalBackoff) >= 0) {
                return maximalBackoff;
            }
        }
        return delay.compareTo(maximalBackoff) > 0 ? maximalBackoff : delay;
    }

    /** This policy with another minimal and maximal backoff. */
    public RetryPolicy withBackoff(Duration minimal, Duration maximal) {
        return new RetryPolicy(minimal, maximal, maximalLifetime, bounceLifetime, delayWarning);
    }

    /** This policy with other lifetimes for messages and for bounces. */
    public RetryPolicy withLifetimes(Duration messages, Duration bounces) {
        return new RetryPolicy(minimalBackoff, maximalBackoff, messages, bounces, delayWarning);
    }

    /** This policy with a delay warning after {@code after} ({@code null}: none). */
    public RetryPolicy withDelayWarning(Duration after) {
        return new RetryPolicy(minimalBackoff, maximalBackoff, maximalLifetime, bounceLifetime, after);
    }
}
