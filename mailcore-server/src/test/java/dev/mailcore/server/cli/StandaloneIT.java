package dev.mailcore.server.cli;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.server.RawSmtpClientAccess;
import dev.mailcore.server.StandaloneProcess;
import dev.mailcore.store.maildir.MaildirStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the launcher in a child JVM, as the benchmark and administrators do, and stops it with SIGTERM. */
class StandaloneIT {

    @Test
    void servesSmtpOnTheGivenPortAndExitsZeroOnSigterm() throws Exception {
        int port = StandaloneProcess.freePort();
        try (StandaloneProcess p = StandaloneProcess.start("--smtp-port", String.valueOf(port), "--imap-port", "0",
                "--pop3-port", "0", "--user", "user@example.com:secret");
             RawSmtpClientAccess c = new RawSmtpClientAccess(port)) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO test")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<a@remote.example>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<user@example.com>")).startsWith("250 2.1.5");
            assertThat(c.command("QUIT")).startsWith("221 ");
            assertThat(p.stop()).isZero();
        }
    }

    @Test
    void configFileRoutingAndAccessRulesApplyAndReloadOnSighup(@TempDir Path dir) throws Exception {
        Path aliases = dir.resolve("aliases");
        Files.writeString(aliases, "sales: alice, bob\n");
        Path access = dir.resolve("access");
        Files.writeString(access, "From:spam.example   REJECT\n");
        Path conf = dir.resolve("mailcore.conf");
        int port = StandaloneProcess.freePort();
        Files.writeString(conf, String.join("\n",
                "smtp-port = " + port,
                "store = maildir:" + dir.resolve("mail"),
                "user = alice@example.com:a",
                "user = bob@example.com:b",
                "alias-file = " + aliases,
                "access-file = " + access,
                "no-default-folders = true", ""));
        try (StandaloneProcess p = StandaloneProcess.start("--config", conf.toString())) {
            try (RawSmtpClientAccess c = new RawSmtpClientAccess(port)) {
                c.reply();
                c.command("EHLO client.example");
                assertThat(c.command("MAIL FROM:<x@spam.example>")).startsWith("550 5.7.1");
                assertThat(c.command("MAIL FROM:<x@friend.example>")).startsWith("250");
                assertThat(c.command("RCPT TO:<sales@example.com>")).startsWith("250");
                assertThat(c.command("RCPT TO:<support@example.com>")).startsWith("550 5.1.1");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.data("Subject: to sales\r\n\r\nhello\r\n")).startsWith("250");
            }
            Files.writeString(aliases, "sales: alice, bob\nsupport: bob\n");
            p.signal("HUP");
            p.awaitLine("configuration files reloaded");
            try (RawSmtpClientAccess c = new RawSmtpClientAccess(port)) {
                c.reply();
                c.command("EHLO client.example");
                c.command("MAIL FROM:<x@friend.example>");
                assertThat(c.command("RCPT TO:<support@example.com>")).startsWith("250");
            }
            assertThat(p.stop()).isZero();
        }
        try (MaildirStore store = MaildirStore.open(dir.resolve("mail"))) {
            assertThat(store.messages(MailboxRef.inbox("alice@example.com"))).hasSize(1);
            assertThat(store.messages(MailboxRef.inbox("bob@example.com"))).hasSize(1);
        }
    }
}
