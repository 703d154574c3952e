package dev.mailcore.smtp.internal.codec;

import dev.mailcore.api.MessageSource;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Collects the bytes of one incoming message: in heap up to a threshold, then in a temporary file in the spool
 * directory. {@link #close()} deletes the file. Used on one event loop; the {@link MessageSource} it hands out may be
 * read from any thread until the spool is closed.
 *
 * <p>The first {@code memoryThreshold} bytes stay in a heap array; the rest goes, through a small write buffer, to a
 * temporary file created on first need. A source reads the heap part and then the file part. When writing to the file
 * fails, the spool keeps the {@link IOException} ({@link #failure()}), stops storing and {@link #write} returns false,
 * so the decoder reports {@link DataError#TOO_BIG} and the session should check {@link #failure()} to answer 451.
 */
public final class MessageSpool implements AutoCloseable {

    private static final int FILE_BUFFER_SIZE = 64 * 1024;

    private final Path directory;
    private final int memoryThreshold;
    private final long maxSize;

    private byte[] heap = new byte[0];
    private int heapSize;
    private Path file;
    private FileChannel fileChannel;
    private ByteBuffer fileBuffer;
    private long fileSize; // bytes in the file plus bytes waiting in fileBuffer
    private boolean overflowed;
    private IOException failure;
    private boolean closed;

    /**
     * @param directory       where to create the temporary file
     * @param memoryThreshold bytes kept in heap before switching to the file
     * @param maxSize         bytes accepted in all; past that {@link #write} returns false and keeps nothing more
     */
    public MessageSpool(Path directory, int memoryThreshold, long maxSize) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memoryThreshold < 0: " + memoryThreshold);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize < 0: " + maxSize);
        }
        this.memoryThreshold = memoryThreshold;
        this.maxSize = maxSize;
    }

    /** Appends the readable bytes of {@code data} (not consumed, not released); false once over {@code maxSize}. */
    public boolean write(ByteBuf data) {
        return write(data, data.readerIndex(), data.readableBytes());
    }

    /**
     * Appends {@code length} bytes of {@code data} from absolute {@code index} (indices untouched, not released);
     * false once over {@code maxSize} (the bytes up to the limit are kept) or after a file write failed.
     *
     * @throws IllegalStateException when the spool is closed
     */
    public boolean write(ByteBuf data, int index, int length) {
        if (closed) {
            throw new IllegalStateException("spool closed");
        }
        if (overflowed || failure != null) {
            return false;
        }
        if (length <= 0) {
            return true;
        }
        long size = size();
        int accepted = length;
        if (size + length > maxSize) {
            accepted = (int) (maxSize - size);
            overflowed = true;
        }
        int toHeap = (int) Math.max(0, Math.min(accepted, (long) memoryThreshold - heapSize));
        if (toHeap > 0) {
            ensureHeap(heapSize + toHeap);
            data.getBytes(index, heap, heapSize, toHeap);
            heapSize += toHeap;
        }
        int toFile = accepted - toHeap;
        if (toFile > 0 && !writeFile(data, index + toHeap, toFile)) {
            return false;
        }
        return !overflowed;
    }

    private void ensureHeap(int needed) {
        if (needed > heap.length) {
            int grown = Math.max(needed, Math.max(256, heap.length * 2));
            heap = Arrays.copyOf(heap, Math.min(grown, Math.max(needed, memoryThreshold)));
        }
    }

    private boolean writeFile(ByteBuf data, int index, int length) {
        try {
            if (fileChannel == null) {
                file = Files.createTempFile(directory, "mailcore-spool-", ".eml");
                fileChannel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
                fileBuffer = ByteBuffer.allocateDirect(FILE_BUFFER_SIZE);
            }
            if (length > fileBuffer.remaining()) {
                flushFileBuffer();
            }
            if (length >= fileBuffer.capacity()) {
                int done = 0;
                while (done < length) {
                    done += data.getBytes(index + done, fileChannel, fileSize + done, length - done);
                }
            } else {
                int limit = fileBuffer.limit();
                ByteBuffer dst = fileBuffer.duplicate();
                dst.limit(fileBuffer.position() + length);
                data.getBytes(index, dst);
                fileBuffer.position(fileBuffer.position() + length);
                fileBuffer.limit(limit);
            }
            fileSize += length;
            return true;
        } catch (IOException e) {
            failure = e;
            return false;
        }
    }

    /** Writes buffered file output; {@code fileSize} already counts it, the channel position is where it goes. */
    private void flushFileBuffer() throws IOException {
        if (fileBuffer == null || fileBuffer.position() == 0) {
            return;
        }
        fileBuffer.flip();
        long position = fileSize - fileBuffer.remaining();
        while (fileBuffer.hasRemaining()) {
            position += fileChannel.write(fileBuffer, position);
        }
        fileBuffer.clear();
    }

    /** Bytes written so far (at most {@code maxSize}). */
    public long size() {
        return heapSize + fileSize;
    }

    /** Whether a write went over {@code maxSize}. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The file error that stopped this spool from storing, or {@code null}. */
    public IOException failure() {
        return failure;
    }

    /** Whether part of the content lives in a temporary file (for tests and metrics). */
    public boolean usesFile() {
        return file != null;
    }

    /** The temporary file, or {@code null} while everything is in heap (for tests). */
    Path file() {
        return file;
    }

    /** Drops everything written so far (RSET, BDAT after an error) and starts again empty. */
    public void reset() {
        if (closed) {
            throw new IllegalStateException("spool closed");
        }
        heapSize = 0;
        if (heap.length > Math.max(4096, memoryThreshold / 4)) {
            heap = new byte[0]; // give back big arrays between messages
        }
        deleteFile();
        overflowed = false;
        failure = null;
    }

    private void deleteFile() {
        FileChannel channel = fileChannel;
        Path path = file;
        fileChannel = null;
        file = null;
        fileBuffer = null;
        fileSize = 0;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the file is deleted below
            }
        }
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spool file " + path, e);
            }
        }
    }

    /**
     * The content with {@code prefix} (trace and filter headers) in front, as a re-readable source. Flushes buffered
     * file output first. Valid until {@link #close()} or {@link #reset()}; later writes are not seen by it.
     */
    public MessageSource toSource(byte[] prefix) {
        if (closed) {
            throw new IllegalStateException("spool closed");
        }
        byte[] head = prefix == null ? new byte[0] : prefix;
        try {
            flushFileBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush spool file " + file, e);
        }
        return new SpoolSource(head, heap, heapSize, file, fileSize);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heap = new byte[0];
        heapSize = 0;
        deleteFile();
    }

    /** A snapshot view: prefix, then heap bytes, then file bytes. */
    private static final class SpoolSource implements MessageSource {
        private final byte[] prefix;
        private final byte[] heap;
        private final int heapSize;
        private final Path file;
        private final long fileSize;

        SpoolSource(byte[] prefix, byte[] heap, int heapSize, Path file, long fileSize) {
            this.prefix = prefix;
            this.heap = heap;
            this.heapSize = heapSize;
            this.file = file;
            this.fileSize = fileSize;
        }

        @Override
        public long size() {
            return prefix.length + heapSize + fileSize;
        }

        @Override
        public InputStream openStream() throws IOException {
            FileChannel channel = file == null || fileSize == 0 ? null : FileChannel.open(file, StandardOpenOption.READ);
            return new SpoolInputStream(prefix, heap, heapSize, channel, fileSize);
        }

        @Override
        public String toString() {
            return "SpoolSource[size=" + size() + (file != null ? ", file=" + file : "") + "]";
        }
    }

    /** Reads the three parts in order; reads at most {@code fileSize} bytes of the file. */
    private static final class SpoolInputStream extends InputStream {
        private final ByteArrayInputStream prefix;
        private final ByteArrayInputStream heap;
        private final FileChannel channel;
        private final long fileSize;
        private long filePosition;

        SpoolInputStream(byte[] prefix, byte[] heap, int heapSize, FileChannel channel, long fileSize) {
            this.prefix = new ByteArrayInputStream(prefix);
            this.heap = new ByteArrayInputStream(heap, 0, heapSize);
            this.channel = channel;
            this.fileSize = channel == null ? 0 : fileSize;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = prefix.read(b, off, len);
            if (n > 0) {
                return n;
            }
            n = heap.read(b, off, len);
            if (n > 0) {
                return n;
            }
            long left = fileSize - filePosition;
            if (left <= 0) {
                return -1;
            }
            ByteBuffer dst = ByteBuffer.wrap(b, off, (int) Math.min(len, left));
            int read = channel.read(dst, filePosition);
            if (read < 0) {
                throw new IOException("spool file shorter than expected");
            }
            filePosition += read;
            return read;
        }

        @Override
        public int available() {
            long total = (long) prefix.available() + heap.available() + (fileSize - filePosition);
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
