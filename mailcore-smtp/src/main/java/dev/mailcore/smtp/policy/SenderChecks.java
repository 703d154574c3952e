package dev.mailcore.smtp.policy;

import dev.mailcore.api.AddressException;
import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.smtp.internal.policy.Domains;
import dev.mailcore.smtp.internal.policy.IpLiterals;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * HELO and sender checks in the manner of Postfix's {@code smtpd_helo_restrictions} and {@code
 * smtpd_sender_restrictions}. Each check is off unless enabled on the {@link Builder}.
 *
 * <p>At {@link #onHelo HELO/EHLO}, with {@link Builder#requireFqdnHelo()}: the argument must be a fully-qualified
 * host name (at least one dot, valid labels, not an IP address without brackets) or an address literal ({@code
 * [192.0.2.1]}, {@code [IPv6:2001:db8::1]}); otherwise {@code 504 5.5.2 <helo>: Helo command rejected: need
 * fully-qualified hostname}.
 *
 * <p>At {@link #onMailFrom MAIL FROM}, in this order:
 * <ol>
 *   <li>a sender on the allow list is accepted at once (allow wins over deny, and skips the domain check);</li>
 *   <li>a sender on the deny list: {@code 550 5.7.1 <addr>: Sender address rejected: Access denied};</li>
 *   <li>with a {@link DomainResolver}, the sender's domain must exist: NXDOMAIN or no MX/A/AAAA gives {@code 550
 *       5.1.8 <addr>: Sender address rejected: Domain not found}, a null MX {@code 550 5.7.27 <addr>: Sender
 *       address rejected: Domain does not accept mail}, a timeout or server failure {@code 451 4.4.3 <addr>: Sender
 *       address rejected: Domain lookup failed, try again later}. Address literals are not looked up.</li>
 * </ol>
 * List entries are addresses ({@code user@example.com}, compared case-insensitively) or domains ({@code
 * example.com}, which covers its subdomains too). The null sender {@code <>} is exempt from every sender check.
 */
public final class SenderChecks implements DeliveryPolicy {
    private final boolean requireFqdnHelo;
    private final DomainResolver resolver;
    private final Set<String> allowAddresses;
    private final Set<String> allowDomains;
    private final Set<String> denyAddresses;
    private final Set<String> denyDomains;

    private SenderChecks(Builder b) {
        this.requireFqdnHelo = b.requireFqdnHelo;
        this.resolver = b.resolver;
        this.allowAddresses = Set.copyOf(b.allowAddresses);
        this.allowDomains = Set.copyOf(b.allowDomains);
        this.denyAddresses = Set.copyOf(b.denyAddresses);
        this.denyDomains = Set.copyOf(b.denyDomains);
    }

    /** A builder with every check off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a HELO/EHLO argument is a fully-qualified host name or an address literal. */
    public static boolean isFqdnOrAddressLiteral(String helo) {
        if (helo == null || helo.isEmpty()) {
            return false;
        }
        if (helo.startsWith("[")) {
            try {
                MailAddress.of("x", helo);
                return true;
            } catch (AddressException e) {
                return false;
            }
        }
        String h = helo.endsWith(".") ? helo.substring(0, helo.length() - 1) : helo;
        if (h.indexOf('.') < 0 || IpLiterals.parse(h).isPresent()) {
            return false;
        }
        String ascii = Domains.normalize(h);
        return Domains.isHostName(ascii) && ascii.indexOf('_') < 0;
    }

    @Override
    public Decision onHelo(SessionInfo session) {
        String helo = session.heloName();
        if (!requireFqdnHelo || helo == null || isFqdnOrAddressLiteral(helo)) {
            return Decision.ACCEPT;
        }
        return Decision.reject(504, "5.5.2", "<" + printable(helo) + ">: Helo command rejected: need fully-qualified hostname");
    }

    @Override
    public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        if (from.isNull()) {
            return Decision.ACCEPT;
        }
        MailAddress sender = from.address().orElseThrow();
        if (listed(sender, allowAddresses, allowDomains)) {
            return Decision.ACCEPT;
        }
        if (listed(sender, denyAddresses, denyDomains)) {
            return Decision.reject(550, "5.7.1", "<" + sender + ">: Sender address rejected: Access denied");
        }
        if (resolver == null || sender.isAddressLiteral()) {
            return Decision.ACCEPT;
        }
        DomainResolver.Status status = resolver.resolve(sender.normalizedDomain());
        switch (status == null ? DomainResolver.Status.TEMPORARY_FAILURE : status) {
            case FOUND:
                return Decision.ACCEPT;
            case NOT_FOUND:
                return Decision.reject(550, "5.1.8", "<" + sender + ">: Sender address rejected: Domain not found");
            case NULL_MX:
                return Decision.reject(550, "5.7.27",
                        "<" + sender + ">: Sender address rejected: Domain does not accept mail");
            default:
                return Decision.defer(451, "4.4.3",
                        "<" + sender + ">: Sender address rejected: Domain lookup failed, try again later");
        }
    }

    private static boolean listed(MailAddress sender, Set<String> addresses, Set<String> domains) {
        if (addresses.contains(addressKey(sender))) {
            return true;
        }
        for (String d : Domains.selfAndParents(sender.normalizedDomain())) {
            if (domains.contains(d)) {
                return true;
            }
        }
        return false;
    }

    private static String addressKey(MailAddress a) {
        return a.localPart().toLowerCase(Locale.ROOT) + "@" + a.normalizedDomain();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 255; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SenderChecks[fqdnHelo=" + requireFqdnHelo + ", resolver=" + resolver + ", allow="
                + (allowAddresses.size() + allowDomains.size()) + ", deny=" + (denyAddresses.size() + denyDomains.size())
                + "]";
    }

    /** Builds {@link SenderChecks}. Not thread-safe. */
    public static final class Builder {
        private boolean requireFqdnHelo;
        private DomainResolver resolver;
        private final Set<String> allowAddresses = new HashSet<>();
        private final Set<String> allowDomains = new HashSet<>();
        private final Set<String> denyAddresses = new HashSet<>();
        private final Set<String> denyDomains = new HashSet<>();

        private Builder() {
        }

        /** Rejects HELO/EHLO arguments that are neither a fully-qualified host name nor an address literal. */
        public Builder requireFqdnHelo() {
            this.requireFqdnHelo = true;
            return this;
        }

        /** Requires the sender's domain to exist according to {@code resolver} (such as {@link DnsDomainResolver}). */
        public Builder requireResolvableSenderDomain(DomainResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Always accepts this sender address or domain (with its subdomains), skipping the deny list and the domain
         * check.
         *
         * @throws MailcoreException if the entry is neither an address nor a domain
         */
        public Builder allow(String addressOrDomain) {
            add(addressOrDomain, allowAddresses, allowDomains);
            return this;
        }

        /**
         * Rejects this sender address or domain (with its subdomains) unless it is on the allow list.
         *
         * @throws MailcoreException if the entry is neither an address nor a domain
         */
        public Builder deny(String addressOrDomain) {
            add(addressOrDomain, denyAddresses, denyDomains);
            return this;
        }

        /** {@link #allow(String)} for each. */
        public Builder allowAll(Iterable<String> entries) {
            entries.forEach(this::allow);
            return this;
        }

        /** {@link #deny(String)} for each. */
        public Builder denyAll(Iterable<String> entries) {
            entries.forEach(this::deny);
            return this;
        }

        /** The policy. */
        public SenderChecks build() {
            return new SenderChecks(this);
        }

        private static void add(String entry, Set<String> addresses, Set<String> domains) {
            String e = Objects.requireNonNull(entry, "entry").trim();
            if (e.indexOf('@') >= 0) {
                try {
                    addresses.add(addressKey(MailAddress.parse(e)));
                } catch (AddressException ex) {
                    throw new MailcoreException("not an address: " + entry + " (" + ex.getMessage() + ")");
                }
                return;
            }
            String d = Domains.normalize(e);
            if (!Domains.isHostName(d)) {
                throw new MailcoreException("not a domain: " + entry);
            }
            domains.add(d);
        }
    }
}
