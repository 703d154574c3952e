package dev.mailcore.delivery.internal;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.delivery.BounceSink;
import dev.mailcore.delivery.QueueEntry;
import dev.mailcore.delivery.QueueListener;
import dev.mailcore.delivery.QueueStats;
import dev.mailcore.delivery.RecipientState;
import dev.mailcore.delivery.RetryPolicy;
import dev.mailcore.delivery.internal.dsn.DsnBuilder;
import dev.mailcore.delivery.internal.dsn.DsnKind;
import dev.mailcore.delivery.internal.dsn.DsnRecipient;
import dev.mailcore.delivery.internal.spool.MessageRecord;
import dev.mailcore.delivery.internal.spool.RecipientRecord;
import dev.mailcore.delivery.internal.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@link dev.mailcore.delivery.DeliveryQueue}: in-memory index of the spool, the scheduler thread,
 * the worker pool, attempts, retry bookkeeping, notifications and administration.
 *
 * <p>Each message has an {@link Item}; its fields are guarded by the item's monitor, and every change of its
 * {@link MessageRecord} is written to the spool under that monitor, so a worker and an administrator never write a
 * stale state file over a newer one, and a removed message is never written back.
 */
public final class QueueEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueEngine.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    /** Everything the engine is configured with. */
    public record Settings(Path spoolDirectory, Transport transport, String hostname, MailAddress postmaster,
                           Clock clock, RetryPolicy retry, int concurrency, boolean fsync, BounceSink bounceSink,
                           List<QueueListener> listeners) {
        public Settings {
            Objects.requireNonNull(spoolDirectory, "spoolDirectory");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(retry, "retry");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            listeners = List.copyOf(listeners);
        }
    }

    /** A scheduled attempt: ordered by time, then by sequence. */
    private record Due(Instant at, long seq, String id) {
    }

    private static final Comparator<Due> DUE_ORDER =
            Comparator.comparing(Due::at).thenComparingLong(Due::seq);

    /** One queued message. */
    private static final class Item {
        final MessageRecord record;
        boolean busy;
        boolean removed;
        boolean deleteRequested;
        Due scheduled;
        Instant noticeRetry;

        Item(MessageRecord record) {
            this.record = record;
        }
    }

    private final Settings settings;
    private final Spool spool;
    private final Spool.SpoolLock lock;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Transport transport;
    private final DsnBuilder dsn;
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Item> items = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Due> due = new ConcurrentSkipListSet<>(DUE_ORDER);
    private final AtomicLong dueSeq = new AtomicLong();
    private final AtomicInteger idSeq = new AtomicInteger(new java.util.Random().nextInt(0x100000));
    private final ExecutorService workers;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<CompletableFuture<Void>> idleWaiters = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deferrals = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private boolean woken;
    private volatile boolean closed;
    private volatile boolean started;
    private Thread scheduler;

    /** Opens the spool: takes its lock, cleans up after a crash and loads every unfinished message. */
    public QueueEngine(Settings settings) throws IOException {
        this.settings = settings;
        this.clock = settings.clock();
        this.retry = settings.retry();
        this.transport = settings.transport();
        this.dsn = new DsnBuilder(settings.hostname());
        this.listeners.addAll(settings.listeners());
        this.spool = new Spool(settings.spoolDirectory(), settings.fsync());
        this.lock = acquireLock(spool);
        try {
            spool.recover();
            load();
        } catch (IOException | RuntimeException e) {
            lock.close();
            OPEN_HERE.remove(spool.root().toAbsolutePath().normalize());
            throw e;
        }
        this.permits = new Semaphore(settings.concurrency());
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "mailcore-queue-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), tf);
    }

    /** Spools a queue of this JVM runs on: a second queue on one of them fails at once instead of waiting. */
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

    private static Spool.SpoolLock acquireLock(Spool spool) throws IOException {
        Path key = spool.root().toAbsolutePath().normalize();
        if (!OPEN_HERE.add(key)) {
            throw new IOException("a queue of this process already runs on the spool " + spool.root());
        }
        try {
            return waitForLock(spool);
        } catch (IOException | RuntimeException e) {
            OPEN_HERE.remove(key);
            throw e;
        }
    }

    private static Spool.SpoolLock waitForLock(Spool spool) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Spool.SpoolLock l = spool.lock(false);
            if (l != null) {
                return l;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("another queue runs on the spool " + spool.root());
            }
            try {
                Thread.sleep(50); // an administration command holds it briefly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the spool lock", e);
            }
        }
    }

    private void load() throws IOException {
        int loaded = 0;
        for (String id : spool.ids()) {
            MessageRecord record;
            try {
                record = spool.read(id);
            } catch (IOException e) {
                try {
                    spool.quarantine(id);
                    LOG.error("queue file {} is unreadable ({}); moved to {}", id, e.getMessage(),
                            spool.corruptDirectory());
                } catch (IOException moveFailure) {
                    LOG.error("queue file {} is unreadable ({}) and could not be moved aside; left alone", id,
                            e.getMessage(), moveFailure);
                }
                continue;
            }
            if (record == null) {
                continue;
            }
            if (!Files.exists(spool.contentFile(id))) {
                LOG.error("queue file {} has no content file; removing it", id);
                spool.remove(id);
                continue;
            }
            if (record.isFinished()) {
                spool.remove(id);
                continue;
            }
            Item item = new Item(record);
            items.put(id, item);
            schedule(item);
            loaded++;
        }
        if (loaded > 0) {
            LOG.info("queue on {} resumed {} message(s)", spool.root(), loaded);
        }
    }

    // ---- listeners ----

    public void addListener(QueueListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(QueueListener listener) {
        listeners.remove(listener);
    }

    // ---- enqueue ----

    /** Queues a message durably and returns its id. */
    public String enqueue(Envelope envelope, MessageSource content) throws IOException {
        return enqueue(envelope, content, MessageRecord.Kind.NORMAL);
    }

    private String enqueue(Envelope envelope, MessageSource content, MessageRecord.Kind kind) throws IOException {
        if (closed) {
            throw new MailcoreException("the delivery queue is closed");
        }
        if (envelope.recipients().isEmpty()) {
            throw new MailcoreException("a message needs at least one recipient");
        }
        Instant now = clock.instant();
        String id = newId(now);
        MessageRecord[] made = new MessageRecord[1];
        spool.create(new Spool.MessageRecordFactory() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public MessageRecord create(long size) {
                made[0] = MessageRecord.create(id, now, size, envelope, kind);
                return made[0];
            }
        }, content);
        Item item = new Item(made[0]);
        items.put(id, item);
        schedule(item);
        LOG.debug("{}: queued from {} for {} recipient(s), {} octets", id, envelope.sender(),
                envelope.recipients().size(), made[0].size());
        signal();
        return id;
    }

    private synchronized String newId(Instant now) {
        while (true) {
            String id = String.format(Locale.ROOT, "%011X%05X", now.toEpochMilli() & 0xFFFFFFFFFFFL,
                    idSeq.getAndIncrement() & 0xFFFFF);
            if (!items.containsKey(id) && !spool.exists(id)) {
                return id;
            }
        }
    }

    // ---- scheduling ----

    /** Puts an item in the due set according to its record (not when held, busy or removed). */
    private void schedule(Item item) {
        synchronized (item) {
            if (item.scheduled != null) {
                due.remove(item.scheduled);
                item.scheduled = null;
            }
            if (item.removed || item.busy || item.record.held()) {
                return;
            }
            Instant at = item.record.hasNotices()
                    ? (item.noticeRetry != null ? item.noticeRetry : clock.instant())
                    : item.record.nextAttempt();
            if (at == null) {
                return;
            }
            Due d = new Due(at, dueSeq.incrementAndGet(), item.record.id());
            item.scheduled = d;
            due.add(d);
        }
    }

    /** Claims an item for an attempt if it is still scheduled as {@code d}; false when stale. */
    private Item claim(Due d) {
        Item item = items.get(d.id());
        if (item == null) {
            return null;
        }
        synchronized (item) {
            if (item.scheduled != d || item.busy || item.removed || item.record.held()) {
                return null;
            }
            item.scheduled = null;
            item.busy = true;
            inFlight.incrementAndGet();
            return item;
        }
    }

    private void release(Item item) {
        boolean delete;
        synchronized (item) {
            item.busy = false;
            delete = item.deleteRequested && !item.removed;
        }
        if (delete) {
            removeItem(item, "deleted by the administrator");
        } else {
            schedule(item);
        }
        inFlight.decrementAndGet();
        checkIdle();
        signal();
    }

    /** Starts the scheduler thread. */
    public synchronized void start() {
        if (closed) {
            throw new MailcoreException("the delivery queue is closed");
        }
        if (scheduler != null) {
            return;
        }
        started = true;
        scheduler = new Thread(this::schedulerLoop, "mailcore-queue-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    private void schedulerLoop() {
        Instant nextControl = Instant.MIN;
        while (!closed) {
            try {
                Instant realNow = Instant.now();
                if (!realNow.isBefore(nextControl)) {
                    processControl();
                    nextControl = realNow.plus(TICK);
                }
                dispatchDue();
                long waitNanos = TICK.toNanos();
                Due head = due.isEmpty() ? null : due.first();
                if (head != null && permits.availablePermits() > 0) {
                    long until = Duration.between(clock.instant(), head.at()).toNanos();
                    waitNanos = Math.max(0, Math.min(waitNanos, until));
                }
                awaitWake(waitNanos);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("queue scheduler error", e);
                try {
                    awaitWake(TICK.toNanos());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Hands every due message to a worker while permits last. Called by the scheduler thread and, once started, by
     * each worker as its attempt ends, so a busy queue does not wait for the scheduler to wake up.
     */
    private synchronized void dispatchDue() {
        Instant now = clock.instant();
        while (!closed) {
            Due head = due.isEmpty() ? null : due.first();
            if (head == null || head.at().isAfter(now)) {
                break;
            }
            if (!permits.tryAcquire()) {
                break;
            }
            due.remove(head);
            Item item = claim(head);
            if (item == null) {
                permits.release();
                continue;
            }
            try {
                workers.execute(() -> {
                    try {
                        attempt(item);
                    } finally {
                        permits.release();
                        release(item);
                        if (started && !closed) {
                            try {
                                dispatchDue();
                            } catch (RuntimeException e) {
                                LOG.debug("dispatch after an attempt failed (closing?)", e);
                            }
                        }
                    }
                });
            } catch (RuntimeException e) {
                permits.release();
                release(item);
                throw e;
            }
        }
    }

    private void awaitWake(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        wakeLock.lock();
        try {
            long left = nanos;
            while (!woken && left > 0 && !closed) {
                left = wake.awaitNanos(left);
            }
            woken = false;
        } finally {
            wakeLock.unlock();
        }
    }

    private void signal() {
        wakeLock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /**
     * Runs every attempt due at {@code clock.instant()} (and the notifications they cause, and any attempt that
     * becomes due by them, such as a bounce queued to this queue) and returns when all are done. Also applies
     * pending administration commands first.
     *
     * @return how many attempts were made
     */
    public int runDue() {
        processControl();
        int total = 0;
        for (int round = 0; round < 1000; round++) {
            Instant now = clock.instant();
            List<Item> claimed = new ArrayList<>();
            for (Due d : due) {
                if (d.at().isAfter(now)) {
                    break;
                }
                Item item = claim(d);
                due.remove(d);
                if (item != null) {
                    claimed.add(item);
                }
            }
            if (claimed.isEmpty()) {
                break;
            }
            List<Future<?>> futures = new ArrayList<>();
            for (Item item : claimed) {
                futures.add(workers.submit(() -> {
                    try {
                        attempt(item);
                    } finally {
                        release(item);
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MailcoreException("interrupted while running due attempts", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.error("queue attempt failed", e.getCause());
                }
            }
            total += claimed.size();
        }
        return total;
    }

    // ---- one attempt ----

    private void attempt(Item item) {
        MessageRecord rec = item.record;
        String id = rec.id();
        try {
            if (rec.hasNotices()) {
                emitNotices(item);
            }
            Instant now = clock.instant();
            Map<String, List<RecipientRecord>> groups = new LinkedHashMap<>();
            synchronized (rec) {
                for (RecipientRecord r : rec.recipients()) {
                    if (r.isDue(now)) {
                        groups.computeIfAbsent(r.recipient().address().normalizedDomain(), k -> new ArrayList<>())
                                .add(r);
                    }
                }
            }
            MessageSource content = spool.content(id, rec.size());
            for (List<RecipientRecord> group : groups.values()) {
                synchronized (item) {
                    if (item.deleteRequested || item.removed) {
                        return;
                    }
                }
                List<EnvelopeRecipient> rcpts = group.stream().map(RecipientRecord::recipient).toList();
                DeliveryReport report;
                try {
                    report = transport.deliver(rec.envelope(rcpts), content);
                } catch (RuntimeException e) {
                    LOG.warn("{}: transport failed", id, e);
                    report = null;
                }
                apply(item, group, report, clock.instant());
            }
            if (rec.hasNotices()) {
                emitNotices(item);
            }
            if (rec.isFinished()) {
                removeItem(item, null);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: attempt failed", id, e);
            synchronized (rec) {
                Instant next = clock.instant().plus(retry.minimalBackoff());
                for (RecipientRecord r : rec.recipients()) {
                    if (!r.state().isFinal() && (r.nextAttempt() == null || !r.nextAttempt().isAfter(next))) {
                        r.nextAttempt(next);
                    }
                }
                item.noticeRetry = next;
            }
        }
    }

    /** Records the outcomes of one Transport call, persists them, then tells the listeners. */
    private void apply(Item item, List<RecipientRecord> group, DeliveryReport report, Instant now)
            throws IOException {
        MessageRecord rec = item.record;
        Map<MailAddress, RecipientOutcome> byAddress = new HashMap<>();
        if (report != null) {
            for (RecipientOutcome o : report.outcomes()) {
                byAddress.putIfAbsent(o.recipient(), o);
            }
        }
        List<Runnable> events = new ArrayList<>();
        Duration lifetime = rec.sender().isNull() ? retry.bounceLifetime() : retry.maximalLifetime();
        Instant expiry = rec.arrival().plus(lifetime);
        synchronized (rec) {
            for (RecipientRecord r : group) {
                RecipientOutcome o = byAddress.get(r.recipient().address());
                DeliveryStatus status;
                SmtpReply reply;
                if (o == null) {
                    status = DeliveryStatus.DEFERRED;
                    reply = report == null
                            ? SmtpReply.of(451, "4.4.0", "delivery attempt failed (transport error)")
                            : SmtpReply.of(451, "4.4.0", "delivery attempt gave no outcome for this recipient");
                } else {
                    status = o.status();
                    reply = o.reply();
                }
                r.attempts(r.attempts() + 1);
                r.lastAttempt(now);
                r.lastReply(reply);
                MailAddress address = r.recipient().address();
                String id = rec.id();
                switch (status) {
                    case DELIVERED:
                        r.state(RecipientState.State.DELIVERED);
                        RecipientRecord.Notice success = successNotice(r.recipient(), o);
                        if (success != RecipientRecord.Notice.NONE && !rec.sender().isNull()) {
                            r.notice(success);
                        }
                        delivered.incrementAndGet();
                        LOG.info("{}: to=<{}>, status=sent ({})", id, address, reply);
                        events.add(() -> listeners.forEach(l -> l.onDelivered(id, address, reply)));
                        break;
                    case FAILED:
                        bounce(rec, r);
                        LOG.info("{}: to=<{}>, status=bounced ({})", id, address, reply);
                        events.add(() -> listeners.forEach(l -> l.onBounced(id, address, reply)));
                        break;
                    case DEFERRED:
                    default:
                        if (!now.isBefore(expiry)) {
                            bounce(rec, r);
                            LOG.info("{}: to=<{}>, status=expired, returned to sender ({})", id, address, reply);
                            events.add(() -> listeners.forEach(l -> l.onBounced(id, address, reply)));
                            break;
                        }
                        deferrals.incrementAndGet();
                        r.state(RecipientState.State.DEFERRED);
                        Instant next = now.plus(retry.backoffAfter(r.attempts()));
                        if (next.isAfter(expiry)) {
                            next = expiry;
                        }
                        r.nextAttempt(next);
                        if (retry.delayWarning() != null && !r.delayNotified() && !rec.sender().isNull()
                                && !now.isBefore(rec.arrival().plus(retry.delayWarning()))
                                && wantsDelay(r.recipient())) {
                            r.delayNotified(true);
                            r.notice(RecipientRecord.Notice.DELAY);
                        }
                        Instant nextAttempt = next;
                        LOG.info("{}: to=<{}>, status=deferred ({}), next attempt {}", id, address, reply, next);
                        events.add(() -> listeners.forEach(l -> l.onDeferred(id, address, reply, nextAttempt)));
                        break;
                }
            }
        }
        if (!rec.isFinished()) {
            persist(item);
        }
        for (Runnable event : events) {
            try {
                event.run();
            } catch (RuntimeException e) {
                LOG.warn("queue listener failed", e);
            }
        }
    }

    private void bounce(MessageRecord rec, RecipientRecord r) {
        r.state(RecipientState.State.BOUNCED);
        bounced.incrementAndGet();
        if (wantsFailure(r.recipient())) {
            r.notice(RecipientRecord.Notice.FAILURE);
        }
    }

    /**
     * The success notice a delivered recipient owes: none unless NOTIFY=SUCCESS was asked, and none when the next hop
     * offers DSN and got the NOTIFY, since reporting is then its job (RFC 3461 §5.2.2); {@code Action: delivered}
     * for a final delivery, {@code relayed} otherwise.
     */
    private static RecipientRecord.Notice successNotice(EnvelopeRecipient r, RecipientOutcome outcome) {
        if (!r.notifyOn().contains(DsnNotify.SUCCESS)) {
            return RecipientRecord.Notice.NONE;
        }
        RecipientOutcome.Handoff handoff = outcome == null ? RecipientOutcome.Handoff.RELAYED : outcome.handoff();
        switch (handoff) {
            case RELAYED_WITH_DSN:
                return RecipientRecord.Notice.NONE;
            case DELIVERED:
                return RecipientRecord.Notice.DELIVERED;
            case RELAYED:
            default:
                return RecipientRecord.Notice.SUCCESS;
        }
    }

    /** NOTIFY absent means FAILURE (RFC 3461 §4.1); NEVER means nothing. */
    private static boolean wantsFailure(EnvelopeRecipient r) {
        return r.notifyOn().isEmpty() || r.notifyOn().contains(DsnNotify.FAILURE);
    }

    /** Delay warnings go to an explicit NOTIFY=DELAY, and, as Postfix does, to senders who gave no NOTIFY. */
    private static boolean wantsDelay(EnvelopeRecipient r) {
        return r.notifyOn().isEmpty() || r.notifyOn().contains(DsnNotify.DELAY);
    }

    // ---- notifications ----

    /**
     * Sends every notice the record owes (one notification per kind), clears them and persists. A notice the bounce
     * sink did not take stays owed and is tried again later.
     */
    private void emitNotices(Item item) throws IOException {
        MessageRecord rec = item.record;
        Map<DsnKind, List<RecipientRecord>> byKind = new EnumMap<>(DsnKind.class);
        synchronized (rec) {
            for (RecipientRecord r : rec.recipients()) {
                switch (r.notice()) {
                    case FAILURE:
                        byKind.computeIfAbsent(DsnKind.FAILURE, k -> new ArrayList<>()).add(r);
                        break;
                    case DELAY:
                        byKind.computeIfAbsent(DsnKind.DELAY, k -> new ArrayList<>()).add(r);
                        break;
                    case SUCCESS:
                    case DELIVERED:
                        byKind.computeIfAbsent(DsnKind.SUCCESS, k -> new ArrayList<>()).add(r);
                        break;
                    default:
                        break;
                }
            }
        }
        if (byKind.isEmpty()) {
            return;
        }
        boolean failedToSubmit = false;
        for (Map.Entry<DsnKind, List<RecipientRecord>> e : byKind.entrySet()) {
            DsnKind kind = e.getKey();
            List<RecipientRecord> rs = e.getValue();
            try {
                sendNotice(rec, kind, rs);
                synchronized (rec) {
                    rs.forEach(r -> r.notice(RecipientRecord.Notice.NONE));
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("{}: could not queue the {} notification; will try again", rec.id(),
                        kind.name().toLowerCase(Locale.ROOT), ex);
                failedToSubmit = true;
            }
        }
        synchronized (item) {
            item.noticeRetry = failedToSubmit ? clock.instant().plus(retry.minimalBackoff()) : null;
        }
        if (!rec.isFinished()) {
            persist(item);
        }
    }

    private void sendNotice(MessageRecord rec, DsnKind kind, List<RecipientRecord> rs) throws IOException {
        MailAddress to;
        MessageRecord.Kind noticeKind;
        if (rec.sender().isNull()) {
            if (kind != DsnKind.FAILURE) {
                return; // nobody to tell
            }
            if (rec.kind() == MessageRecord.Kind.DOUBLE_BOUNCE || settings.postmaster() == null) {
                LOG.warn("{}: undeliverable {} dropped: {}", rec.id(),
                        rec.kind() == MessageRecord.Kind.DOUBLE_BOUNCE ? "double bounce" : "null-sender message",
                        rs.stream().map(r -> r.recipient().address() + " (" + r.lastReply() + ")").toList());
                return;
            }
            to = settings.postmaster();
            noticeKind = MessageRecord.Kind.DOUBLE_BOUNCE;
        } else {
            to = rec.sender().address().orElseThrow();
            noticeKind = MessageRecord.Kind.BOUNCE;
        }
        Instant now = clock.instant();
        Duration lifetime = rec.sender().isNull() ? retry.bounceLifetime() : retry.maximalLifetime();
        List<DsnRecipient> dsnRecipients = new ArrayList<>();
        synchronized (rec) {
            for (RecipientRecord r : rs) {
                dsnRecipients.add(new DsnRecipient(r.recipient().address(), r.recipient().original(),
                        r.lastReply(), r.lastAttempt(),
                        kind == DsnKind.DELAY ? rec.arrival().plus(lifetime) : null,
                        r.notice() == RecipientRecord.Notice.DELIVERED));
            }
        }
        MailParameters params = rec.parameters();
        byte[] bytes = dsn.build(kind, to.toString(), rec.id(), rec.sender(), params.envelopeId(), rec.arrival(),
                now, dsnRecipients, params.dsnReturn(), params.body(), spool.content(rec.id(), rec.size()));
        boolean utf8 = to.requiresSmtpUtf8() || params.smtpUtf8();
        MailParameters noticeParams = new MailParameters(OptionalLong.empty(), params.body(), utf8, null, null,
                null, Map.of());
        Envelope envelope = new Envelope(ReversePath.nullPath(), List.of(EnvelopeRecipient.of(to)), noticeParams);
        BounceSink sink = settings.bounceSink();
        String where;
        if (sink == null) {
            where = enqueue(envelope, MessageSource.of(bytes), noticeKind);
        } else {
            sink.submit(envelope, MessageSource.of(bytes));
            where = "bounce sink";
        }
        LOG.info("{}: sender {} notification to <{}>: {}", rec.id(), kind.name().toLowerCase(Locale.ROOT), to,
                where);
    }

    // ---- persistence ----

    private void persist(Item item) throws IOException {
        synchronized (item) {
            if (item.removed) {
                return;
            }
            spool.writeState(item.record);
        }
    }

    private void removeItem(Item item, String why) {
        String id = item.record.id();
        synchronized (item) {
            if (item.removed) {
                return;
            }
            item.removed = true;
            if (item.scheduled != null) {
                due.remove(item.scheduled);
                item.scheduled = null;
            }
            try {
                spool.remove(id);
            } catch (IOException e) {
                LOG.error("{}: could not remove queue files", id, e);
            }
        }
        items.remove(id);
        if (why != null) {
            LOG.info("{}: removed ({})", id, why);
        } else {
            LOG.debug("{}: removed", id);
        }
        for (QueueListener l : listeners) {
            try {
                l.onRemoved(id);
            } catch (RuntimeException e) {
                LOG.warn("queue listener failed", e);
            }
        }
    }

    // ---- administration ----

    public List<QueueEntry> list() {
        List<QueueEntry> out = new ArrayList<>();
        for (Item item : items.values()) {
            out.add(item.record.snapshot());
        }
        out.sort(Comparator.comparing(QueueEntry::id));
        return out;
    }

    public QueueStats stats() {
        int messages = 0;
        int held = 0;
        int pending = 0;
        int deferred = 0;
        long bytes = 0;
        Instant oldest = null;
        for (Item item : items.values()) {
            QueueEntry e = item.record.snapshot();
            messages++;
            if (e.held()) {
                held++;
            }
            bytes += e.size();
            if (oldest == null || e.arrival().isBefore(oldest)) {
                oldest = e.arrival();
            }
            for (RecipientState r : e.recipients()) {
                if (r.state() == RecipientState.State.PENDING) {
                    pending++;
                } else if (r.state() == RecipientState.State.DEFERRED) {
                    deferred++;
                }
            }
        }
        return new QueueStats(messages, held, pending, deferred, bytes, oldest, delivered.get(), deferrals.get(),
                bounced.get());
    }

    /** Makes every message due now. */
    public void flushAll() {
        for (Item item : items.values()) {
            flushItem(item, false);
        }
        signal();
    }

    public boolean flush(String id) {
        Item item = items.get(id);
        if (item == null) {
            return false;
        }
        flushItem(item, false);
        signal();
        return true;
    }

    public boolean requeue(String id) {
        Item item = items.get(id);
        if (item == null) {
            return false;
        }
        flushItem(item, true);
        signal();
        return true;
    }

    private void flushItem(Item item, boolean resetAttempts) {
        Instant now = clock.instant();
        synchronized (item) {
            if (item.removed) {
                return;
            }
            if (resetAttempts) {
                item.record.requeue(now);
            } else {
                item.record.flush(now);
            }
            item.noticeRetry = null;
            try {
                persist(item);
            } catch (IOException e) {
                LOG.warn("{}: could not record the flush", item.record.id(), e);
            }
        }
        schedule(item);
    }

    public boolean hold(String id) {
        return setHeld(id, true);
    }

    public boolean releaseHold(String id) {
        return setHeld(id, false);
    }

    private boolean setHeld(String id, boolean held) {
        Item item = items.get(id);
        if (item == null) {
            return false;
        }
        synchronized (item) {
            if (item.removed) {
                return false;
            }
            item.record.held(held);
            try {
                persist(item);
            } catch (IOException e) {
                throw new MailcoreException("could not record the hold of " + id, e);
            }
        }
        schedule(item);
        signal();
        LOG.info("{}: {}", id, held ? "put on hold" : "released from hold");
        return true;
    }

    /** Removes a message without any notification. A message being attempted is removed when the attempt ends. */
    public boolean delete(String id) {
        Item item = items.get(id);
        if (item == null) {
            return false;
        }
        synchronized (item) {
            if (item.removed) {
                return false;
            }
            if (item.busy) {
                item.deleteRequested = true;
                return true;
            }
        }
        removeItem(item, "deleted by the administrator");
        return true;
    }

    /** Applies the command files another process left in {@code control/}. */
    public void processControl() {
        List<Path> files;
        try {
            files = spool.commands();
        } catch (IOException e) {
            LOG.warn("cannot read the queue control directory", e);
            return;
        }
        for (Path f : files) {
            String result;
            try {
                ControlCommand cmd = ControlCommand.parse(Files.readString(f, StandardCharsets.UTF_8));
                boolean found = apply(cmd);
                LOG.info("administration command {} {}: {}", cmd.verb(), cmd.id() == null ? "" : cmd.id(),
                        found ? "done" : "no such message");
                result = found ? "done" : "missing";
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring bad queue control file {}", f.getFileName(), e);
                result = "error";
            }
            try {
                spool.writeResult(f, result);
            } catch (IOException e) {
                LOG.warn("cannot record the result of queue control file {}", f.getFileName(), e);
            }
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.warn("cannot delete queue control file {}", f, e);
            }
        }
        if (!files.isEmpty()) {
            try {
                spool.removeStaleResults(Instant.now().minus(Duration.ofHours(1)));
            } catch (IOException e) {
                LOG.debug("cannot clean the queue control directory", e);
            }
        }
    }

    /** Applies one administration command; whether the message was found. */
    public boolean apply(ControlCommand cmd) {
        switch (cmd.verb()) {
            case FLUSH:
                if (cmd.id() == null) {
                    flushAll();
                    return true;
                }
                return flush(cmd.id());
            case HOLD:
                return hold(cmd.id());
            case RELEASE:
                return releaseHold(cmd.id());
            case DELETE:
                return delete(cmd.id());
            case REQUEUE:
                return requeue(cmd.id());
            default:
                return false;
        }
    }

    // ---- idle ----

    /** Completes when no attempt runs and none is due at {@code clock.instant()}. */
    public CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        idleWaiters.add(f);
        checkIdle();
        return f;
    }

    private void checkIdle() {
        if (idleWaiters.isEmpty() || !isIdle()) {
            return;
        }
        for (CompletableFuture<Void> f : idleWaiters) {
            idleWaiters.remove(f);
            f.complete(null);
        }
    }

    private boolean isIdle() {
        if (inFlight.get() > 0) {
            return false;
        }
        Instant now = clock.instant();
        for (Item item : items.values()) {
            synchronized (item) {
                if (item.busy || item.scheduled != null && !item.scheduled.at().isAfter(now)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- close ----

    @Override
    public void close() throws IOException {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = scheduler;
        }
        signal();
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (CompletableFuture<Void> f : idleWaiters) {
            f.cancel(false);
        }
        try {
            lock.close();
        } finally {
            OPEN_HERE.remove(spool.root().toAbsolutePath().normalize());
        }
    }

    /** The spool (for tests and the admin). */
    public Spool spool() {
        return spool;
    }
}
