package dev.mailcore.delivery;

import dev.mailcore.api.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.mailcore.api.DeliveryStatus.DEFERRED;
import static dev.mailcore.delivery.DeliveryQueueTest.content;
import static dev.mailcore.delivery.DeliveryQueueTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;

class QueueAdminTest {
    @TempDir
    Path spool;

    final TestClock clock = TestClock.atDefaultStart();
    final ScriptedTransport remote = new ScriptedTransport().script("bob@remote.test", DEFERRED);
    DeliveryQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    DeliveryQueue open() throws Exception {
        queue = DeliveryQueue.builder().spoolDirectory(spool).transport(remote).clock(clock).fsync(false).build();
        return queue;
    }

    QueueAdmin admin() {
        return new QueueAdmin(spool, clock, Duration.ofSeconds(20));
    }

    @Test
    void listReadsTheSpoolWhileTheQueueRuns() throws Exception {
        DeliveryQueue q = open();
        q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.enqueue(envelope("carol@example.org", "dan@remote.test", "eve@remote.test"), content());
        q.runDue();

        assertThat(admin().isQueueRunning()).isTrue();
        assertThat(admin().list()).isEqualTo(q.list());
        assertThat(admin().stats().messages()).isEqualTo(1);
        assertThat(admin().stats().deferred()).isEqualTo(1);
    }

    @Test
    void changesFromASecondAdminAreAppliedByTheRunningQueue() throws Exception {
        DeliveryQueue q = open();
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        q.start();
        QueueAdmin admin = admin();

        assertThat(admin.hold(id)).isTrue(); // returns once the queue picked the command up
        assertThat(q.list().get(0).held()).isTrue();
        assertThat(admin.list().get(0).held()).isTrue();

        assertThat(admin.release(id)).isTrue();
        assertThat(q.list().get(0).held()).isFalse();

        clock.advance(Duration.ofSeconds(10));
        assertThat(admin.requeue(id)).isTrue();
        q.whenIdle().get(10, TimeUnit.SECONDS);
        RecipientState r = q.list().get(0).recipients().get(0);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.nextAttempt()).isEqualTo(clock.instant().plusSeconds(300));

        assertThat(admin.delete(id)).isTrue();
        assertThat(q.list()).isEmpty();
        assertThat(admin.list()).isEmpty();
        assertThat(admin.hold(id)).isFalse();
        try (var files = Files.list(spool.resolve("control"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void flushFromASecondAdminMakesTheRunningQueueRetryNow() throws Exception {
        DeliveryQueue q = open();
        q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        q.start();
        int before = remote.calls.size();

        admin().flush();
        q.whenIdle().get(10, TimeUnit.SECONDS);

        assertThat(remote.calls).hasSize(before + 1);
    }

    @Test
    void commandsWaitingInTheControlDirectoryAreAppliedByRunDue() throws Exception {
        DeliveryQueue q = open();
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        QueueAdmin slow = new QueueAdmin(spool, clock, Duration.ofMillis(1));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> slow.hold(id))
                .hasMessageContaining("did not apply");
        assertThat(q.runDue()).isZero(); // applies the hold first, so nothing is attempted
        assertThat(q.list().get(0).held()).isTrue();
    }

    @Test
    void changesAreAppliedDirectlyWhenNoQueueRuns() throws Exception {
        DeliveryQueue q = open();
        String held = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        String deleted = q.enqueue(envelope("alice@example.org", "carl@remote.test"), content());
        q.close();
        queue = null;
        QueueAdmin admin = admin();

        assertThat(admin.isQueueRunning()).isFalse();
        assertThat(admin.hold(held)).isTrue();
        assertThat(admin.delete(deleted)).isTrue();
        assertThat(admin.delete("NOPE")).isFalse();

        DeliveryQueue reopened = open();
        assertThat(reopened.list()).extracting(QueueEntry::id).containsExactly(held);
        assertThat(reopened.list().get(0).held()).isTrue();
        assertThat(reopened.runDue()).isZero();
    }

    @Test
    void listIsFormattedLikeMailq() throws Exception {
        DeliveryQueue q = open();
        String deferred = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue();
        String held = q.enqueue(envelope(null, "postmaster@remote.test"), content());
        q.hold(held);

        String text = QueueCommands.formatList(q.list(), ZoneOffset.UTC);

        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("-Queue ID-").contains("--Size--").contains("-Sender/Recipient-");
        assertThat(lines.get(1)).startsWith(deferred + "*").contains(" " + DeliveryQueueTest.MESSAGE.length + " ")
                .contains("Sun Mar  1 10:00:00").endsWith("alice@example.org");
        assertThat(lines.get(2)).isEqualTo("(451 4.3.0 Try again later)");
        assertThat(lines.get(3)).endsWith(" bob@remote.test").startsWith("      ");
        assertThat(text).contains(held + "!").contains("MAILER-DAEMON");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-- 1 Kbytes in 2 Requests.");
        assertThat(QueueCommands.formatList(List.of(), ZoneOffset.UTC)).isEqualTo("Mail queue is empty\n");
    }

    @Test
    void commandLineSubcommandsWorkOnASpool() throws Exception {
        DeliveryQueue q = open();
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.close();
        queue = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(QueueCommands.run(List.of("list", "--spool", spool.toString()), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(id).contains("bob@remote.test");
        assertThat(QueueCommands.run(List.of("hold", "--spool", spool.toString(), "ALL"), o, e)).isZero();
        assertThat(new QueueAdmin(spool).list().get(0).held()).isTrue();
        assertThat(QueueCommands.run(List.of("stats", "--spool", spool.toString()), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("messages: 1").contains("held: 1");
        assertThat(QueueCommands.run(List.of("delete", "--spool", spool.toString(), "NOSUCH"), o, e)).isEqualTo(1);
        assertThat(QueueCommands.run(List.of("delete", "--spool", spool.toString(), id), o, e)).isZero();
        assertThat(new QueueAdmin(spool).list()).isEmpty();
        assertThat(QueueCommands.run(List.of("list"), o, e)).isEqualTo(2);
        assertThat(QueueCommands.run(List.of("explode", "--spool", spool.toString()), o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NOSUCH").contains("usage");
        assertThat(MailAddress.parse("x@y.z")).isNotNull();
    }

    @Test
    void flushReleaseAndRequeueSubcommandsChangeTheQueueDirectory() throws Exception {
        DeliveryQueue q = DeliveryQueue.builder().spoolDirectory(spool).transport(remote).fsync(false).build();
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        q.runDue(); // deferred: due again in some minutes, by the wall clock the subcommands use too
        q.hold(id);
        q.close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        String dir = spool.toString();

        assertThat(QueueCommands.run(List.of("release", "--queue-dir", dir, id), o, e)).isZero();
        assertThat(new QueueAdmin(spool).list().get(0).held()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("release: 1 message");

        Instant before = Instant.now();
        assertThat(new QueueAdmin(spool).list().get(0).recipients().get(0).nextAttempt()).isAfter(before);
        assertThat(QueueCommands.run(List.of("flush", "--queue-dir=" + dir), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("flushed the queue");
        RecipientState flushed = new QueueAdmin(spool).list().get(0).recipients().get(0);
        assertThat(flushed.nextAttempt()).isBeforeOrEqualTo(Instant.now());
        assertThat(flushed.attempts()).isEqualTo(1);

        assertThat(QueueCommands.run(List.of("requeue", "--queue-dir", dir, id), o, e)).isZero();
        assertThat(new QueueAdmin(spool).list().get(0).recipients().get(0).attempts()).isZero();

        assertThat(QueueCommands.run(List.of("flush", "--spool", dir, id), o, e)).as("--spool is an alias").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("flush: 1 message");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

        assertThat(QueueCommands.run(List.of("release", "--queue-dir", dir, "NOSUCH"), o, e)).isEqualTo(1);
        assertThat(QueueCommands.run(List.of("requeue", "--queue-dir", dir), o, e)).isEqualTo(2);
        assertThat(QueueCommands.run(List.of("flush", "--queue-dir"), o, e)).isEqualTo(2);
        assertThat(QueueCommands.run(List.of("flush", "--queue-dri", dir), o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NOSUCH").contains("--queue-dir needs a directory")
                .contains("unknown flag --queue-dri");
    }

    @Test
    void aCommandForAMessageTheRunningQueueNoLongerHasReportsNotFound() throws Exception {
        DeliveryQueue q = open(); // holds the spool: commands go through control/
        String id = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        Path control = spool.resolve("control");
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            control.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            CompletableFuture<Boolean> hold = CompletableFuture.supplyAsync(() -> {
                try {
                    return admin().hold(id);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(watch.poll(10, TimeUnit.SECONDS)).as("the command file appears").isNotNull();
            q.delete(id); // gone before the queue gets to the command

            q.runDue(); // applies pending commands first

            assertThat(hold.get(10, TimeUnit.SECONDS)).isFalse();
        }
        try (var files = Files.list(control)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void unreadableStateFilesAreMovedToCorruptAndListed() throws Exception {
        DeliveryQueue q = open();
        String bad = q.enqueue(envelope("alice@example.org", "bob@remote.test"), content());
        String good = q.enqueue(envelope("alice@example.org", "carl@remote.test"), content());
        q.close();
        queue = null;
        Files.writeString(spool.resolve("msg").resolve(bad + ".state"), "garbage\n");

        DeliveryQueue reopened = open();

        assertThat(reopened.list()).extracting(QueueEntry::id).containsExactly(good);
        assertThat(spool.resolve("corrupt").resolve(bad + ".state")).exists();
        assertThat(spool.resolve("corrupt").resolve(bad + ".eml")).exists();
        assertThat(spool.resolve("msg").resolve(bad + ".eml")).doesNotExist();
        assertThat(admin().corrupt()).containsExactly(bad);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(QueueCommands.run(List.of("list", "--queue-dir", spool.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(),
                        true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(good)
                .contains("1 unreadable queue file moved to").contains(bad);
    }
}
