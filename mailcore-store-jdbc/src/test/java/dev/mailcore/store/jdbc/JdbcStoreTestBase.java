package dev.mailcore.store.jdbc;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.tck.DurableStoreContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durable store contract plus what is particular to the JDBC store (bodies stored once, chunking, schema
 * versions), for any database: a subclass says where a new, empty store lives.
 */
abstract class JdbcStoreTestBase extends DurableStoreContract {

    /** The JDBC URL of a new, empty database (or schema). */
    protected abstract String newDatabaseUrl();

    /** How each store was made, so that a reopen makes the same. */
    private record Made(String url, long bytes, long messages, boolean folders) {
        JdbcStore open() {
            JdbcStore.Builder b = JdbcStore.builder(url).quota(bytes, messages);
            if (folders) {
                b.standardFolders();
            }
            return b.build();
        }
    }

    private final Map<Store, Made> made = new IdentityHashMap<>();

    private Store make(long bytes, long messages, boolean folders) {
        String url = newDatabaseUrl();
        Made m = new Made(url, bytes, messages, folders);
        JdbcStore s = m.open();
        made.put(s, m);
        return s;
    }

    @Override
    protected Store newStore() {
        return make(QuotaUsage.UNLIMITED, QuotaUsage.UNLIMITED, false);
    }

    @Override
    protected Store newStoreWithQuota(long bytesPerUser, long messagesPerUser) {
        return make(bytesPerUser, messagesPerUser, false);
    }

    @Override
    protected Store newStoreWithDefaultFolders() {
        return make(QuotaUsage.UNLIMITED, QuotaUsage.UNLIMITED, true);
    }

    @Override
    protected Store reopen(Store old) {
        old.close();
        Made m = made.remove(old);
        JdbcStore s = m.open();
        made.put(s, m);
        return s;
    }

    protected String urlOf(Store s) {
        return made.get(s).url();
    }

    protected long count(Store s, String sql) throws SQLException {
        return count(urlOf(s), sql);
    }

    protected static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- JDBC specifics ----

    @Test
    void aMessageDeliveredToThreeUsersIsStoredOnce() throws SQLException {
        List<AppendResult> r = store.deliver(List.of(MailboxRef.inbox("u1"), MailboxRef.inbox("u2"),
                MailboxRef.inbox("u3")), msg("one body for all"), DATE);
        assertThat(r).hasSize(3);
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content")).isEqualTo(1);
        assertThat(count(store, "SELECT COUNT(*) FROM mc_message")).isEqualTo(3);
        assertThat(((JdbcStore) store).storedBodies()).isEqualTo(1);
        for (AppendResult a : r) {
            assertThat(text(store.content(a.mailbox(), a.uid()))).isEqualTo("one body for all");
        }
    }

    @Test
    void aCopySharesTheBodyAndTheBodyGoesWithTheLastReference() throws SQLException {
        store.createMailbox(box("Copies"));
        long uid = append(INBOX, "shared").uid();
        long copy = store.copy(INBOX, List.of(uid), box("Copies")).targetUids().get(0);
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content")).isEqualTo(1);
        store.expunge(INBOX, List.of(uid));
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content")).isEqualTo(1);
        assertThat(text(store.content(box("Copies"), copy))).isEqualTo("shared");
        store.deleteMailbox(box("Copies"));
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content_chunk")).isZero();
    }

    @Test
    void aFiveMebibyteMessageIsStoredInChunksAndStreamedBackExactly() throws Exception {
        int size = 5 * 1024 * 1024 + 17;
        long seed = 42;
        AppendResult r = store.append(INBOX, new GeneratedSource(size, seed), null, DATE);
        long chunkSize = 256 * 1024;
        assertThat(count(store, "SELECT COUNT(*) FROM mc_content_chunk"))
                .isEqualTo((size + chunkSize - 1) / chunkSize);
        assertThat(count(store, "SELECT MAX(OCTET_LENGTH(data)) FROM mc_content_chunk")).isEqualTo(chunkSize);
        MessageSource back = store.content(INBOX, r.uid());
        assertThat(back.size()).isEqualTo(size);
        long read = 0;
        try (InputStream in = back.openStream()) {
            byte[] buf = new byte[8191];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != GeneratedSource.byteAt(seed, read + i)) {
                        throw new AssertionError("byte " + (read + i) + " differs");
                    }
                }
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(store.quota("alice").bytes()).isEqualTo(size);
    }

    @Test
    void theSchemaVersionIsRecordedOnceAcrossReopens() throws SQLException {
        store = reopened(store);
        store = reopened(store);
        assertThat(count(store, "SELECT COUNT(*) FROM mc_schema_version")).isEqualTo(1);
        assertThat(count(store, "SELECT MAX(version) FROM mc_schema_version")).isEqualTo(1);
    }

    /** A big message made up on the fly, never whole in memory: byte i is a function of the seed and i. */
    static final class GeneratedSource implements MessageSource {
        private final long size;
        private final long seed;

        GeneratedSource(long size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        static byte byteAt(long seed, long i) {
            long x = (i + 1) * 0x9E3779B97F4A7C15L ^ seed;
            x ^= x >>> 29;
            return (byte) (x * 0xBF58476D1CE4E5B9L >>> 56);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream openStream() {
            return new InputStream() {
                private long pos;

                @Override
                public int read() {
                    return pos < size ? byteAt(seed, pos++) & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (pos >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - pos);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = byteAt(seed, pos++);
                    }
                    return n;
                }
            };
        }
    }
}
