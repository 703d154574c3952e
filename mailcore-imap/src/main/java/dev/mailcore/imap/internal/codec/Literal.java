package dev.mailcore.imap.internal.codec;

import dev.mailcore.api.MessageSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The content of one literal of a command: held in an array, or spooled to a temporary file that {@link #close()}
 * deletes. Readable any number of times until closed.
 */
public final class Literal implements MessageSource, AutoCloseable {

    private final long size;
    private final boolean binary;
    private final byte[] bytes;
    private final Path file;
    private volatile boolean closed;

    private Literal(long size, boolean binary, byte[] bytes, Path file) {
        this.size = size;
        this.binary = binary;
        this.bytes = bytes;
        this.file = file;
    }

    /** A literal over {@code bytes} (not copied). */
    public static Literal inMemory(byte[] bytes, boolean binary) {
        return new Literal(bytes.length, binary, Objects.requireNonNull(bytes, "bytes"), null);
    }

    /** A literal spooled to {@code file}, which holds exactly {@code size} octets and is deleted by {@link #close}. */
    public static Literal spooled(Path file, long size, boolean binary) {
        return new Literal(size, binary, null, Objects.requireNonNull(file, "file"));
    }

    @Override
    public long size() {
        return size;
    }

    /** True for a {@code literal8} ({@code ~{n}}, RFC 3516). */
    public boolean binary() {
        return binary;
    }

    /** True when the content lives in a spool file rather than on the heap. */
    public boolean spooled() {
        return file != null;
    }

    /** The spool file, or null for an in-memory literal. */
    Path file() {
        return file;
    }

    /**
     * The content as an array: the held array itself for an in-memory literal (do not change it), read from the
     * file otherwise.
     */
    public byte[] bytes() {
        if (bytes != null) {
            return bytes;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openStream() throws IOException {
        if (closed) {
            throw new IOException("literal released");
        }
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Deletes the spool file; idempotent. */
    @Override
    public void close() {
        closed = true;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file we cannot delete is left for the OS to clean
            }
        }
    }

    @Override
    public String toString() {
        return "Literal[" + size + (binary ? " binary" : "") + (file != null ? " spooled" : "") + "]";
    }
}
