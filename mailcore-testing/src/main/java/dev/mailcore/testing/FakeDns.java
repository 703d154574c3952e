package dev.mailcore.testing;

import dev.mailcore.delivery.dns.MxResolver;
import dev.mailcore.delivery.dns.MxResult;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.smtp.policy.DomainResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory DNS, for policies that look domains up ({@link DomainResolver}, used by {@code SenderChecks}) and for
 * the outbound queue's MX lookups ({@link MxResolver}, given to {@code SmtpTransport}): declare which domains exist,
 * have MX records, a null MX or fail temporarily; everything else answers {@link #otherwise}. Host names without a
 * declared address resolve to {@code 127.0.0.1}, so MX records lead to loopback receivers such as another
 * {@link TestMailServer}. Records the lookups so tests can assert on them. Thread-safe.
 *
 * <pre>{@code
 * FakeDns dns = new FakeDns().found("example.com").nullMx("nomail.example").temporaryFailure("flaky.example");
 * SenderChecks checks = SenderChecks.builder().resolver(dns).build();
 *
 * FakeDns mx = new FakeDns().mx("remote.example", "mx1.remote.example");   // mx1 is 127.0.0.1
 * TestMailServer.builder().configure(b -> b.queue(spool)
 *         .outboundSettings(t -> t.mxResolver(mx).port(receiver.smtpPort())));
 * }</pre>
 * The SMTP client connects to one port for every MX host ({@code SmtpTransport.Builder.port}): the receiver's.
 */
public final class FakeDns implements DomainResolver, MxResolver {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final Map<String, Status> answers = new ConcurrentHashMap<>();
    private final Map<String, List<String>> exchangers = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private volatile Status otherwise = Status.NOT_FOUND;

    /** The domain has mail records. */
    public FakeDns found(String... domains) {
        return answer(Status.FOUND, domains);
    }

    /**
     * The domain has these MX records, in order of preference (10, 20, ...); it counts as {@link Status#FOUND}.
     * Exchangers resolve to the addresses given with {@link #address}, else to {@code 127.0.0.1}.
     */
    public FakeDns mx(String domain, String... exchangers) {
        if (exchangers.length == 0) {
            throw new IllegalArgumentException("at least one exchanger; use nullMx(domain) for a null MX");
        }
        String key = normalize(domain);
        this.exchangers.put(key, List.of(exchangers).stream().map(FakeDns::normalize).toList());
        answers.put(key, Status.FOUND);
        return this;
    }

    /** The host (an MX target or a domain without MX) has these addresses (IP literals). */
    public FakeDns address(String host, String... ips) {
        List<InetAddress> list = new ArrayList<>();
        for (String ip : ips) {
            list.add(literal(ip));
        }
        addresses.put(normalize(host), List.copyOf(list));
        return this;
    }

    /** The domain does not exist (NXDOMAIN). */
    public FakeDns notFound(String... domains) {
        return answer(Status.NOT_FOUND, domains);
    }

    /** The domain publishes a null MX (RFC 7505). */
    public FakeDns nullMx(String... domains) {
        return answer(Status.NULL_MX, domains);
    }

    /** Lookups of the domain time out / SERVFAIL. */
    public FakeDns temporaryFailure(String... domains) {
        return answer(Status.TEMPORARY_FAILURE, domains);
    }

    /** The answer for domains not declared (default {@link Status#NOT_FOUND}). */
    public FakeDns otherwise(Status status) {
        this.otherwise = Objects.requireNonNull(status);
        return this;
    }

    private FakeDns answer(Status status, String... domains) {
        for (String d : domains) {
            String key = normalize(d);
            answers.put(key, status);
            exchangers.remove(key);
        }
        return this;
    }

    @Override
    public Status resolve(String domain) {
        String key = normalize(domain);
        lookups.add(key);
        return answers.getOrDefault(key, otherwise);
    }

    /**
     * The MX answer: the declared exchangers, the domain itself for a {@link #found} domain without MX records
     * (implicit MX), or the declared failure.
     */
    @Override
    public MxResult resolveMx(String domain) {
        String key = normalize(domain);
        lookups.add(key);
        List<String> mx = exchangers.get(key);
        if (mx != null) {
            List<NextHop> hops = new ArrayList<>();
            for (int i = 0; i < mx.size(); i++) {
                hops.add(new NextHop(mx.get(i), 10 * (i + 1), addressesOf(mx.get(i))));
            }
            return new MxResult.Hosts(hops);
        }
        return switch (answers.getOrDefault(key, otherwise)) {
            case FOUND -> new MxResult.Hosts(List.of(new NextHop(key, 0, addressesOf(key))));
            case NULL_MX -> new MxResult.NullMx();
            case NOT_FOUND -> new MxResult.NotFound("FakeDns: " + key + " does not exist");
            case TEMPORARY_FAILURE -> new MxResult.TemporaryFailure("FakeDns: lookup of " + key + " failed");
        };
    }

    /** The host's declared addresses, else {@code 127.0.0.1}. */
    @Override
    public MxResult resolveHost(String host) {
        String key = normalize(host);
        lookups.add(key);
        return new MxResult.Hosts(List.of(new NextHop(key, 0, addressesOf(key))));
    }

    private List<InetAddress> addressesOf(String host) {
        return addresses.getOrDefault(host, List.of(LOOPBACK));
    }

    private static InetAddress literal(String ip) {
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address literal: " + ip);
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + ip, e);
        }
    }

    /** Every domain looked up, in order. */
    public List<String> lookups() {
        return new ArrayList<>(lookups);
    }

    private static String normalize(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
