package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.smtp.internal.policy.IpLiterals;
import dev.mailcore.smtp.internal.policy.SlidingWindowCounters;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Message rate limits per client IP and per authenticated user, counted at {@link #onMailFrom MAIL FROM} (one MAIL
 * command = one message) in an exact sliding one-minute window on an injectable {@link Clock}.
 *
 * <p>A MAIL command is refused with {@code 451 4.7.1 Rate limit exceeded, try again later} when the client's IP has
 * already started {@code perIp} messages in the last 60 seconds, or the session's authenticated user {@code perUser}
 * messages (each limit only when configured; both apply to an authenticated session). A refused command is not
 * counted, so a client that keeps trying is admitted again exactly one minute after the oldest counted message.
 * Clients in an {@link Builder#exempt(Cidr) exempt} network are never limited. IPv4-mapped IPv6 clients count as
 * their IPv4 address.
 *
 * <p>Memory is bounded: each limit tracks at most {@link Builder#maxTrackedKeys(int)} IPs or users (10,000 by
 * default), dropping the least recently active first; a dropped key starts afresh, which can only let a client
 * through sooner, never block it wrongly. Each key costs about {@code 8 × limit} bytes. Thread-safe.
 *
 * <p>Since the count happens at MAIL FROM, put this policy <em>before</em> policies that may return a non-accept
 * decision at MAIL FROM (such as an access rule's {@code From:... RELAY}), which would otherwise skip the count.
 */
public final class RateLimits implements DeliveryPolicy, NonBlocking {
    private static final long MINUTE_MILLIS = 60_000L;

    private final Clock clock;
    private final int perIp;
    private final int perUser;
    private final List<Cidr> exempt;
    private final SlidingWindowCounters<String> ipCounters;
    private final SlidingWindowCounters<String> userCounters;

    private RateLimits(Builder b) {
        this.clock = b.clock;
        this.perIp = b.perIp;
        this.perUser = b.perUser;
        this.exempt = List.copyOf(b.exempt);
        this.ipCounters = perIp > 0 ? new SlidingWindowCounters<>(perIp, MINUTE_MILLIS, b.maxKeys) : null;
        this.userCounters = perUser > 0 ? new SlidingWindowCounters<>(perUser, MINUTE_MILLIS, b.maxKeys) : null;
    }

    /** A builder with no limits, the system UTC clock and 10,000 tracked keys per limit. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        InetAddress address = session.remote().getAddress();
        for (Cidr network : exempt) {
            if (network.contains(address)) {
                return Decision.ACCEPT;
            }
        }
        String ipKey = ipCounters == null ? null
                : address == null ? session.remote().getHostString() : IpLiterals.normalize(address).getHostAddress();
        String userKey = userCounters == null ? null
                : session.authenticatedUser().map(u -> u.toLowerCase(Locale.ROOT)).orElse(null);
        long now = clock.millis();
        synchronized (this) {
            if (ipKey != null && !ipCounters.wouldAllow(ipKey, now)
                    || userKey != null && !userCounters.wouldAllow(userKey, now)) {
                return Decision.defer(451, "4.7.1", "Rate limit exceeded, try again later");
            }
            if (ipKey != null) {
                ipCounters.record(ipKey, now);
            }
            if (userKey != null) {
                userCounters.record(userKey, now);
            }
        }
        return Decision.ACCEPT;
    }

    /** The number of client IPs and users being tracked now (for monitoring). */
    public int trackedKeys() {
        return (ipCounters == null ? 0 : ipCounters.size()) + (userCounters == null ? 0 : userCounters.size());
    }

    @Override
    public String toString() {
        return "RateLimits[perIp=" + (perIp > 0 ? perIp + "/min" : "off") + ", perUser="
                + (perUser > 0 ? perUser + "/min" : "off") + ", exempt=" + exempt + "]";
    }

    /** Builds {@link RateLimits}. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int perIp;
        private int perUser;
        private int maxKeys = 10_000;
        private final List<Cidr> exempt = new ArrayList<>();

        private Builder() {
        }

        /** At most this many messages per minute from one client IP; 0 (the default) for no limit. */
        public Builder messagesPerMinutePerIp(int limit) {
            this.perIp = nonNegative(limit);
            return this;
        }

        /** At most this many messages per minute per authenticated user; 0 (the default) for no limit. */
        public Builder messagesPerMinutePerUser(int limit) {
            this.perUser = nonNegative(limit);
            return this;
        }

        /** Never limits clients in this network (for example the host's own applications). */
        public Builder exempt(Cidr network) {
            exempt.add(Objects.requireNonNull(network, "network"));
            return this;
        }

        /** How many IPs (and, separately, users) to track at most; 10,000 by default. */
        public Builder maxTrackedKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new MailcoreException("maxTrackedKeys must be positive: " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** The clock that measures the windows; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The policy. */
        public RateLimits build() {
            return new RateLimits(this);
        }

        private static int nonNegative(int limit) {
            if (limit < 0) {
                throw new MailcoreException("a limit must not be negative: " + limit);
            }
            return limit;
        }
    }
}
