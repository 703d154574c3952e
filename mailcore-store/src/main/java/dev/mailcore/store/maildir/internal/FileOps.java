package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable file operations: fsync of files and directories (switchable off for tests and benchmarks), atomic
 * replacement, hard links with a copy fallback, and the mapping of {@link IOException}s to {@link StoreException}s.
 */
public final class FileOps {
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
    private final boolean fsync;

    public FileOps(boolean fsync) {
        this.fsync = fsync;
    }

    public boolean fsync() {
        return fsync;
    }

    /** {@link StoreError#STORAGE_FULL} when the disk (or a file system quota) is full, else {@link StoreError#FAILURE}. */
    public static StoreException failure(String what, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            m = m + " " + fse.getReason();
        }
        StoreError error = m.contains("No space") || m.contains("Disk quota exceeded") ? StoreError.STORAGE_FULL
                : StoreError.FAILURE;
        return new StoreException(error, what + ": " + e, e);
    }

    /** Flushes a directory's entries to stable storage (a no-op where directories cannot be opened). */
    public void fsyncDirectory(Path dir) throws IOException {
        if (!fsync) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) {
                return; // Windows cannot open directories; NTFS journals the metadata anyway
            }
            throw e;
        }
    }

    /** Creates {@code dir} with {@code cur}, {@code new} and {@code tmp}; returns whether anything was created. */
    public boolean ensureMaildir(Path dir) throws IOException {
        boolean created = !Files.isDirectory(dir);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Path p = dir.resolve(sub);
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                created = true;
            }
        }
        if (created) {
            fsyncDirectory(dir);
            fsyncDirectory(dir.getParent());
        }
        return created;
    }

    /** Writes a file next to {@code target}, fsyncs it, renames it over {@code target} and fsyncs the directory. */
    public void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp." + ProcessHandle.current().pid() + "."
                + TEMP_COUNTER.incrementAndGet());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(true);
                }
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDirectory(target.getParent());
    }

    /** Appends bytes to a file and fsyncs it; on failure the file is cut back to its old length. */
    public void append(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long oldSize = ch.size();
            try {
                ch.position(oldSize);
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(false);
                }
            } catch (IOException e) {
                try {
                    ch.truncate(oldSize);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /**
     * Copies {@code size} bytes from a stream into a new file, sets its modification time and fsyncs it.
     *
     * @throws IOException also when the stream has fewer or more bytes than {@code size}
     */
    public void writeNew(Path file, InputStream in, long size, Instant mtime) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(size, 512))];
            long written = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                written += n;
                if (written > size) {
                    throw new IOException("message source has more than its size of " + size + " bytes");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
            if (written != size) {
                throw new IOException("message source ended after " + written + " of " + size + " bytes");
            }
            Files.setLastModifiedTime(file, FileTime.from(mtime)); // before the fsync, which makes it durable too
            if (fsync) {
                ch.force(true);
            }
        }
    }

    /** A new name for {@code from} (atomic rename; replaces nothing the caller did not mean to). */
    public void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Hard-links {@code existing} as {@code link}, or copies it (and fsyncs the copy) where links do not work. */
    public void linkOrCopy(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
            return;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException) {
                throw (NoSuchFileException) e;
            }
            // another file system, or links not allowed: copy
        }
        Files.copy(existing, link, StandardCopyOption.COPY_ATTRIBUTES);
        if (fsync) {
            try (FileChannel ch = FileChannel.open(link, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    /** Deletes a directory tree; quietly ignores what is gone already. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
