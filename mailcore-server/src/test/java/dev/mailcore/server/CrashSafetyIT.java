package dev.mailcore.server;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.jdbc.JdbcStore;
import dev.mailcore.store.maildir.MaildirStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never lose acknowledged mail: a child JVM with a durable store receives a stream of messages and is killed with
 * SIGKILL at random moments, then restarted. Every message acknowledged with 250 must be in the store exactly once
 * and byte-exact; an unacknowledged one may be absent or present once, never twice or truncated.
 */
class CrashSafetyIT {
    private static final String USER = "user@example.com";
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"maildir", "h2"})
    void acknowledgedMessagesSurviveSigkill(String kind) throws Exception {
        String store = kind.equals("maildir") ? "maildir:" + dir.resolve("mail") : "jdbc:h2:file:" + dir.resolve("db/mail");
        Random random = new Random(7 + kind.hashCode());
        Map<String, byte[]> acked = new HashMap<>();
        Map<String, byte[]> attempted = new HashMap<>();
        int counter = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int port = StandaloneProcess.freePort();
            StandaloneProcess server = start(store, port);
            // kill while message number killAt is in flight, at a random protocol moment
            int killAt = random.nextInt(12);
            int phase = random.nextInt(3); // 0: mid-body, 1: right after the final dot, 2: right after the 250
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", port)) {
                c.reply();
                c.command("EHLO crash.example");
                for (int i = 0; i <= killAt; i++) {
                    String id = "m" + counter++;
                    byte[] msg = message(id, new Random(id.hashCode()));
                    attempted.put(id, msg);
                    assertThat(c.command("MAIL FROM:<s@remote.example>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<" + USER + ">")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    if (i == killAt && phase == 0) {
                        c.sendRaw(java.util.Arrays.copyOf(msg, msg.length / 2));
                        break;
                    }
                    c.sendData(msg);
                    if (i == killAt && phase == 1) {
                        break;
                    }
                    String reply = c.reply();
                    assertThat(reply).as("reply to message %s", id).startsWith("250");
                    acked.put(id, msg);
                }
            } finally {
                server.kill(); // SIGKILL
            }
        }
        // one more start: the store must open cleanly after the last kill
        try (StandaloneProcess last = start(store, StandaloneProcess.freePort())) {
            assertThat(last.stop()).isZero();
        }
        assertThat(acked).as("some messages were acknowledged before the kills").isNotEmpty();

        try (Store s = kind.equals("maildir") ? MaildirStore.open(dir.resolve("mail"))
                : JdbcStore.open("jdbc:h2:file:" + dir.resolve("db/mail"))) {
            MailboxRef inbox = MailboxRef.inbox(USER);
            Map<String, Integer> seen = new HashMap<>();
            for (MessageMeta meta : s.messages(inbox)) {
                byte[] stored;
                try (InputStream in = s.content(inbox, meta.uid()).openStream()) {
                    stored = in.readAllBytes();
                }
                String id = idOf(stored);
                assertThat(id).as("stored message has an id").isNotNull();
                seen.merge(id, 1, Integer::sum);
                byte[] sent = attempted.get(id);
                assertThat(sent).as("stored message %s was sent", id).isNotNull();
                byte[] tail = Arrays.copyOfRange(stored, Math.max(0, stored.length - sent.length), stored.length);
                assertThat(tail).as("message %s is complete and byte-exact", id).isEqualTo(sent);
            }
            for (String id : acked.keySet()) {
                assertThat(seen.get(id)).as("acknowledged message %s is stored exactly once", id).isEqualTo(1);
            }
            seen.forEach((id, n) -> assertThat(n).as("message %s is not duplicated", id).isEqualTo(1));
        }
    }

    private static StandaloneProcess start(String store, int port) throws Exception {
        return StandaloneProcess.start("--smtp-port", String.valueOf(port), "--store", store, "--user", USER + ":secret");
    }

    private static byte[] message(String id, Random random) {
        StringBuilder sb = new StringBuilder("From: s@remote.example\r\nTo: " + USER + "\r\nX-Test-Id: " + id
                + "\r\nSubject: crash test\r\n\r\n");
        int lines = 5 + random.nextInt(200);
        for (int i = 0; i < lines; i++) {
            sb.append("line ").append(i).append(' ').append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String idOf(byte[] stored) {
        String text = new String(stored, StandardCharsets.US_ASCII);
        int i = text.indexOf("\r\nX-Test-Id: ");
        if (i < 0) {
            return null;
        }
        int start = i + "\r\nX-Test-Id: ".length();
        return text.substring(start, text.indexOf("\r\n", start));
    }

}
