package dev.mailcore.netty;

import dev.mailcore.api.MailcoreException;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed SMTP AUTH attempts per client IP address across connections, over a sliding window, and says how to
 * answer them: the first {@link Builder#delayAfter(int) delayAfter} failures in the window are answered at once,
 * later ones after a delay that doubles with each failure ({@code baseDelay}, 2 × {@code baseDelay}, 4 × … up to
 * {@code maxDelay}); once {@link Builder#blockAfter(int) blockAfter} failures are in the window, new AUTH attempts
 * from that address get {@code 421 4.7.0} and the connection is closed, until old failures leave the window.
 *
 * <pre>{@code
 * AuthThrottle throttle = AuthThrottle.builder().delayAfter(3).blockAfter(10).window(Duration.ofMinutes(15)).build();
 * SmtpConfig.builder().authThrottle(throttle); // share it between the submission and MX configs
 * }</pre>
 *
 * <p>One instance is meant to be shared by every listener of a server. It is thread-safe. The same limits also
 * apply within one connection (a connection is closed after {@code blockAfter} failures of its own).
 */
public final class AuthThrottle {
    /** Failures answered without delay, by default. */
    public static final int DEFAULT_DELAY_AFTER = 3;
    /** Failures in the window after which the address is blocked, by default. */
    public static final int DEFAULT_BLOCK_AFTER = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(16);
    /** Addresses tracked at most; beyond it the oldest entries are forgotten (a memory bound under attack). */
    static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final Duration window;
    private final int delayAfter;
    private final int blockAfter;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Map<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();

    private AuthThrottle(Builder b) {
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.window = b.window;
        this.delayAfter = b.delayAfter;
        this.blockAfter = b.blockAfter;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        if (window.isNegative() || window.isZero() || delayAfter < 0 || blockAfter < 1 || baseDelay.isNegative()
                || maxDelay.compareTo(baseDelay) < 0) {
            throw new MailcoreException("AuthThrottle limits out of range: window=" + window + ", delayAfter="
                    + delayAfter + ", blockAfter=" + blockAfter + ", baseDelay=" + baseDelay + ", maxDelay="
                    + maxDelay);
        }
    }

    /** A throttle with the defaults and the system UTC clock. */
    public static AuthThrottle withDefaults() {
        return builder().build();
    }

    /** A new builder; every setting has a default (see the constants). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records one failed authentication from {@code address}.
     *
     * @return the failures from that address inside the window, this one included
     */
    public int recordFailure(InetAddress address) {
        if (address == null) {
            return 0;
        }
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            prune(now);
        }
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            times.addLast(now);
            return times.size();
        }
    }

    /** The failures from {@code address} inside the window. */
    public int failures(InetAddress address) {
        if (address == null) {
            return 0;
        }
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            expire(times, clock.instant());
            return times.size();
        }
    }

    /** Whether new AUTH attempts from {@code address} are refused now. */
    public boolean isBlocked(InetAddress address) {
        return failures(address) >= blockAfter;
    }

    /** Whether {@code failures} (of one address, or of one connection) reach the block limit. */
    public boolean reachesBlock(int failures) {
        return failures >= blockAfter;
    }

    /** How long to hold back the reply to the failure that made the count {@code failures}. */
    public Duration delayFor(int failures) {
        if (failures <= delayAfter) {
            return Duration.ZERO;
        }
        int doublings = failures - delayAfter - 1;
        if (doublings >= 30) {
            return maxDelay;
        }
        Duration delay = baseDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Forgets the failures of {@code address} (an administrator's unblock). */
    public void reset(InetAddress address) {
        failures.remove(address);
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
    }

    private void prune(Instant now) {
        for (Iterator<Map.Entry<InetAddress, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> times = it.next().getValue();
            synchronized (times) {
                expire(times, now);
                if (times.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (failures.size() >= MAX_TRACKED) {
            failures.clear(); // still full of live entries: forget everything rather than grow without bound
        }
    }

    /** Builds an {@link AuthThrottle}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration window = DEFAULT_WINDOW;
        private int delayAfter = DEFAULT_DELAY_AFTER;
        private int blockAfter = DEFAULT_BLOCK_AFTER;
        private Duration baseDelay = DEFAULT_BASE_DELAY;
        private Duration maxDelay = DEFAULT_MAX_DELAY;

        private Builder() {
        }

        /** Default the system UTC clock; failures older than the window are forgotten by this clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Default 15 minutes. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /** Failures answered at once before the delays start; default 3. */
        public Builder delayAfter(int delayAfter) {
            this.delayAfter = delayAfter;
            return this;
        }

        /** Failures in the window after which the address is blocked; default 10. */
        public Builder blockAfter(int blockAfter) {
            this.blockAfter = blockAfter;
            return this;
        }

        /** The first delay, doubled for each further failure; default 1 second. */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
            return this;
        }

        /** The longest delay; default 16 seconds. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        public AuthThrottle build() {
            return new AuthThrottle(this);
        }
    }
}
