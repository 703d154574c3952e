package dev.mailcore.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.mailcore.delivery.DeliveryQueueTest.content;
import static dev.mailcore.delivery.DeliveryQueueTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a queue in a child JVM, SIGKILLs it while it drains, restarts on the same spool and checks that every message
 * reached the remote at least once and that only messages in flight at the kill were delivered twice.
 */
class QueueCrashResumeIT {
    private static final int MESSAGES = 400;
    private static final int CONCURRENCY = 4;

    @TempDir
    Path dir;

    @Test
    void killedQueueResumesWithoutLosingMessages() throws Exception {
        Path spool = dir.resolve("spool");
        Path remoteLog = dir.resolve("remote.log");
        try (DeliveryQueue filler = DeliveryQueue.builder().spoolDirectory(spool)
                .transport((e, c) -> {
                    throw new AssertionError("the filler never delivers");
                }).build()) {
            for (int i = 0; i < MESSAGES; i++) {
                filler.enqueue(envelope("alice@example.org", "r" + i + "@remote.test"), content());
            }
        }

        int acceptedBeforeKill = runChildAndKillAfter(spool, remoteLog, MESSAGES / 4);
        int leftAfterKill = new QueueAdmin(spool).list().size();
        assertThat(leftAfterKill).as("the kill happened mid-drain").isPositive();
        assertThat(acceptedBeforeKill).isGreaterThanOrEqualTo(MESSAGES / 4);

        try (CrashChild.RemoteLog remote = new CrashChild.RemoteLog(remoteLog, null, Integer.MAX_VALUE);
             DeliveryQueue resumed = DeliveryQueue.builder().spoolDirectory(spool).transport(remote)
                     .concurrency(CONCURRENCY).build()) {
            resumed.runDue();
            assertThat(resumed.list()).isEmpty();
        }

        Map<String, Integer> accepted = new HashMap<>();
        for (String line : Files.readAllLines(remoteLog, StandardCharsets.UTF_8)) {
            accepted.merge(line, 1, Integer::sum);
        }
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(accepted).as("message %d was delivered", i).containsKey("r" + i + "@remote.test");
        }
        long duplicates = accepted.values().stream().filter(n -> n > 1).count();
        assertThat(accepted.values()).allMatch(n -> n <= 2);
        // the remote hung after accepting at least one message that the queue therefore never recorded: that one,
        // and at most one per worker, is delivered twice; nothing else
        assertThat(duplicates).as("only attempts in flight at the kill are repeated").isBetween(1L,
                (long) CONCURRENCY);
        assertThat(accepted).hasSize(MESSAGES);
        try (var files = Files.list(spool.resolve("msg"))) {
            assertThat(files).isEmpty();
        }
    }

    /** Starts the child, waits (blocking reads) until it reported {@code killAfter} acceptances, kills it. */
    private int runChildAndKillAfter(Path spool, Path log, int killAfter) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), spool.toString(), log.toString(), Integer.toString(CONCURRENCY),
                Integer.toString(killAfter))
                .redirectErrorStream(true);
        Process child = pb.start();
        int accepted = 0;
        StringBuilder transcript = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACCEPTED ")) {
                    if (++accepted >= killAfter) {
                        break;
                    }
                } else if (transcript.length() < 10_000) {
                    transcript.append(line).append('\n');
                }
            }
            assertThat(accepted).as("child output:\n%s", transcript).isGreaterThanOrEqualTo(killAfter);
            child.destroyForcibly(); // SIGKILL on Unix
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return accepted;
    }
}
