package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.MessageSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Message bytes kept in {@code mc_content_chunk} rows. Each {@link #openStream() stream} reads one chunk at a time,
 * each with a connection borrowed from the pool for that one query, so a reader holds at most one chunk in heap and
 * no connection between reads. If the message is expunged and its content removed while a stream is open, the next
 * chunk read fails with an {@link IOException}.
 */
final class ChunkedSource implements MessageSource {
    private final DataSource pool;
    private final long contentId;
    private final long size;
    private final int chunks;

    ChunkedSource(DataSource pool, long contentId, long size, int chunks) {
        this.pool = pool;
        this.contentId = contentId;
        this.size = size;
        this.chunks = chunks;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream openStream() {
        return new ChunkStream();
    }

    private byte[] chunk(int seq) throws IOException {
        try (Connection c = pool.getConnection();
             PreparedStatement p = c.prepareStatement(
                     "SELECT data FROM mc_content_chunk WHERE content_id = ? AND seq = ?")) {
            p.setLong(1, contentId);
            p.setInt(2, seq);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("message content " + contentId + " is gone (chunk " + seq + ")");
                }
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IOException("cannot read message content " + contentId + ": " + e.getMessage(), e);
        }
    }

    private final class ChunkStream extends InputStream {
        private int next;
        private byte[] buf = new byte[0];
        private int pos;
        private boolean closed;

        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            while (pos >= buf.length) {
                if (next >= chunks) {
                    return false;
                }
                buf = chunk(next++);
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.length - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return buf.length - pos;
        }

        @Override
        public void close() {
            closed = true;
            buf = new byte[0];
        }
    }
}
