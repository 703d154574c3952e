package dev.mailcore.testing;

import dev.mailcore.smtp.policy.DomainResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory DNS for policies that look domains up ({@link DomainResolver}, used by {@code SenderChecks}): declare
 * which domains exist, have a null MX or fail temporarily; everything else answers {@link #otherwise}. Records the
 * lookups so tests can assert on them. Thread-safe.
 *
 * <pre>{@code
 * FakeDns dns = new FakeDns().found("example.com").nullMx("nomail.example").temporaryFailure("flaky.example");
 * SenderChecks checks = SenderChecks.builder().resolver(dns).build();
 * }</pre>
 * MX answers for the delivery queue's resolver will be added when that interface is final.
 */
public final class FakeDns implements DomainResolver {
    private final Map<String, Status> answers = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private volatile Status otherwise = Status.NOT_FOUND;

    /** The domain has mail records. */
    public FakeDns found(String... domains) {
        return answer(Status.FOUND, domains);
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
            answers.put(normalize(d), status);
        }
        return this;
    }

    @Override
    public Status resolve(String domain) {
        String key = normalize(domain);
        lookups.add(key);
        return answers.getOrDefault(key, otherwise);
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
