package dev.mailcore.server.cli;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.server.MailServer;
import dev.mailcore.server.RawSmtpClientAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone server's outbound flags end to end: a server built from {@code --queue-dir}, {@code --relayhost}
 * and {@code --relayhost-auth-file} relays through a loopback smarthost that takes mail only after AUTH (its
 * submission port: STARTTLS, then AUTH before MAIL).
 */
class RelayHostAuthIT {
    private static final String RELAY_USER = "relay@smarthost.example";
    private static final String RECIPIENT = "bob@smarthost.example";

    @TempDir
    Path dir;
    private final List<MailServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
    }

    private MailServer smarthost() {
        MailServer s = MailServer.builder().hostname("smarthost.example").user(RELAY_USER, "s3cret:x")
                .user(RECIPIENT, "bob").submission(0).build().start();
        servers.add(s);
        return s;
    }

    private MailServer standalone(String... flags) {
        MailServer s = Options.parse(flags).toBuilder().build().start();
        servers.add(s);
        return s;
    }

    private static void send(MailServer server, String to) throws Exception {
        try (RawSmtpClientAccess c = new RawSmtpClientAccess(server.smtpPort())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.example")).startsWith("250");
            assertThat(c.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.data("From: alice@sender.example\r\nTo: " + to + "\r\nSubject: via smarthost\r\n\r\n"
                    + "hello\r\n")).startsWith("250");
            c.command("QUIT");
        }
    }

    @Test
    void relaysThroughASmarthostThatRequiresAuth() throws Exception {
        MailServer smarthost = smarthost();
        Path secret = dir.resolve("relay-secret");
        Files.writeString(secret, RELAY_USER + ":s3cret:x\n");
        MailServer sender = standalone("--smtp-port", "0", "--hostname", "mail.sender.example", "--relay-network",
                "127.0.0.1", "--queue-dir", dir.resolve("queue").toString(), "--relayhost",
                "[127.0.0.1]:" + smarthost.submissionPort(), "--relayhost-auth-file", secret.toString(),
                "--smtp-tls-policy", "encrypt");

        send(sender, RECIPIENT);
        sender.queue().whenIdle().get(30, TimeUnit.SECONDS);

        List<MessageMeta> inbox = smarthost.store().messages(MailboxRef.inbox(RECIPIENT));
        assertThat(inbox).hasSize(1);
        try (InputStream in = smarthost.store().content(MailboxRef.inbox(RECIPIENT), inbox.get(0).uid())
                .openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("Subject: via smarthost");
        }
        assertThat(sender.queue().list()).isEmpty();
    }

    @Test
    void wrongCredentialsLeaveTheMessageQueued() throws Exception {
        MailServer smarthost = smarthost();
        Path conf = dir.resolve("mailcore.conf");
        Files.writeString(conf, "smtp-port = 0\nrelay-network = 127.0.0.1\nqueue-dir = " + dir.resolve("queue")
                + "\nrelayhost = [127.0.0.1]:" + smarthost.submissionPort() + "\nrelayhost-auth = " + RELAY_USER
                + ":wrong\n");
        MailServer sender = standalone("--config", conf.toString());

        send(sender, RECIPIENT);
        sender.queue().whenIdle().get(30, TimeUnit.SECONDS);

        assertThat(smarthost.store().messages(MailboxRef.inbox(RECIPIENT))).isEmpty();
        assertThat(sender.queue().list()).singleElement().satisfies(e -> assertThat(
                e.recipients().get(0).lastReply().toString()).contains("535"));
    }
}
