package dev.mailcore.delivery.dns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An {@link MxResolver} answering from a fixed table: for tests and for embedders that know their next hops. A domain
 * missing from the table is {@link MxResult.NotFound}; a domain mapped to an empty list has a null MX. Host lookups
 * ({@link #resolveHost}) answer from the hop names in the table (and from hosts registered with {@link
 * Builder#host}).
 */
public final class StaticMxResolver implements MxResolver {
    private final Map<String, List<NextHop>> domains;
    private final Map<String, NextHop> hosts;

    private StaticMxResolver(Builder b) {
        this.domains = Map.copyOf(b.domains);
        Map<String, NextHop> h = new LinkedHashMap<>(b.hosts);
        for (List<NextHop> hops : b.domains.values()) {
            for (NextHop hop : hops) {
                h.putIfAbsent(key(hop.hostname()), hop);
            }
        }
        this.hosts = Map.copyOf(h);
    }

    /** A new, empty table. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MxResult resolveMx(String domain) {
        List<NextHop> hops = domains.get(key(domain));
        if (hops == null) {
            return new MxResult.NotFound("no entry for " + domain);
        }
        if (hops.isEmpty()) {
            return new MxResult.NullMx();
        }
        return new MxResult.Hosts(hops);
    }

    @Override
    public MxResult resolveHost(String host) {
        NextHop hop = hosts.get(key(host));
        if (hop == null) {
            return new MxResult.NotFound("no entry for host " + host);
        }
        return new MxResult.Hosts(List.of(new NextHop(hop.hostname(), 0, hop.addresses())));
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Builds a {@link StaticMxResolver}. */
    public static final class Builder {
        private final Map<String, List<NextHop>> domains = new LinkedHashMap<>();
        private final Map<String, NextHop> hosts = new LinkedHashMap<>();

        private Builder() {
        }

        /** Mail for {@code domain} goes to these hops, in this order. */
        public Builder mx(String domain, NextHop... hops) {
            domains.put(key(domain), List.of(hops));
            return this;
        }

        /** {@code domain} publishes a null MX. */
        public Builder nullMx(String domain) {
            domains.put(key(domain), List.of());
            return this;
        }

        /** A host known by name (for smarthosts), without being an MX of anything. */
        public Builder host(NextHop hop) {
            hosts.put(key(hop.hostname()), hop);
            return this;
        }

        public StaticMxResolver build() {
            return new StaticMxResolver(this);
        }
    }
}
