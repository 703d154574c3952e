package dev.mailcore.store.jdbc;

import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreEvent;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durable store contract, the JDBC store's own tests, and several nodes sharing one database, on PostgreSQL.
 * Runs when {@code MAILCORE_TEST_POSTGRES_URL} (system property or environment variable) names a database whose user
 * may create databases ({@code .ci/postgres.sh} prints one); skipped otherwise. The class works in a database of its
 * own, dropped when the JVM exits; every store gets a fresh schema in it.
 */
@AddLifecycleHook(JdbcPostgresStoreTest.SkipWithoutPostgres.class)
class JdbcPostgresStoreTest extends JdbcStoreTestBase {
    static final String VARIABLE = "MAILCORE_TEST_POSTGRES_URL";
    static final String SKIPPED = VARIABLE + " is not set: PostgreSQL tests skipped (.ci/postgres.sh starts one)";
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String databaseUrl;

    /** The configured URL, or {@code null}. */
    static String configuredUrl() {
        String url = System.getProperty(VARIABLE);
        if (url == null || url.isBlank()) {
            url = System.getenv(VARIABLE);
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** Skips the jqwik properties of this class, which JUnit's assumptions do not reach. */
    public static final class SkipWithoutPostgres implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return configuredUrl() == null ? SkipResult.skip(SKIPPED) : SkipResult.doNotSkip();
        }
    }

    @BeforeAll
    static void needsPostgres() {
        Assumptions.assumeTrue(configuredUrl() != null, SKIPPED);
    }

    /** Creates this class's database on first use; drops it when the JVM exits. */
    private static synchronized String database() {
        if (databaseUrl != null) {
            return databaseUrl;
        }
        String base = configuredUrl();
        Assumptions.assumeTrue(base != null, SKIPPED);
        Matcher m = URL.matcher(base);
        if (!m.matches()) {
            throw new IllegalArgumentException(VARIABLE + " is not a jdbc:postgresql://host/database URL");
        }
        String name = "mailcore_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(base, "CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(base, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                System.err.println("could not drop test database " + name + ": " + e);
            }
        }, "drop-" + name));
        databaseUrl = m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
        return databaseUrl;
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Schemas made for the running test or try; dropped after it. */
    private final List<String> schemas = new CopyOnWriteArrayList<>();

    @Override
    protected String newDatabaseUrl() {
        String db = database();
        String schema = "s" + SCHEMAS.incrementAndGet();
        execute(db, "CREATE SCHEMA " + schema);
        schemas.add(schema);
        return db + (db.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Closes the test's stores (as the contract does), then drops their schemas. */
    @AfterEach
    @Override
    protected void closeStores() {
        super.closeStores();
        dropSchemas();
    }

    /** jqwik properties close their own stores; their schemas go after each try. */
    @AfterTry
    void dropSchemas() {
        for (String schema : schemas) {
            execute(database(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        schemas.clear();
    }

    // ---- several nodes on one database ----

    private static StoreEvent await(BlockingQueue<StoreEvent> q) throws InterruptedException {
        StoreEvent e = q.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event from the other node within 10 seconds").isNotNull();
        return e;
    }

    @Test
    void aSubscriberOnOneNodeSeesWhatAnotherNodeChanges() throws Exception {
        String url = newDatabaseUrl();
        JdbcStore a = (JdbcStore) track(JdbcStore.open(url));
        JdbcStore b = (JdbcStore) track(JdbcStore.open(url));
        BlockingQueue<StoreEvent> seen = new LinkedBlockingQueue<>();
        a.subscribe("alice", seen::add);

        AppendResult r = b.append(INBOX, msg("from node b"), new Flags(java.util.Set.of(), java.util.Set.of("$A:b+c")),
                DATE);
        List<MessageMeta> flagged = b.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN),
                Long.MAX_VALUE);
        b.expunge(INBOX, List.of(r.uid()));
        b.createMailbox(box("Made/On/B"));

        assertThat(await(seen)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class, e -> {
            assertThat(e.mailbox()).isEqualTo(INBOX);
            assertThat(e.uidValidity()).isEqualTo(r.uidValidity());
            assertThat(e.messages()).singleElement().satisfies(m -> {
                assertThat(m.uid()).isEqualTo(r.uid());
                assertThat(m.modSeq()).isEqualTo(r.modSeq());
                assertThat(m.internalDate()).isEqualTo(DATE);
                assertThat(m.flags().keywords()).containsExactly("$A:b+c");
            });
        });
        assertThat(await(seen)).isInstanceOfSatisfying(StoreEvent.FlagsChanged.class,
                e -> assertThat(e.messages()).containsExactlyElementsOf(flagged));
        assertThat(await(seen)).isInstanceOfSatisfying(StoreEvent.MessagesExpunged.class, e -> {
            assertThat(e.uids()).containsExactly(r.uid());
            assertThat(e.modSeq()).isEqualTo(b.mailbox(INBOX).orElseThrow().highestModSeq());
        });
        assertThat(await(seen)).isEqualTo(new StoreEvent.MailboxCreated(box("Made")));
        assertThat(await(seen)).isEqualTo(new StoreEvent.MailboxCreated(box("Made/On")));
        assertThat(await(seen)).isEqualTo(new StoreEvent.MailboxCreated(box("Made/On/B")));
        // a's own change reaches a's listener once, not a second time through the database
        a.createMailbox(box("Made/On/A"));
        b.createMailbox(box("Marker"));
        assertThat(await(seen)).isEqualTo(new StoreEvent.MailboxCreated(box("Made/On/A")));
        assertThat(await(seen)).isEqualTo(new StoreEvent.MailboxCreated(box("Marker")));
    }

    @Test
    void changesTooBigForOneNotificationAreResynchronisedFromTheDatabase() throws Exception {
        String url = newDatabaseUrl();
        JdbcStore a = (JdbcStore) track(JdbcStore.open(url));
        JdbcStore b = (JdbcStore) track(JdbcStore.open(url));
        b.append(INBOX, msg("seed"), Flags.NONE, DATE);
        for (int i = 0; i < 11; i++) { // 2048 messages, one body
            b.copy(INBOX, new ArrayList<>(b.messages(INBOX).stream().map(MessageMeta::uid).toList()), INBOX);
        }
        BlockingQueue<StoreEvent> seen = new LinkedBlockingQueue<>();
        a.subscribe("alice", seen::add);
        b.createMailbox(box("Marker")); // what a hears before the marker was sent before it listened
        while (!(await(seen) instanceof StoreEvent.MailboxCreated)) {
            assertThat(seen).as("events before the marker").hasSizeLessThan(100);
        }
        List<Long> all = b.messages(INBOX).stream().map(MessageMeta::uid).toList();
        CopyResult copied = b.copy(INBOX, all, INBOX);
        List<Long> odd = copied.targetUids().stream().filter(u -> u % 2 == 1).toList();
        b.expunge(INBOX, odd);

        assertThat(await(seen)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class,
                e -> assertThat(e.messages()).extracting(MessageMeta::uid)
                        .containsExactlyElementsOf(copied.targetUids()));
        assertThat(await(seen)).isInstanceOfSatisfying(StoreEvent.MessagesExpunged.class,
                e -> assertThat(e.uids()).containsExactlyElementsOf(odd));
        assertThat(b.storedBodies()).isEqualTo(1);
    }

    @Test
    void twoNodesAppendingAtOnceGetDistinctAscendingUids() throws Exception {
        String url = newDatabaseUrl();
        List<Store> nodes = List.of(track(JdbcStore.open(url)), track(JdbcStore.open(url)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Store s = nodes.get(t % 2);
                Callable<List<Long>> work = () -> {
                    List<Long> uids = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        uids.add(s.append(INBOX, msg("m" + i), Flags.NONE, DATE).uid());
                    }
                    return uids;
                };
                futures.add(pool.submit(work));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                List<Long> mine = f.get(120, TimeUnit.SECONDS);
                assertThat(mine).isSorted();
                all.addAll(mine);
            }
            assertThat(all).hasSize(400).doesNotHaveDuplicates();
            assertThat(nodes.get(0).messages(INBOX)).hasSize(400);
            assertThat(nodes.get(1).quota("alice").messages()).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoNodesStartingAtOnceOnAnEmptySchemaBothOpen() throws Exception {
        String url = newDatabaseUrl();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<JdbcStore> one = pool.submit(() -> JdbcStore.open(url));
            Future<JdbcStore> two = pool.submit(() -> JdbcStore.open(url));
            Store a = track(one.get(60, TimeUnit.SECONDS));
            Store b = track(two.get(60, TimeUnit.SECONDS));
            a.append(MailboxRef.inbox("carol"), msg("hi"), Flags.NONE, DATE);
            assertThat(b.messages(MailboxRef.inbox("carol"))).hasSize(1);
            assertThat(count(url, "SELECT COUNT(*) FROM mc_schema_version")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
