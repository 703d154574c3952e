package dev.mailcore.store.jdbc;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Appends and reads of 4 KiB messages on an H2 file database. Not a unit test; run it with the test class path, for
 * example:
 * <pre>
 * ./mvnw -q -pl mailcore-store-jdbc -am test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp "$(cat mailcore-store-jdbc/cp.txt):mailcore-store-jdbc/target/test-classes:mailcore-store-jdbc/target/classes" \
 *     dev.mailcore.store.jdbc.JdbcStoreBenchmark
 * </pre>
 * Set {@code -Dbench.url=jdbc:postgresql://...} to measure another database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcStoreBenchmark {
    private static final MailboxRef INBOX = MailboxRef.inbox("bench");
    private static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");

    private Path dir;
    private JdbcStore store;
    private MessageSource message;
    private long[] uids;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        byte[] body = new byte[4096];
        new Random(1).nextBytes(body);
        message = MessageSource.of(body);
        String url = System.getProperty("bench.url");
        if (url == null) {
            dir = Files.createTempDirectory("jdbc-bench");
            url = "jdbc:h2:file:" + dir.resolve("mail");
        }
        store = JdbcStore.open(url);
        uids = new long[1000];
        for (int i = 0; i < uids.length; i++) {
            uids[i] = store.append(INBOX, message, Flags.NONE, DATE).uid();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One append of a 4 KiB message, committed. */
    @Benchmark
    public long append4k() {
        return store.append(INBOX, message, Flags.NONE, DATE).uid();
    }

    /** One read of a 4 KiB message: look-up and all its bytes. */
    @Benchmark
    public int read4k() {
        long uid = uids[next++ % uids.length];
        try (InputStream in = store.content(INBOX, uid).openStream()) {
            return in.readAllBytes().length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs both benchmarks briefly: one fork, 2 warm-up and 3 measured iterations of 2 seconds. */
    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(JdbcStoreBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .threads(1)
                .build();
        new Runner(options).run();
    }
}
