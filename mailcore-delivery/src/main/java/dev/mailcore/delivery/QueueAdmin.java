package dev.mailcore.delivery;

import dev.mailcore.delivery.internal.ControlCommand;
import dev.mailcore.delivery.internal.spool.MessageRecord;
import dev.mailcore.delivery.internal.spool.Spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Administers a queue spool from outside the process that runs the queue (the standalone {@code mailcore-server
 * queue} command), or when no queue runs at all.
 *
 * <p>{@link #list()} and {@link #stats()} read the spool's state files directly: they are replaced atomically, so a
 * reader never sees a half-written one, even while the queue runs. A change ({@link #flush}, {@link #hold},
 * {@link #release}, {@link #delete}, {@link #requeue}) is applied by whoever owns the spool: when a queue runs on it
 * (it holds the spool's lock), the change is written as a command file into {@code control/}, which the queue applies
 * within about a second, and this call waits for that; when none runs, this object takes the lock and changes the
 * files itself.
 */
public final class QueueAdmin {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path spoolDirectory;
    private final Clock clock;
    private final Duration timeout;

    /** Administers the spool at {@code spoolDirectory}, waiting up to 10 s for a running queue to apply a change. */
    public QueueAdmin(Path spoolDirectory) {
        this(spoolDirectory, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    /**
     * @param spoolDirectory the spool
     * @param clock          the time a flush or re-queue makes messages due at, when no queue runs
     * @param timeout        how long to wait for a running queue to apply a change
     */
    public QueueAdmin(Path spoolDirectory, Clock clock, Duration timeout) {
        this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Whether a queue currently runs on this spool (holds its lock). */
    public boolean isQueueRunning() throws IOException {
        try (Spool.SpoolLock lock = spool().lock(false)) {
            return lock == null;
        }
    }

    /** Every queued message, oldest id first. */
    public List<QueueEntry> list() throws IOException {
        Spool spool = spool();
        List<QueueEntry> out = new ArrayList<>();
        for (String id : spool.ids()) {
            MessageRecord record;
            try {
                record = spool.read(id);
            } catch (IOException e) {
                continue; // unreadable: the queue logs it
            }
            if (record != null) {
                out.add(record.snapshot());
            }
        }
        return out;
    }

    /** What is queued now (the since-start counters are zero: only the running queue knows them). */
    public QueueStats stats() throws IOException {
        int held = 0;
        int pending = 0;
        int deferred = 0;
        long bytes = 0;
        Instant oldest = null;
        List<QueueEntry> entries = list();
        for (QueueEntry e : entries) {
            held += e.held() ? 1 : 0;
            bytes += e.size();
            if (oldest == null || e.arrival().isBefore(oldest)) {
                oldest = e.arrival();
            }
            for (RecipientState r : e.recipients()) {
                pending += r.state() == RecipientState.State.PENDING ? 1 : 0;
                deferred += r.state() == RecipientState.State.DEFERRED ? 1 : 0;
            }
        }
        return new QueueStats(entries.size(), held, pending, deferred, bytes, oldest, 0, 0, 0);
    }

    /** Makes every message due now. */
    public void flush() throws IOException {
        execute(new ControlCommand(ControlCommand.Verb.FLUSH, null));
    }

    /** Makes one message due now; false when there is no such message. */
    public boolean flush(String id) throws IOException {
        return execute(command(ControlCommand.Verb.FLUSH, id));
    }

    /** Puts a message on hold; false when there is no such message. */
    public boolean hold(String id) throws IOException {
        return execute(command(ControlCommand.Verb.HOLD, id));
    }

    /** Releases a held message; false when there is no such message. */
    public boolean release(String id) throws IOException {
        return execute(command(ControlCommand.Verb.RELEASE, id));
    }

    /** Deletes a message without notifying its sender; false when there is no such message. */
    public boolean delete(String id) throws IOException {
        return execute(command(ControlCommand.Verb.DELETE, id));
    }

    /** Makes a message due now with its attempt counts reset; false when there is no such message. */
    public boolean requeue(String id) throws IOException {
        return execute(command(ControlCommand.Verb.REQUEUE, id));
    }

    private static ControlCommand command(ControlCommand.Verb verb, String id) {
        if (!ControlCommand.isValidId(id)) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
        return new ControlCommand(verb, id);
    }

    private Spool spool() throws IOException {
        if (!Files.isDirectory(spoolDirectory)) {
            throw new NoSuchFileException(spoolDirectory.toString(), null, "no queue spool here");
        }
        return new Spool(spoolDirectory, true);
    }

    private boolean execute(ControlCommand cmd) throws IOException {
        Spool spool = spool();
        if (cmd.id() != null && !Files.exists(spool.stateFile(cmd.id()))) {
            return false;
        }
        try (Spool.SpoolLock lock = spool.lock(false)) {
            if (lock != null) {
                return applyDirectly(spool, cmd);
            }
        }
        String name = String.format("%013d-%06d-%d.cmd", System.currentTimeMillis(), SEQUENCE.incrementAndGet(),
                ProcessHandle.current().pid());
        Path file = spool.writeCommand(name, cmd.toText());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the running queue did not apply " + cmd.verb() + " within " + timeout
                        + "; the command stays in " + file.getParent());
            }
            try {
                Thread.sleep(20); // the queue polls its control directory about once a second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the queue", e);
            }
        }
        String result = spool.takeResult(file);
        if (result == null || result.equals("done")) {
            return true; // a queue that writes no results applied it
        }
        if (result.equals("missing")) {
            return false;
        }
        throw new IOException("the running queue could not apply " + cmd.verb() + " (see its log)");
    }

    /**
     * The ids of messages whose state files could not be read when a queue opened the spool: they were moved with
     * their content to the spool's {@code corrupt/} directory, where they wait for a human (the queue never tries
     * them again).
     */
    public List<String> corrupt() throws IOException {
        return spool().quarantined();
    }

    private boolean applyDirectly(Spool spool, ControlCommand cmd) throws IOException {
        List<String> ids = cmd.id() == null ? spool.ids() : List.of(cmd.id());
        boolean found = false;
        Instant now = clock.instant();
        for (String id : ids) {
            MessageRecord record = spool.read(id);
            if (record == null) {
                continue;
            }
            found = true;
            switch (cmd.verb()) {
                case DELETE:
                    spool.remove(id);
                    continue;
                case HOLD:
                    record.held(true);
                    break;
                case RELEASE:
                    record.held(false);
                    break;
                case REQUEUE:
                    record.requeue(now);
                    break;
                case FLUSH:
                default:
                    record.flush(now);
                    break;
            }
            spool.writeState(record);
        }
        return found;
    }
}
