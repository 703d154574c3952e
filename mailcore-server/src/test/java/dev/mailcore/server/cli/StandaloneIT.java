package dev.mailcore.server.cli;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.server.RawSmtpClientAccess;
import dev.mailcore.server.StandaloneProcess;
import dev.mailcore.store.maildir.MaildirStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    void mailDeliveredOverSmtpIsDownloadedOverPop3() throws Exception {
        int smtpPort = StandaloneProcess.freePort();
        int pop3Port = StandaloneProcess.freePort();
        try (StandaloneProcess p = StandaloneProcess.start("--smtp-port", String.valueOf(smtpPort), "--pop3-port",
                String.valueOf(pop3Port), "--user", "user@example.com:secret")) {
            try (Pop3LineClient pop3 = new Pop3LineClient(pop3Port)) {
                assertThat(pop3.line()).startsWith("+OK");
                assertThat(pop3.command("USER user@example.com")).startsWith("+OK");
                assertThat(pop3.command("PASS wrong")).startsWith("-ERR [AUTH]");
                assertThat(pop3.command("USER user@example.com")).startsWith("+OK");
                assertThat(pop3.command("PASS secret")).isEqualTo("+OK Logged in.");
                assertThat(pop3.command("STAT")).isEqualTo("+OK 0 0");
                assertThat(pop3.command("QUIT")).startsWith("+OK");
            }
            try (RawSmtpClientAccess c = new RawSmtpClientAccess(smtpPort)) {
                c.reply();
                c.command("EHLO test");
                assertThat(c.command("MAIL FROM:<a@remote.example>")).startsWith("250");
                assertThat(c.command("RCPT TO:<user@example.com>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.data("Subject: over pop3\r\n\r\nhello\r\n")).startsWith("250");
            }
            try (Pop3LineClient pop3 = new Pop3LineClient(pop3Port)) {
                pop3.line();
                pop3.command("USER user@example.com");
                assertThat(pop3.command("PASS secret")).isEqualTo("+OK Logged in.");
                String stat = pop3.command("STAT");
                assertThat(stat).matches("\\+OK 1 \\d+");
                String size = stat.substring("+OK 1 ".length());
                assertThat(pop3.command("RETR 1")).isEqualTo("+OK " + size + " octets");
                String message = pop3.body();
                assertThat(message).contains("Subject: over pop3\r\n").endsWith("\r\nhello\r\n");
                assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(size));
                assertThat(pop3.command("QUIT")).startsWith("+OK");
            }
            assertThat(p.stop()).isZero();
        }
    }

    /** A line-level POP3 client on 127.0.0.1. */
    private static final class Pop3LineClient implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Pop3LineClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            return line;
        }

        String command(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return line();
        }

        /** A multi-line response's body, un-stuffed, with CRLF line ends. */
        String body() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String line = line(); !line.equals("."); line = line()) {
                sb.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
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
