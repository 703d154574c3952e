package dev.mailcore.smtp.internal.codec;

import dev.mailcore.api.MessageSource;
import io.netty.buffer.ByteBuf;

import java.nio.file.Path;

/**
 * Collects the bytes of one incoming message: in heap up to a threshold, then in a temporary file in the spool
 * directory. {@link #close()} deletes the file. Used on one event loop; the {@link MessageSource} it hands out may be
 * read from any thread until the spool is closed.
 */
public final class MessageSpool implements AutoCloseable {

    /**
     * @param directory       where to create the temporary file
     * @param memoryThreshold bytes kept in heap before switching to the file
     * @param maxSize         bytes accepted in all; past that {@link #write} returns false and keeps nothing more
     */
    public MessageSpool(Path directory, int memoryThreshold, long maxSize) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Appends the readable bytes of {@code data} (not consumed, not released); false once over {@code maxSize}. */
    public boolean write(ByteBuf data) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Bytes written so far (at most {@code maxSize}). */
    public long size() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Whether a write went over {@code maxSize}. */
    public boolean overflowed() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Drops everything written so far (RSET, BDAT after an error) and starts again empty. */
    public void reset() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * The content with {@code prefix} (trace and filter headers) in front, as a re-readable source. Flushes buffered
     * file output first. Valid until {@link #close()}.
     */
    public MessageSource toSource(byte[] prefix) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
