package dev.mailcore.delivery.dns;

import dev.mailcore.delivery.dns.internal.MxOrdering;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An {@link MxResolver} on dnsjava: MX records by preference (random order among equal preferences), A and AAAA
 * records of each exchanger, the domain's own addresses when it has no MX (implicit MX), RFC 7505 null MX, CNAME
 * chains (followed by dnsjava). NXDOMAIN is {@link MxResult.NotFound}; timeouts, SERVFAIL and other errors are
 * {@link MxResult.TemporaryFailure}. An MX whose target is an IP address written as a name is invalid and skipped,
 * as RFC 5321 §5.1 says MX targets are host names.
 *
 * <pre>{@code
 * MxResolver system = DnsMxResolver.system();                      // servers of /etc/resolv.conf
 * MxResolver local = DnsMxResolver.builder()
 *         .servers(new InetSocketAddress("127.0.0.1", 5353))
 *         .timeout(Duration.ofSeconds(2)).retries(1).build();
 * }</pre>
 *
 * <p>Thread-safe. Each instance has its own cache (positive answers and NXDOMAIN/NODATA, by their TTLs).
 */
public final class DnsMxResolver implements MxResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DnsMxResolver.class);
    private static final Pattern IPV4_NAME = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}\\.?");

    private final Resolver resolver;
    private final Cache cache;
    private final Random random;
    private final boolean ipv6;

    private DnsMxResolver(Builder b) {
        ExtendedResolver r;
        if (b.servers.isEmpty()) {
            r = new ExtendedResolver();
        } else {
            List<Resolver> list = new ArrayList<>();
            for (InetSocketAddress server : b.servers) {
                SimpleResolver simple = new SimpleResolver(server);
                simple.setTimeout(b.timeout);
                list.add(simple);
            }
            r = new ExtendedResolver(list);
        }
        r.setTimeout(b.timeout);
        r.setRetries(b.retries);
        r.setLoadBalance(false);
        this.resolver = r;
        this.cache = b.cache ? new Cache(DClass.IN) : null;
        this.random = b.random != null ? b.random : new Random();
        this.ipv6 = b.ipv6;
    }

    /** A resolver using the system's name servers, 5 s timeout, 2 tries per server. */
    public static DnsMxResolver system() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MxResult resolveMx(String domain) {
        Name name;
        try {
            name = Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            return new MxResult.NotFound("invalid domain name " + domain);
        }
        Lookup lookup = lookup(name, Type.MX);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                return fromMx(domain, records);
            case Lookup.TYPE_NOT_FOUND:
                return implicitMx(domain, name);
            case Lookup.HOST_NOT_FOUND:
                return new MxResult.NotFound("domain " + domain + " not found (NXDOMAIN)");
            default:
                return new MxResult.TemporaryFailure("MX lookup for " + domain + " failed: "
                        + lookup.getErrorString());
        }
    }

    @Override
    public MxResult resolveHost(String host) {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            return new MxResult.NotFound("invalid host name " + host);
        }
        Addresses a = addresses(name);
        if (!a.list.isEmpty()) {
            return new MxResult.Hosts(List.of(new NextHop(host, 0, a.list)));
        }
        return a.temporary ? new MxResult.TemporaryFailure("address lookup for " + host + " failed: " + a.error)
                : new MxResult.NotFound("host " + host + " not found");
    }

    private MxResult fromMx(String domain, Record[] records) {
        List<MXRecord> mx = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof MXRecord) {
                mx.add((MXRecord) r);
            }
        }
        if (mx.size() == 1 && mx.get(0).getTarget().equals(Name.root)) {
            return new MxResult.NullMx();
        }
        List<MXRecord> ordered = MxOrdering.order(mx, MXRecord::getPriority, random);
        List<NextHop> hops = new ArrayList<>();
        boolean temporary = false;
        String lastError = null;
        for (MXRecord record : ordered) {
            Name target = record.getTarget();
            String host = hostName(target);
            if (target.equals(Name.root) || IPV4_NAME.matcher(host).matches()) {
                LOG.debug("ignoring invalid MX target {} of {}", host, domain);
                continue;
            }
            Addresses a = addresses(target);
            temporary |= a.temporary;
            if (a.error != null) {
                lastError = a.error;
            }
            hops.add(new NextHop(host, record.getPriority(), a.list));
        }
        if (hops.stream().allMatch(h -> h.addresses().isEmpty())) {
            if (temporary || hops.isEmpty() && !ordered.isEmpty() && lastError != null) {
                return new MxResult.TemporaryFailure("address lookup of the MX hosts of " + domain + " failed: "
                        + lastError);
            }
            return new MxResult.NotFound("no address for any MX host of " + domain);
        }
        return new MxResult.Hosts(hops);
    }

    private MxResult implicitMx(String domain, Name name) {
        Addresses a = addresses(name);
        if (!a.list.isEmpty()) {
            return new MxResult.Hosts(List.of(new NextHop(domain, 0, a.list)));
        }
        if (a.temporary) {
            return new MxResult.TemporaryFailure("address lookup for " + domain + " failed: " + a.error);
        }
        return new MxResult.NotFound("domain " + domain + " has no MX and no address records");
    }

    private Addresses addresses(Name name) {
        Addresses result = new Addresses();
        collect(name, Type.A, result);
        if (ipv6) {
            collect(name, Type.AAAA, result);
        }
        return result;
    }

    private void collect(Name name, int type, Addresses into) {
        Lookup lookup = lookup(name, type);
        Record[] records = lookup.run();
        int code = lookup.getResult();
        if (code == Lookup.SUCCESSFUL) {
            for (Record r : records) {
                if (r instanceof ARecord) {
                    into.list.add(((ARecord) r).getAddress());
                } else if (r instanceof AAAARecord) {
                    into.list.add(((AAAARecord) r).getAddress());
                }
            }
        } else if (code == Lookup.TRY_AGAIN || code == Lookup.UNRECOVERABLE) {
            into.temporary = true;
            into.error = Type.string(type) + " lookup for " + hostName(name) + ": " + lookup.getErrorString();
        }
    }

    private Lookup lookup(Name name, int type) {
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setSearchPath(List.of());
        lookup.setHostsFileParser(null);
        if (cache != null) {
            lookup.setCache(cache);
        } else {
            lookup.setCache(new Cache(DClass.IN));
        }
        return lookup;
    }

    private static String hostName(Name name) {
        String s = name.toString(true);
        return s.isEmpty() ? "." : s;
    }

    private static final class Addresses {
        final List<InetAddress> list = new ArrayList<>();
        boolean temporary;
        String error;
    }

    /** Builds a {@link DnsMxResolver}. */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(5);
        private int retries = 2;
        private boolean cache = true;
        private boolean ipv6 = true;
        private Random random;

        private Builder() {
        }

        /** Name servers to ask, in order; default: the system's (resolv.conf). */
        public Builder servers(InetSocketAddress... servers) {
            this.servers.clear();
            this.servers.addAll(List.of(servers));
            return this;
        }

        /** How long to wait for one answer; default 5 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many times each server is asked; default 2. */
        public Builder retries(int retries) {
            if (retries < 1) {
                throw new IllegalArgumentException("retries must be at least 1");
            }
            this.retries = retries;
            return this;
        }

        /** Whether answers are cached by their TTL; default true. */
        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        /** Whether AAAA records are looked up too; default true. */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /** The random source for ordering MX hosts of equal preference (tests pass a seeded one). */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        public DnsMxResolver build() {
            return new DnsMxResolver(this);
        }
    }
}
