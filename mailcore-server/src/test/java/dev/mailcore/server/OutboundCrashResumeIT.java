package dev.mailcore.server;

import dev.mailcore.api.FilterResult;
import dev.mailcore.api.IncomingMessage;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.ForwardingStore;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.delivery.QueueAdmin;
import dev.mailcore.delivery.QueueEntry;
import dev.mailcore.delivery.QueueStats;
import dev.mailcore.delivery.RecipientState;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound delivery survives SIGKILL of the sending server. The standalone server runs in a child JVM with a queue
 * directory and relays everything through a receiving mailcore server in this JVM (a {@link MemoryStore} that counts
 * each arriving message by its {@code X-Test-Id} header). A content filter on the receiver holds deliveries at the end
 * of DATA, before its 250, so that they are provably in flight when the sender is killed.
 *
 * <p>A SIGKILL leaves the page cache alone, so these tests prove the order of events (the queue files are committed
 * before the 250, a delivery is recorded only after the remote's 250), not that the data reached the disk.
 */
class OutboundCrashResumeIT {
    private static final String RECIPIENT = "bob@receiver.example";
    private static final int MESSAGES = 200;
    /** Deliveries the receiver lets through before it starts holding them. */
    private static final int PASS_FREELY = 40;
    /** The standalone server's queue concurrency (the {@code DeliveryQueue} default): deliveries in flight at once. */
    private static final int QUEUE_WORKERS = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Receiver receiver;
    private final List<StandaloneProcess> senders = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (StandaloneProcess s : senders) {
            s.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void killedSenderResumesDeliveryLosingNothingAndRepeatingOnlyWhatTheRemoteHadAlreadyTaken() throws Exception {
        receiver = new Receiver(PASS_FREELY);
        Path queueDir = dir.resolve("queue");
        Sender sender = startSender(queueDir);

        Set<String> acknowledged = new TreeSet<>();
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", sender.port)) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO client.example")).startsWith("250");
            for (int i = 0; i < MESSAGES; i++) {
                String id = "m" + i;
                if (submit(c, id, RECIPIENT).startsWith("250")) {
                    acknowledged.add(id);
                }
            }
        }
        assertThat(acknowledged).as("the sender took every message").hasSize(MESSAGES);

        // every queue worker is now stuck in a delivery the receiver has read to its end but not answered
        receiver.await(() -> receiver.held.get() == QUEUE_WORKERS, "all queue workers held by the receiver");
        sender.process.kill();
        Set<String> reachedBeforeKill = Set.copyOf(receiver.endOfData.keySet());
        assertThat(reachedBeforeKill).hasSize(PASS_FREELY + QUEUE_WORKERS);
        assertThat(new QueueAdmin(queueDir).list()).as("undelivered and in-flight messages stay queued")
                .hasSizeGreaterThanOrEqualTo(MESSAGES - PASS_FREELY);

        // the receiver goes on with what it held, for a sender that is gone: it stores half of it (accepted, but the
        // sender never recorded that: these may come twice) and refuses the other half with 451 (these must come)
        receiver.open();
        receiver.await(() -> receiver.arrived.size() == PASS_FREELY + QUEUE_WORKERS / 2,
                "the receiver stored what it accepted after the kill");
        Set<String> storedBeforeRestart = Set.copyOf(receiver.arrived.keySet());
        Sender resumed = startSender(queueDir);
        receiver.awaitArrivalOf(acknowledged);
        assertThat(resumed.process.stop()).as("exit status on SIGTERM").isZero();

        Map<String, Integer> arrived = receiver.arrivals();
        assertThat(arrived.keySet()).as("nothing but what was sent arrives").isSubsetOf(acknowledged);
        Set<String> duplicated = arrived.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(duplicated).as("only messages the receiver had read to the end before the kill and stored come"
                + " twice").isSubsetOf(reachedBeforeKill).isSubsetOf(storedBeforeRestart);
        assertThat(arrived.values()).as("one crash repeats a message at most once").allMatch(n -> n <= 2);
        assertQueueEmpty(queueDir);
    }

    @Test
    void senderAnswers250OnlyOnceTheRelayedMessageIsQueued() throws Exception {
        receiver = new Receiver(0); // holds every delivery: whatever the sender acknowledged must stay in its queue
        Path queueDir = dir.resolve("queue");
        Set<String> acknowledged = new TreeSet<>();
        int counter = 0;
        for (int round = 0; round < 2; round++) {
            Sender sender = startSender(queueDir);
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", sender.port)) {
                assertThat(c.reply()).startsWith("220");
                assertThat(c.command("EHLO client.example")).startsWith("250");
                for (int i = 0; i <= 2 * round; i++) { // killed after one message, then after three
                    String id = "d" + counter++;
                    // one recipient per message (sub-address), so that the queue listing names the message
                    assertThat(submit(c, id, "bob+" + id + "@receiver.example")).startsWith("250");
                    acknowledged.add(id);
                }
                sender.process.kill(); // right after reading the last 250
            }
            Set<String> queued = new TreeSet<>();
            for (QueueEntry e : new QueueAdmin(queueDir).list()) {
                for (RecipientState r : e.recipients()) {
                    String local = r.address().localPart();
                    queued.add(local.substring(local.indexOf('+') + 1));
                }
            }
            assertThat(queued).as("after kill %d, the queue holds every acknowledged message", round)
                    .isEqualTo(acknowledged);
        }
        assertThat(receiver.arrived).as("the receiver stored nothing while it held deliveries").isEmpty();

        receiver.open();
        Sender resumed = startSender(queueDir);
        receiver.awaitArrivalOf(acknowledged);
        assertThat(resumed.process.stop()).isZero();
        assertQueueEmpty(queueDir);
    }

    private static void assertQueueEmpty(Path queueDir) throws IOException {
        QueueAdmin admin = new QueueAdmin(queueDir);
        assertThat(admin.list()).as("queue list").isEmpty();
        QueueStats stats = admin.stats();
        assertThat(stats.messages()).as("queue stats: messages").isZero();
        assertThat(stats.bytes()).as("queue stats: bytes").isZero();
        assertThat(admin.corrupt()).as("corrupt queue files").isEmpty();
    }

    /** Sends one message with this id in {@code X-Test-Id}; returns the reply to the end of DATA. */
    private static String submit(RawSmtpClient c, String id, String to) throws IOException {
        assertThat(c.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
        assertThat(c.command("RCPT TO:<" + to + ">")).as("relaying for %s", to).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        StringBuilder body = new StringBuilder("From: alice@sender.example\r\nTo: " + to + "\r\nX-Test-Id: " + id
                + "\r\nSubject: crash resume " + id + "\r\n\r\n");
        for (int line = 0; line < 40; line++) {
            body.append("line ").append(line).append(" of ").append(id).append("\r\n");
        }
        return c.data(body.toString().getBytes(StandardCharsets.US_ASCII));
    }


    private Sender startSender(Path queueDir) throws Exception {
        int port = StandaloneProcess.freePort();
        StandaloneProcess p = StandaloneProcess.start("--smtp-port", String.valueOf(port), "--hostname",
                "mail.sender.example", "--relay-network", "127.0.0.1", "--queue-dir", queueDir.toString(),
                "--relayhost", "[127.0.0.1]:" + receiver.server.smtpPort(), "--smtp-tls-policy", "none");
        senders.add(p);
        return new Sender(p, port);
    }

    private record Sender(StandaloneProcess process, int port) {
    }

    private static String idOf(MessageSource content) {
        try (InputStream in = content.openStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int i = text.indexOf("\r\nX-Test-Id: ");
            if (i < 0) {
                throw new AssertionError("a message without X-Test-Id arrived:\n" + text);
            }
            int start = i + "\r\nX-Test-Id: ".length();
            return text.substring(start, text.indexOf("\r\n", start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The receiving server: counts stored messages by id, and holds deliveries at the end of DATA (before they are
     * stored and answered) once {@code passFreely} have gone through, until {@link #open()}; then it takes every other
     * held message and refuses the rest with 451.
     */
    private static final class Receiver implements AutoCloseable {
        final Map<String, Integer> arrived = new ConcurrentHashMap<>();
        /** Ids whose end of DATA the receiver has read, whatever became of them. */
        final Map<String, Boolean> endOfData = new ConcurrentHashMap<>();
        final AtomicInteger held = new AtomicInteger();
        private final AtomicInteger seen = new AtomicInteger();
        private final AtomicInteger released = new AtomicInteger();
        private final int passFreely;
        private final CountDownLatch gate = new CountDownLatch(1);
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        final MailServer server;

        Receiver(int passFreely) {
            this.passFreely = passFreely;
            ForwardingStore store = new ForwardingStore(new MemoryStore()) {
                @Override
                public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content,
                                                  Instant internalDate) {
                    List<AppendResult> results = super.deliver(targets, content, internalDate);
                    arrived.merge(idOf(content), 1, Integer::sum);
                    signal();
                    return results;
                }
            };
            server = MailServer.builder().hostname("mx.receiver.example").user(RECIPIENT, "x").store(store)
                    .filter(this::hold).smtp(0).build().start();
        }

        private FilterResult hold(IncomingMessage message) {
            endOfData.put(idOf(message.content()), Boolean.TRUE);
            if (seen.incrementAndGet() > passFreely && gate.getCount() > 0) {
                held.incrementAndGet();
                signal();
                try {
                    if (!gate.await(2, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the test never released the receiver");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (released.incrementAndGet() % 2 == 0) {
                    signal();
                    return new FilterResult.Reject(SmtpReply.of(451, "4.3.0", "try again later"));
                }
            }
            return FilterResult.CONTINUE;
        }

        /** Lets held and later deliveries through. */
        void open() {
            gate.countDown();
        }

        Map<String, Integer> arrivals() {
            return Map.copyOf(arrived);
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until every one of these ids has been stored at least once. */
        void awaitArrivalOf(Set<String> ids) throws InterruptedException {
            await(() -> arrived.keySet().containsAll(ids), "every acknowledged message arrives", () -> {
                Set<String> missing = new TreeSet<>(ids);
                missing.removeAll(arrived.keySet());
                return "missing " + missing;
            });
        }

        void await(BooleanSupplier condition, String what) throws InterruptedException {
            await(condition, what, () -> "");
        }

        /** Waits (on the receiver's events, not by polling a clock) until {@code condition} holds. */
        void await(BooleanSupplier condition, String what, Supplier<String> detail) throws InterruptedException {
            long left = PATIENCE.toNanos();
            lock.lock();
            try {
                while (!condition.getAsBoolean()) {
                    if (left <= 0) {
                        Set<String> unstored = new HashSet<>(endOfData.keySet());
                        unstored.removeAll(arrived.keySet());
                        throw new AssertionError("timed out waiting: " + what + " (held " + held.get() + ", stored "
                                + arrived.size() + ", read to the end but not stored " + unstored + ") "
                                + detail.get());
                    }
                    left = changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            open();
            server.close();
        }
    }
}
