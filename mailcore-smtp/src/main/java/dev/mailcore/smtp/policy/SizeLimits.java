package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.Filter;
import dev.mailcore.api.FilterResult;
import dev.mailcore.api.IncomingMessage;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.smtp.internal.policy.Domains;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Maximum message size per recipient domain. Register the same instance twice: as a {@link DeliveryPolicy} (early
 * refusal from the {@code SIZE=} the client declares) and as a {@link Filter} (the real size after DATA).
 *
 * <ul>
 *   <li>A limit for {@code example.com} also covers its subdomains; the most specific domain wins; other domains get
 *       the {@link Builder#defaultLimit(long) default limit}, if any, or none.</li>
 *   <li>{@link #onMailFrom MAIL FROM} with {@code SIZE=} larger than every limit (only when a default limit is set):
 *       {@code 552 5.3.4 Message size exceeds fixed limit}.</li>
 *   <li>{@link #onRecipient RCPT TO} when the transaction's declared {@code SIZE=} exceeds the recipient domain's
 *       limit: {@code 552 5.3.4 Message size exceeds fixed limit for <domain>}; other recipients go on.</li>
 *   <li>{@link #apply Filter}: when the message is larger than the smallest limit among its recipients' domains, the
 *       whole message is refused with {@code 552 5.3.4 Message size exceeds fixed limit}. The size measured is that
 *       of the content the filter sees, which includes the {@code Received:} header the server prepends.</li>
 * </ul>
 *
 * <p>{@link DeliveryPolicy#onRecipient} does not see the MAIL parameters, so the policy remembers the declared size
 * per session id from {@link #onMailFrom} (bounded: the oldest of at most 10,000 sessions is forgotten) and uses it
 * only for the same reverse path. Put it first in a {@link DeliveryPolicy#allOf policy chain} so that its
 * {@code onMailFrom} is always reached. Thread-safe.
 */
public final class SizeLimits implements DeliveryPolicy, Filter, NonBlocking {
    private static final int MAX_SESSIONS = 10_000;

    private final Map<String, Long> limits;
    private final long defaultLimit;
    private final long largestLimit;
    private final Map<String, Declared> declared;

    private record Declared(ReversePath from, long size) {
    }

    private SizeLimits(Builder b) {
        this.limits = Map.copyOf(b.limits);
        this.defaultLimit = b.defaultLimit;
        long max = defaultLimit;
        for (long l : limits.values()) {
            max = Math.max(max, l);
        }
        this.largestLimit = max;
        this.declared = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Declared> eldest) {
                return size() > MAX_SESSIONS;
            }
        };
    }

    /** A builder without limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limit in bytes for mail to {@code domain}, or empty when unlimited. */
    public OptionalLong limitFor(String domain) {
        for (String d : Domains.selfAndParents(Domains.normalize(domain))) {
            Long l = limits.get(d);
            if (l != null) {
                return OptionalLong.of(l);
            }
        }
        return defaultLimit > 0 ? OptionalLong.of(defaultLimit) : OptionalLong.empty();
    }

    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        synchronized (declared) {
            if (parameters.declaredSize().isPresent()) {
                declared.put(session.sessionId(), new Declared(from, parameters.declaredSize().getAsLong()));
            } else {
                declared.remove(session.sessionId());
            }
        }
        if (defaultLimit > 0 && parameters.declaredSize().isPresent()
                && parameters.declaredSize().getAsLong() > largestLimit) {
            return Decision.reject(552, "5.3.4", "Message size exceeds fixed limit");
        }
        return Decision.ACCEPT;
    }

    @Override
    public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
        Declared d;
        synchronized (declared) {
            d = declared.get(session.sessionId());
        }
        if (d == null || !d.from().equals(from)) {
            return Decision.ACCEPT;
        }
        String domain = recipient.address().normalizedDomain();
        OptionalLong limit = limitFor(domain);
        if (limit.isPresent() && d.size() > limit.getAsLong()) {
            return Decision.reject(552, "5.3.4", "Message size exceeds fixed limit for " + domain);
        }
        return Decision.ACCEPT;
    }

    @Override
    public FilterResult apply(IncomingMessage message) {
        long smallest = Long.MAX_VALUE;
        for (EnvelopeRecipient r : message.envelope().recipients()) {
            OptionalLong l = limitFor(r.address().normalizedDomain());
            if (l.isPresent()) {
                smallest = Math.min(smallest, l.getAsLong());
            }
        }
        if (message.content().size() > smallest) {
            return new FilterResult.Reject(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit"));
        }
        return FilterResult.CONTINUE;
    }

    @Override
    public String toString() {
        return "SizeLimits[" + limits + ", default=" + (defaultLimit > 0 ? defaultLimit : "none") + "]";
    }

    /** Builds {@link SizeLimits}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Long> limits = new HashMap<>();
        private long defaultLimit;

        private Builder() {
        }

        /** At most {@code maxBytes} for mail to {@code domain} and its subdomains. */
        public Builder limit(String domain, long maxBytes) {
            String d = Domains.normalize(Objects.requireNonNull(domain, "domain"));
            if (!Domains.isHostName(d)) {
                throw new MailcoreException("not a domain: " + domain);
            }
            limits.put(d, positive(maxBytes));
            return this;
        }

        /** At most {@code maxBytes} for every domain without its own limit; none by default. */
        public Builder defaultLimit(long maxBytes) {
            this.defaultLimit = positive(maxBytes);
            return this;
        }

        /** The limits. */
        public SizeLimits build() {
            return new SizeLimits(this);
        }

        private static long positive(long maxBytes) {
            if (maxBytes < 1) {
                throw new MailcoreException("a size limit must be positive: " + maxBytes);
            }
            return maxBytes;
        }
    }
}
