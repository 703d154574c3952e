package dev.mailcore.delivery.internal.spool;

import dev.mailcore.api.MessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The on-disk layout of a queue spool and its crash-safe file operations.
 *
 * <pre>
 * SPOOL/queue.lock        locked (FileChannel.lock) by the queue that runs on this spool
 * SPOOL/tmp/              files being written; anything left here after a crash is garbage
 * SPOOL/msg/ID.eml        the message bytes, written once
 * SPOOL/msg/ID.state      envelope and per-recipient state (a {@link MessageRecord}); its presence commits the
 *                         message, it is replaced atomically after every attempt and deleted first when done
 * SPOOL/control/*.cmd     administration commands from another process, applied by the running queue
 * SPOOL/control/*.result  what the running queue made of a command ({@code done}, {@code missing} or {@code error}),
 *                         written before the command file is deleted, read and deleted by the command's writer
 * SPOOL/corrupt/          state files that could not be read, with their content files, moved aside for a human
 * </pre>
 * Every file is written under {@code tmp/}, forced to disk, then renamed into place and the directory forced, so a
 * reader (another process's {@code mailq}) only ever sees whole files and a crash never leaves a half-written one in
 * {@code msg/}. With {@code fsync} off, the forcing is skipped (faster, not crash-safe against power loss).
 */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    /** Suffix of message content files. */
    public static final String CONTENT = ".eml";
    /** Suffix of state files. */
    public static final String STATE = ".state";

    private static final java.util.concurrent.atomic.AtomicLong TEMP_SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final Path root;
    private final Path msg;
    private final Path tmp;
    private final Path control;
    private final Path corrupt;
    private final boolean fsync;

    public Spool(Path root, boolean fsync) throws IOException {
        this.root = Objects.requireNonNull(root, "root");
        this.msg = root.resolve("msg");
        this.tmp = root.resolve("tmp");
        this.control = root.resolve("control");
        this.corrupt = root.resolve("corrupt");
        this.fsync = fsync;
        Files.createDirectories(msg);
        Files.createDirectories(tmp);
        Files.createDirectories(control);
    }

    public Path root() {
        return root;
    }

    public Path contentFile(String id) {
        return msg.resolve(id + CONTENT);
    }

    public Path stateFile(String id) {
        return msg.resolve(id + STATE);
    }

    public Path lockFile() {
        return root.resolve("queue.lock");
    }

    public Path controlDirectory() {
        return control;
    }

    public Path corruptDirectory() {
        return corrupt;
    }

    /**
     * Moves an unreadable message's files into {@code corrupt/}, out of the queue's way but kept for a human to look
     * at. Only the process that holds the lock may call it.
     */
    public void quarantine(String id) throws IOException {
        Files.createDirectories(corrupt);
        for (Path p : List.of(contentFile(id), stateFile(id))) {
            if (Files.exists(p)) {
                move(p, corrupt.resolve(p.getFileName()));
            }
        }
        syncDirectory(corrupt);
        syncDirectory(msg);
    }

    /** The ids of the messages moved to {@code corrupt/}, sorted. */
    public List<String> quarantined() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(corrupt)) {
            return ids;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(corrupt, "*" + STATE)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                ids.add(name.substring(0, name.length() - STATE.length()));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /** Whether an id is in use (committed or being written). */
    public boolean exists(String id) {
        return Files.exists(stateFile(id)) || Files.exists(contentFile(id)) || Files.exists(tmp.resolve(id + CONTENT));
    }

    /**
     * Writes a new message durably: the content, then the state file that commits it. Returns the number of octets
     * written.
     */
    public long create(MessageRecordFactory factory, MessageSource content) throws IOException {
        String id = factory.id();
        Path tmpContent = tmp.resolve(id + CONTENT);
        long size;
        Path tmpState = null;
        try {
            try (FileChannel ch = FileChannel.open(tmpContent, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 InputStream in = content.openStream()) {
                OutputStream out = Channels.newOutputStream(ch);
                size = in.transferTo(out);
                if (fsync) {
                    ch.force(true);
                }
            }
            MessageRecord record = factory.create(size);
            tmpState = writeTemp(id + STATE, record.serialize());
            move(tmpContent, contentFile(id));
            move(tmpState, stateFile(id));
            syncDirectory(msg);
            return size;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpContent);
            if (tmpState != null) {
                Files.deleteIfExists(tmpState);
            }
            if (Files.exists(contentFile(id)) && !Files.exists(stateFile(id))) {
                Files.deleteIfExists(contentFile(id));
            }
            throw e;
        }
    }

    /** Makes the record for a new message once its size is known. */
    public interface MessageRecordFactory {
        String id();

        MessageRecord create(long size);
    }

    /** Replaces a message's state file atomically. */
    public void writeState(MessageRecord record) throws IOException {
        Path t = writeTemp(record.id() + STATE, record.serialize());
        move(t, stateFile(record.id()));
        syncDirectory(msg);
    }

    /**
     * Removes a message: the state file first (that is the commit), then the content. The directory is not forced:
     * an unlink is seen by every process at once (a killed queue never resurrects the message), and only a power
     * failure right after it could bring the message back, to be delivered a second time rather than lost.
     */
    public void remove(String id) throws IOException {
        Files.deleteIfExists(stateFile(id));
        Files.deleteIfExists(contentFile(id));
    }

    /** Reads a message's state, or {@code null} if it is gone. */
    public MessageRecord read(String id) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(stateFile(id));
        } catch (NoSuchFileException e) {
            return null;
        }
        return MessageRecord.parse(data);
    }

    /** A source over a message's content file. */
    public MessageSource content(String id, long size) {
        Path file = contentFile(id);
        return new MessageSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream openStream() throws IOException {
                return new java.io.BufferedInputStream(Files.newInputStream(file), 16 * 1024);
            }
        };
    }

    /** The ids of every committed message, sorted. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(msg, "*" + STATE)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                ids.add(name.substring(0, name.length() - STATE.length()));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * Cleans up after a crash: deletes everything under {@code tmp/} and content files whose state file was never
     * committed. Only the process that holds the lock may call it.
     */
    public void recover() throws IOException {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tmp)) {
            for (Path p : dir) {
                LOG.info("removing partially written queue file {}", p.getFileName());
                Files.deleteIfExists(p);
            }
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(msg, "*" + CONTENT)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - CONTENT.length());
                if (!Files.exists(stateFile(id))) {
                    LOG.info("removing uncommitted queue file {}", name);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---- locking ----

    /**
     * Takes the spool's lock for this process, waiting while another short holder (an administration command)
     * has it.
     *
     * @throws IOException if another queue runs on this spool in this JVM
     */
    public SpoolLock lock(boolean wait) throws IOException {
        FileChannel ch = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = wait ? ch.lock() : ch.tryLock();
            if (lock == null) {
                ch.close();
                return null;
            }
            return new SpoolLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            ch.close();
            if (wait) {
                throw new IOException("the spool " + root + " is already in use in this JVM", e);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A held spool lock. */
    public static final class SpoolLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        SpoolLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    // ---- control commands ----

    /** Writes one administration command for the running queue; returns its file. */
    public Path writeCommand(String name, String text) throws IOException {
        Path t = writeTemp(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path target = control.resolve(name);
        move(t, target);
        syncDirectory(control);
        return target;
    }

    /** Records what became of a command, for its writer: before the command file is deleted. */
    public void writeResult(Path command, String result) throws IOException {
        Path t = writeTemp(command.getFileName() + ".result", result.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        move(t, resultFile(command));
        syncDirectory(control);
    }

    /** What became of a command once its file is gone, deleting the record; {@code null} when there is none. */
    public String takeResult(Path command) throws IOException {
        Path file = resultFile(command);
        try {
            String result = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(file);
            return result;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes results nobody collected (their writer gave up waiting) once they are older than {@code cutoff}. */
    public void removeStaleResults(java.time.Instant cutoff) throws IOException {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(control, "*.result")) {
            for (Path p : dir) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException gone) {
                    // collected meanwhile
                }
            }
        }
    }

    private Path resultFile(Path command) {
        return control.resolve(command.getFileName() + ".result");
    }

    /** The pending command files, oldest name first. */
    public List<Path> commands() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(control, "*.cmd")) {
            dir.forEach(files::add);
        }
        Collections.sort(files);
        return files;
    }

    // ---- primitives ----

    private Path writeTemp(String name, byte[] data) throws IOException {
        Path t = tmp.resolve(name + "." + TEMP_SEQUENCE.incrementAndGet() + ".tmp");
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        return t;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void syncDirectory(Path dir) {
        if (!fsync) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.trace("cannot force directory {} (not supported here)", dir, e);
        }
    }
}
