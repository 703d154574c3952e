package dev.mailcore.delivery;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.delivery.internal.QueueEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * mailcore's outbound mail queue, as Postfix's: messages are written durably to a file spool, delivered by a
 * {@link Transport} (one call per attempt and destination domain), retried with backoff, and returned to their
 * senders as RFC 3464 delivery status notifications when they fail for good or expire.
 *
 * <pre>{@code
 * DeliveryQueue queue = DeliveryQueue.builder()
 *         .spoolDirectory(Path.of("/var/spool/mailcore"))
 *         .transport(smtpTransport)
 *         .hostname("mx.example.org")
 *         .postmaster(MailAddress.parse("postmaster@example.org"))
 *         .build();                                   // opens the spool and resumes what was queued
 * queue.start();                                      // scheduler thread and workers
 * SmtpConfig smtp = SmtpConfig.builder().transport(queue.asTransport())...build();   // relay into the queue
 * }</pre>
 *
 * <h2>Durability</h2>
 * {@link #enqueue} returns only once the message and its state file are on disk (written under {@code tmp/}, forced,
 * renamed, the directory forced). Each recipient's state (pending, deferred with its last reply, delivered,
 * bounced) is rewritten atomically after every attempt. A message's files are deleted once every recipient is
 * delivered or bounced and the notifications it caused are queued. After a crash a new queue on the same spool
 * resumes every unfinished message; the only duplicate delivery possible is of a recipient the next hop accepted
 * just before the crash, when the acceptance was not recorded yet.
 *
 * <h2>Threads</h2>
 * {@link #start()} starts one scheduler thread and {@code concurrency} worker threads; attempts on distinct messages
 * run in parallel, the destination domains of one message one after the other. Tests that drive a {@link Clock}
 * themselves do not call {@code start()} but {@link #runDue()}, which performs every attempt due at the clock's
 * instant synchronously.
 *
 * <h2>Administration</h2>
 * {@link #list()}, {@link #flush()}, {@link #hold}, {@link #release}, {@link #delete}, {@link #requeue} and
 * {@link #stats()} act on this queue directly. Another process (the {@code mailcore-server queue} command) uses
 * {@link QueueAdmin}, whose commands this queue picks up from the spool's {@code control/} directory within a second.
 */
public final class DeliveryQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);

    private final QueueEngine engine;
    private final Path spoolDirectory;

    private DeliveryQueue(Builder b) throws IOException {
        this.spoolDirectory = b.spoolDirectory;
        this.engine = new QueueEngine(new QueueEngine.Settings(b.spoolDirectory, b.transport, b.hostname,
                b.postmaster, b.clock, b.retry, b.concurrency, b.fsync, b.bounceSink, b.listeners));
    }

    /** A builder; {@link Builder#spoolDirectory} and {@link Builder#transport} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The spool directory. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**
     * Queues a message durably: returns once it is on disk. Every recipient is due at once.
     *
     * @return the queue id
     * @throws IOException if the spool could not take it (the caller should answer 451)
     */
    public String enqueue(Envelope envelope, MessageSource content) throws IOException {
        return engine.enqueue(envelope, content);
    }

    /**
     * A {@link Transport} whose {@code deliver} queues the message here and answers every recipient
     * {@code DELIVERED} with {@code 250 2.0.0 Ok: queued as ID}, or, when the spool fails, {@code DEFERRED} with
     * {@code 451 4.3.0}. Give it to mailcore-smtp ({@code SmtpConfig.builder().transport(queue.asTransport())}) so that
     * relayed mail is acknowledged only once it is queued.
     */
    public Transport asTransport() {
        return (envelope, content) -> {
            SmtpReply reply;
            DeliveryStatus status;
            try {
                String id = enqueue(envelope, content);
                reply = SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
                status = DeliveryStatus.DELIVERED;
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not queue a message from {}", envelope.sender(), e);
                reply = SmtpReply.of(451, "4.3.0", "Error: queue file write error");
                status = DeliveryStatus.DEFERRED;
            }
            List<RecipientOutcome> outcomes = new ArrayList<>();
            for (EnvelopeRecipient r : envelope.recipients()) {
                outcomes.add(new RecipientOutcome(r.address(), status, reply));
            }
            return new DeliveryReport(outcomes);
        };
    }

    /** Starts the scheduler thread and the workers. Without it nothing is attempted except by {@link #runDue()}. */
    public void start() {
        engine.start();
    }

    /**
     * Performs, on the calling thread's behalf, every attempt due at {@code clock.instant()}, and returns when they
     * are all done, including the notifications they cause and the attempts of notifications this queue then holds
     * that are due too. Pending {@link QueueAdmin} commands are applied first. Meant for tests that move a
     * controllable clock: {@code clock.advance(Duration.ofSeconds(300)); queue.runDue();} runs the first retry without
     * any sleeping. Safe to call while {@link #start()}ed (messages already being attempted are skipped).
     *
     * @return how many message attempts were made
     */
    public int runDue() {
        return engine.runDue();
    }

    /**
     * A future that completes once no attempt is running and none is due at {@code clock.instant()} (every message
     * left is waiting for a later retry, or on hold). For tests of a started queue: await it instead of sleeping.
     */
    public CompletableFuture<Void> whenIdle() {
        return engine.whenIdle();
    }

    /** Adds a listener (in addition to those given to the builder). */
    public void addListener(QueueListener listener) {
        engine.addListener(listener);
    }

    /** Removes a listener. */
    public void removeListener(QueueListener listener) {
        engine.removeListener(listener);
    }

    // ---- administration ----

    /** Every queued message, oldest id first. */
    public List<QueueEntry> list() {
        return engine.list();
    }

    /** Counts of what is queued now, and of what happened since this queue was opened. */
    public QueueStats stats() {
        return engine.stats();
    }

    /** Makes every queued message (not on hold) due now, as {@code postqueue -f}. */
    public void flush() {
        engine.flushAll();
    }

    /** Makes one message due now; false when there is no such message. */
    public boolean flush(String id) {
        return engine.flush(id);
    }

    /** Puts a message on hold: it is not attempted until released; false when there is no such message. */
    public boolean hold(String id) {
        return engine.hold(id);
    }

    /** Releases a held message; false when there is no such message. */
    public boolean release(String id) {
        return engine.releaseHold(id);
    }

    /** Deletes a message without any notification to its sender; false when there is no such message. */
    public boolean delete(String id) {
        return engine.delete(id);
    }

    /**
     * Re-queues a message: its unfinished recipients are due now and their attempt counts start again from zero
     * (so the backoff does); false when there is no such message. The arrival time, and so the expiry, is kept.
     */
    public boolean requeue(String id) {
        return engine.requeue(id);
    }

    /** Stops the scheduler, waits (up to 30 s) for attempts in progress, and releases the spool. */
    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures a {@link DeliveryQueue}. */
    public static final class Builder {
        private Path spoolDirectory;
        private Transport transport;
        private String hostname = "localhost";
        private MailAddress postmaster;
        private Clock clock = Clock.systemUTC();
        private RetryPolicy retry = RetryPolicy.DEFAULTS;
        private int concurrency = 8;
        private boolean fsync = true;
        private BounceSink bounceSink;
        private final List<QueueListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** The spool directory (created if missing). Required; one running queue per directory. */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The transport that makes each delivery attempt. Required. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** This host's name: the DSNs' Reporting-MTA and their {@code MAILER-DAEMON@hostname} From. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /**
         * Where failures of null-sender mail (bounces) are reported, as double bounces; {@code null} (the default):
         * such failures are logged and dropped.
         */
        public Builder postmaster(MailAddress postmaster) {
            this.postmaster = postmaster;
            return this;
        }

        /** The clock for arrival times and the retry schedule; tests pass one they move themselves. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Retry schedule and lifetimes; {@link RetryPolicy#DEFAULTS} when not set. */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** How many attempts run at once (worker threads); 8 by default. */
        public Builder concurrency(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            this.concurrency = workers;
            return this;
        }

        /**
         * Whether spool writes are forced to disk (default true). Turning it off is only safe where losing queued
         * mail on a power failure or kernel crash is acceptable (tests, benchmarks).
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** Where notifications go; by default ({@code null}) they are queued into this queue itself. */
        public Builder bounceSink(BounceSink sink) {
            this.bounceSink = sink;
            return this;
        }

        /** Adds a listener for delivery outcomes. */
        public Builder listener(QueueListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Opens the spool (taking its lock; waits up to 10 s while an administration command holds it), deletes
         * partially written files left by a crash, and loads every unfinished message, due as it was scheduled.
         *
         * @throws IOException if the spool cannot be opened or another queue runs on it
         */
        public DeliveryQueue build() throws IOException {
            if (spoolDirectory == null) {
                throw new MailcoreException("spoolDirectory is required");
            }
            if (transport == null) {
                throw new MailcoreException("transport is required");
            }
            return new DeliveryQueue(this);
        }
    }
}
