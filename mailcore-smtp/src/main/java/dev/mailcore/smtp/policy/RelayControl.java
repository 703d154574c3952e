package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.smtp.internal.policy.Domains;
import dev.mailcore.smtp.internal.policy.IpLiterals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Who may relay without authentication, like Postfix's {@code mynetworks} plus {@code relay_domains}.
 *
 * <ul>
 *   <li>A client whose IP lies in a trusted network (a {@link Cidr}, or the addresses of a trusted host name) gets
 *       {@link Decision#RELAY} at {@link #onConnect connect}: the session then lets it relay to any domain.</li>
 *   <li>A recipient whose domain is a relay domain (we are its backup MX) gets {@link Decision#RELAY} at
 *       {@link #onRecipient RCPT}. A relay domain {@code example.com} covers {@code example.com} and all its
 *       subdomains; written {@code .example.com} it covers only the subdomains.</li>
 *   <li>Everything else is {@link Decision#ACCEPT}: the session's built-in relay check then refuses remote recipients
 *       of unauthenticated, untrusted clients ({@code 554 5.7.1 Relay access denied}).</li>
 * </ul>
 *
 * <p>Since {@link DeliveryPolicy#allOf} stops at the first decision that is not an accept, put this policy
 * <em>after</em> policies that may refuse (access rules, rate limits), or a Relay here hides their verdicts.
 *
 * <p>Trusted host names are resolved when the policy is built and again at each {@link #reload()}; a name that fails
 * to resolve is logged and keeps the addresses it had (none at build time). The configuration is immutable; only the
 * resolved addresses change, atomically.
 */
public final class RelayControl implements DeliveryPolicy, NonBlocking {
    private static final Logger LOG = LoggerFactory.getLogger(RelayControl.class);

    private final List<Cidr> networks;
    private final List<String> hosts;
    private final Set<String> domains;
    private final Set<String> subdomainsOnly;
    private final Function<String, List<InetAddress>> hostResolver;
    private final AtomicReference<Map<String, List<InetAddress>>> resolved;

    private RelayControl(Builder b) {
        this.networks = List.copyOf(b.networks);
        this.hosts = List.copyOf(b.hosts);
        this.domains = Set.copyOf(b.domains);
        this.subdomainsOnly = Set.copyOf(b.subdomainsOnly);
        this.hostResolver = b.hostResolver;
        this.resolved = new AtomicReference<>(Map.of());
        reload();
    }

    /** A builder with no trusted networks and no relay domains. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves the trusted host names again and swaps the new addresses in atomically. A name that does not resolve
     * keeps its previous addresses.
     */
    public void reload() {
        Map<String, List<InetAddress>> old = resolved.get();
        Map<String, List<InetAddress>> next = new LinkedHashMap<>();
        for (String host : hosts) {
            List<InetAddress> addresses;
            try {
                addresses = hostResolver.apply(host);
            } catch (RuntimeException e) {
                addresses = null;
                LOG.warn("trusted relay host {} did not resolve: {}", host, e.toString());
            }
            if (addresses == null || addresses.isEmpty()) {
                next.put(host, old.getOrDefault(host, List.of()));
            } else {
                List<InetAddress> normalized = new ArrayList<>();
                for (InetAddress a : addresses) {
                    normalized.add(IpLiterals.normalize(a));
                }
                next.put(host, List.copyOf(normalized));
            }
        }
        resolved.set(Map.copyOf(next));
    }

    /** Whether {@code address} is in a trusted network or is an address of a trusted host. */
    public boolean isTrusted(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        InetAddress a = IpLiterals.normalize(address);
        for (List<InetAddress> addresses : resolved.get().values()) {
            for (InetAddress h : addresses) {
                if (Arrays.equals(h.getAddress(), a.getAddress())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether mail for {@code domain} may be relayed (it is a relay domain or below one). */
    public boolean isRelayDomain(String domain) {
        List<String> candidates = Domains.selfAndParents(Domains.normalize(domain));
        if (domains.contains(candidates.get(0))) {
            return true;
        }
        for (String parent : candidates) {
            if (parent != candidates.get(0) && (domains.contains(parent) || subdomainsOnly.contains(parent))) {
                return true;
            }
        }
        return false;
    }

    /** {@link Decision#RELAY} for a client in a trusted network, else accept. */
    @Override
    public Decision onConnect(SessionInfo session) {
        return isTrusted(session.remote().getAddress()) ? Decision.RELAY : Decision.ACCEPT;
    }

    /** {@link Decision#RELAY} for a recipient in a relay domain, else accept. */
    @Override
    public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
        return isRelayDomain(recipient.address().normalizedDomain()) ? Decision.RELAY : Decision.ACCEPT;
    }

    /** The trusted networks, as configured. */
    public List<Cidr> networks() {
        return networks;
    }

    /** The trusted host names and the addresses they currently resolve to. */
    public Map<String, List<InetAddress>> trustedHosts() {
        return resolved.get();
    }

    @Override
    public String toString() {
        return "RelayControl[networks=" + networks + ", hosts=" + hosts + ", relayDomains=" + domains
                + ", subdomainsOf=" + subdomainsOnly + "]";
    }

    /** Builds a {@link RelayControl}. Not thread-safe. */
    public static final class Builder {
        private final List<Cidr> networks = new ArrayList<>();
        private final Set<String> hosts = new LinkedHashSet<>();
        private final Set<String> domains = new LinkedHashSet<>();
        private final Set<String> subdomainsOnly = new LinkedHashSet<>();
        private Function<String, List<InetAddress>> hostResolver = Builder::resolveWithJdk;

        private Builder() {
        }

        /** Trusts a network. */
        public Builder trustNetwork(Cidr network) {
            networks.add(Objects.requireNonNull(network, "network"));
            return this;
        }

        /**
         * Trusts a network written as CIDR ({@code 10.0.0.0/8}, {@code [2001:db8::]/32}, a bare address) or, when the
         * text is no IP, a host name whose addresses are trusted (resolved at build and reload time).
         *
         * @throws MailcoreException if the text is neither a valid network nor a host name
         */
        public Builder trustNetwork(String networkOrHost) {
            String s = Objects.requireNonNull(networkOrHost, "networkOrHost").trim();
            if (IpLiterals.parse(s.contains("/") ? s.substring(0, s.lastIndexOf('/')) : s).isPresent()) {
                return trustNetwork(Cidr.parse(s));
            }
            String host = Domains.normalize(s);
            if (!Domains.isHostName(host)) {
                throw new MailcoreException("neither an IP network nor a host name: " + networkOrHost);
            }
            hosts.add(host);
            return this;
        }

        /** {@link #trustNetwork(String)} for each. */
        public Builder trustNetworks(Iterable<String> networksOrHosts) {
            networksOrHosts.forEach(this::trustNetwork);
            return this;
        }

        /**
         * Adds a relay domain: {@code example.com} covers the domain and its subdomains, {@code .example.com} only
         * the subdomains.
         */
        public Builder relayDomain(String domain) {
            String d = Objects.requireNonNull(domain, "domain").trim();
            boolean subsOnly = d.startsWith(".");
            String n = Domains.normalize(subsOnly ? d.substring(1) : d);
            if (!Domains.isHostName(n)) {
                throw new MailcoreException("not a domain name: " + domain);
            }
            (subsOnly ? subdomainsOnly : domains).add(n);
            return this;
        }

        /** {@link #relayDomain(String)} for each. */
        public Builder relayDomains(Iterable<String> relayDomains) {
            relayDomains.forEach(this::relayDomain);
            return this;
        }

        /**
         * How trusted host names become addresses; by default the JDK resolver. May return an empty list or throw
         * when the name does not resolve.
         */
        public Builder hostResolver(Function<String, List<InetAddress>> resolver) {
            this.hostResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The policy, with trusted host names resolved. */
        public RelayControl build() {
            return new RelayControl(this);
        }

        private static List<InetAddress> resolveWithJdk(String host) {
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new MailcoreException("unknown host " + host, e);
            }
        }
    }
}
