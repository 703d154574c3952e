package dev.mailcore.store.transfer;

import dev.mailcore.api.MessageSource;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one message being imported: in memory up to a threshold, then in a temporary file that {@link #close()}
 * deletes. Write, then {@link #source()}, then close.
 */
final class Spool implements AutoCloseable {
    private final int threshold;
    private final Path dir;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;
    private long size;
    private boolean closed;

    /** @param dir where to put the temporary file; {@code null} for the system's temporary directory */
    Spool(int threshold, Path dir) {
        this.threshold = threshold;
        this.dir = dir;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && size + len > threshold) {
            file = dir == null ? Files.createTempFile("mailcore-import", ".eml")
                    : Files.createTempFile(dir, "mailcore-import", ".eml");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    /** The bytes written, readable while this spool is open. */
    MessageSource source() throws IOException {
        if (fileOut == null) {
            return MessageSource.of(memory.toByteArray());
        }
        fileOut.flush();
        Path f = file;
        long n = size;
        return new MessageSource() {
            @Override
            public long size() {
                return n;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(f);
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (fileOut != null) {
            try {
                fileOut.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
