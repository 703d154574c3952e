package dev.mailcore.smtp.routing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.Resolution;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link Router#resolve} per RCPT with 10,000 users, 1,000 aliases (nested groups of 20) and 1,000 virtual
 * entries. Not a unit test: run {@link #main} with the test class path of mailcore-smtp.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouterBenchmark {

    private Router router;
    private MailAddress user;
    private MailAddress plus;
    private MailAddress group;
    private MailAddress virtual;
    private MailAddress remote;

    @Setup
    public void setUp() {
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            users.put("user" + i + "@example.org", "user" + i + "@example.org");
        }
        Router.Builder b = Router.builder().localDomain("example.org").postmaster("user0@example.org")
                .mailboxes(a -> Optional.ofNullable(users.get(a.localPart() + "@" + a.normalizedDomain())));
        for (int i = 0; i < 1_000; i++) {
            String[] members = new String[20];
            for (int m = 0; m < 19; m++) {
                members[m] = "user" + (i * 7 + m) % 10_000;
            }
            members[19] = i > 0 ? "group" + (i - 1) % 10 : "remote@partner.net";
            b.alias("group" + i, members);
            b.virtual("v" + i + "@shop.example", "group" + i, "user" + i + "@example.org");
        }
        router = b.build();
        user = MailAddress.parse("User4711@example.org");
        plus = MailAddress.parse("user4711+tag@example.org");
        group = MailAddress.parse("group500@example.org");
        virtual = MailAddress.parse("v500@shop.example");
        remote = MailAddress.parse("someone@partner.net");
    }

    @Benchmark
    public Resolution mailbox() {
        return router.resolve(user);
    }

    @Benchmark
    public Resolution subaddress() {
        return router.resolve(plus);
    }

    @Benchmark
    public Resolution aliasGroup() {
        return router.resolve(group);
    }

    @Benchmark
    public Resolution virtualEntry() {
        return router.resolve(virtual);
    }

    @Benchmark
    public Resolution remoteDomain() {
        return router.resolve(remote);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(RouterBenchmark.class.getSimpleName()).build()).run();
    }
}
