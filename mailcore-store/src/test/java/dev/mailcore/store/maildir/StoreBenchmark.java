package dev.mailcore.store.maildir;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.MemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Append and read throughput of {@link MemoryStore} and {@link MaildirStore} (with and without fsync) for 4 KiB
 * messages. Not a unit test; run {@link #main} from the IDE or with
 * {@code java -cp <test classpath> dev.mailcore.store.maildir.StoreBenchmark [store kinds...]}. Maildir stores live in
 * a new directory under {@code -Dbench.dir} (default: the system temporary directory), deleted afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StoreBenchmark {
    private static final MailboxRef APPEND_TO = MailboxRef.inbox("bench");
    private static final MailboxRef READ_FROM = new MailboxRef("bench", "Read");
    private static final int READ_SET = 1000;
    /** The memory store keeps everything: expunge after this many appends so the heap does not fill. */
    private static final int MEMORY_BATCH = 20_000;

    @Param({"memory", "maildir", "maildir-nofsync"})
    public String store;

    private Store s;
    private Path dir;
    private byte[] message;
    private long[] readUids;
    private int next;
    private final List<Long> appended = new ArrayList<>();
    private final byte[] buffer = new byte[8192];

    @Setup(Level.Trial)
    public void open() throws IOException {
        message = new byte[4096];
        Random r = new Random(1);
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i % 78 == 77 ? '\n' : 'a' + r.nextInt(26));
        }
        switch (store) {
            case "memory" -> s = new MemoryStore();
            case "maildir", "maildir-nofsync" -> {
                Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
                dir = Files.createTempDirectory(base, "store-bench");
                try (MaildirStore quick = MaildirStore.builder(dir).fsync(false).build()) { // faster set-up
                    fillReadSet(quick);
                }
                s = MaildirStore.builder(dir).fsync(store.equals("maildir")).build();
            }
            default -> throw new IllegalArgumentException("unknown store kind " + store);
        }
        if (s instanceof MemoryStore) {
            fillReadSet(s);
        }
        readUids = s.messages(READ_FROM).stream().mapToLong(m -> m.uid()).toArray();
    }

    private void fillReadSet(Store target) {
        target.createMailbox(READ_FROM);
        for (int i = 0; i < READ_SET; i++) {
            target.append(READ_FROM, MessageSource.of(message), Flags.NONE, null);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        s.close();
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Appends one 4 KiB message (durably, for the fsync kind) to the INBOX. */
    @Benchmark
    public long append4KiB() {
        long uid = s.append(APPEND_TO, MessageSource.of(message), Flags.NONE, null).uid();
        if (s instanceof MemoryStore) {
            appended.add(uid);
            if (appended.size() == MEMORY_BATCH) {
                s.expunge(APPEND_TO, appended);
                appended.clear();
            }
        }
        return uid;
    }

    /** Reads all bytes of one 4 KiB message, by UID, round-robin over 1000 messages. */
    @Benchmark
    public long readByUid() throws IOException {
        long uid = readUids[next++ % READ_SET];
        long total = 0;
        try (InputStream in = s.content(READ_FROM, uid).openStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Runs the benchmark.
     *
     * @param args store kinds to run ({@code memory}, {@code maildir}, {@code maildir-nofsync}); all when none
     * @throws RunnerException when JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder opt = new OptionsBuilder().include(StoreBenchmark.class.getName() + "\\.");
        if (args.length > 0) {
            opt.param("store", args);
        }
        String benchDir = System.getProperty("bench.dir");
        if (benchDir != null) {
            opt.jvmArgsAppend("-Dbench.dir=" + benchDir);
        }
        new Runner(opt.build()).run();
    }
}
