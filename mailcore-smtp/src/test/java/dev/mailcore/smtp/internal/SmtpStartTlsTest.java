package dev.mailcore.smtp.internal;

import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.smtp.SmtpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** STARTTLS with a real TLS handshake between two embedded channels (no sockets). */
class SmtpStartTlsTest {
    static ServerTls tls;

    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();
    SmtpTester smtp;
    EmbeddedChannel client;
    SslHandler clientTls;
    final StringBuilder clientReceived = new StringBuilder();

    @BeforeAll
    static void createTls() {
        tls = ServerTls.create(TlsConfig.selfSigned());
    }

    SmtpConfig config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool).authProvider(SmtpAuthTest.USERS).build();
    }

    /** Sends STARTTLS (plus anything pipelined behind it) and completes the handshake. */
    void startTls(String pipelined) {
        smtp = SmtpTester.connectStartTls(config(), tls).expect("220 ");
        assertThat(smtp.ehlo("client.example")).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
        smtp.sendRaw("STARTTLS\r\n" + pipelined).expect("220 2.0.0 Ready to start TLS").expectNothing();
        SSLEngine engine = tls.clientContext().createSSLEngine("localhost", 25);
        engine.setUseClientMode(true);
        clientTls = new SslHandler(engine);
        client = new EmbeddedChannel(clientTls);
        pump();
        assertThat(clientTls.handshakeFuture().isSuccess()).as("handshake").isTrue();
    }

    void pump() {
        boolean moved;
        do {
            moved = false;
            Object o;
            while ((o = smtp.channel.readOutbound()) != null) {
                client.writeInbound(o);
                moved = true;
            }
            while ((o = client.readOutbound()) != null) {
                smtp.channel.writeInbound(o);
                smtp.channel.runPendingTasks();
                moved = true;
            }
        } while (moved);
    }

    SmtpStartTlsTest send(String line) {
        client.writeOutbound(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
        pump();
        return this;
    }

    String nextReply() {
        Object o;
        while ((o = client.readInbound()) != null) {
            clientReceived.append(((ByteBuf) o).toString(StandardCharsets.UTF_8));
            ((ByteBuf) o).release();
        }
        StringBuilder reply = new StringBuilder();
        while (true) {
            int end = clientReceived.indexOf("\r\n");
            assertThat(end).as("complete reply in %s", clientReceived).isGreaterThanOrEqualTo(0);
            String line = clientReceived.substring(0, end);
            clientReceived.delete(0, end + 2);
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    @Test
    void upgradesResetsTheSessionAndOffersAuth() {
        startTls("");
        assertThat(send("MAIL FROM:<a@client.example>").nextReply()).startsWith("503 5.5.1 ");
        String ehlo = send("EHLO client.example").nextReply();
        assertThat(ehlo).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
        assertThat(send("STARTTLS").nextReply()).startsWith("503 5.5.1 ");
        assertThat(send("MAIL FROM:<a@client.example>").nextReply()).startsWith("250 2.1.0 ");
        assertThat(send("RCPT TO:<alice@example.org>").nextReply()).startsWith("250 2.1.5 ");
        assertThat(send("DATA").nextReply()).startsWith("354 ");
        assertThat(send("Subject: x\r\n\r\nhi\r\n.").nextReply()).startsWith("250 2.0.0 Ok");
        assertThat(store.onlyContent()).contains("with ESMTPS id").contains("(using TLSv1.3 with cipher TLS_");
    }

    @Test
    void discardsCommandsPipelinedAfterStartTls() {
        startTls("MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<alice@example.org>\r\n");
        assertThat(send("EHLO client.example").nextReply()).startsWith("250-mx.example.org\n");
        // the injected MAIL was dropped: a new MAIL is not "nested"
        assertThat(send("MAIL FROM:<a@client.example>").nextReply()).startsWith("250 2.1.0 ");
        assertThat(send("DATA").nextReply()).startsWith("554 5.5.1 ");
    }

    @Test
    void refusesStartTlsWithArgument() {
        smtp = SmtpTester.connectStartTls(config(), tls).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("STARTTLS now").expect("501 5.5.4 ");
    }

    @Test
    void closesWhenTheHandshakeFails() {
        smtp = SmtpTester.connectStartTls(config(), tls).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("STARTTLS").expect("220 2.0.0 ");
        smtp.sendRaw("this is not a TLS record\r\n\r\n\r\n\r\n\r\n\r\n\r\n");
        smtp.expectClosed();
    }
}
