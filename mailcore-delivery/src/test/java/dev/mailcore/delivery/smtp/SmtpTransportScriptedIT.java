package dev.mailcore.delivery.smtp;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.delivery.dns.StaticMxResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

import static dev.mailcore.delivery.smtp.SmtpTransportIT.LOOPBACK;
import static dev.mailcore.delivery.smtp.SmtpTransportIT.MESSAGE;
import static dev.mailcore.delivery.smtp.SmtpTransportIT.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/** SmtpTransport against scripted raw servers, for exact protocol behaviour and failures. */
class SmtpTransportScriptedIT {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private SmtpTransport transport(ScriptedServer server, Consumer<SmtpTransport.Builder> extra) {
        closeables.add(server);
        SmtpTransport.Builder b = SmtpTransport.builder()
                .heloName("client.test")
                .port(server.port())
                .mxResolver(StaticMxResolver.builder().mx("example.org", NextHop.of("mx.example.org", LOOPBACK))
                        .build())
                .connectTimeout(Duration.ofSeconds(5))
                .timeouts(SmtpTimeouts.all(Duration.ofSeconds(10)));
        extra.accept(b);
        SmtpTransport t = b.build();
        closeables.add(t);
        return t;
    }

    private static RecipientOutcome deliverOne(SmtpTransport transport, Envelope envelope) {
        return transport.deliver(envelope, MessageSource.of(MESSAGE)).outcomes().get(0);
    }

    @Test
    void refusesToDowngradeWhenTheServerLacksSmtpUtf8() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING", "8BITMIME");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> b.connectionReuseTime(Duration.ZERO));

        RecipientOutcome o = deliverOne(transport, envelope("a@sender.test", "jörg@example.org"));
        transport.close();
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("5.6.7");
        assertThat(server.received).noneMatch(l -> l.startsWith("MAIL"));
    }

    @Test
    void sendsInternationalDomainsAsALabelsWithoutSmtpUtf8() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            peer.expect("MAIL FROM:<a@xn--bcher-kva.example>");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            peer.send("250 ok");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        assertThat(deliverOne(transport, envelope("a@bücher.example", "bob@example.org")).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
    }

    @Test
    void neverSendsCredentialsWithoutTls() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("AUTH PLAIN LOGIN", "PIPELINING");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> b.tlsPolicy(TlsPolicy.NONE).routes(Routes.smarthost(
                Route.smarthost("127.0.0.1", server.port()).withAuth(new SmarthostAuth("user", "secret")))));

        RecipientOutcome o = deliverOne(transport, envelope("a@sender.test", "bob@example.org"));
        transport.close();
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().lines().get(0)).contains("without TLS");
        assertThat(server.received).noneMatch(l -> l.startsWith("AUTH"));
    }

    @Test
    void pipelinesMailRcptAndData() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            // No reply before all three commands arrived: a client that waits would time out here.
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.expect("DATA");
            peer.send("250 2.1.0 ok").send("250 2.1.5 ok").send("354 go ahead");
            String data = peer.readData();
            if (!data.equals(new String(MESSAGE, StandardCharsets.US_ASCII).replace("\r\n.", "\r\n.."))) {
                throw new AssertionError("data not dot-stuffed as expected: " + data);
            }
            peer.send("250 2.0.0 queued as 1");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        assertThat(deliverOne(transport, envelope("a@sender.test", "bob@example.org")).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
    }

    @Test
    void waitsForEachReplyWithoutPipelining() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("SIZE 100000");
            peer.expect("MAIL FROM:<a@sender.test> SIZE=" + MESSAGE.length);
            peer.send("250 ok");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.send("250 ok");
            peer.expect("RCPT TO:<carol@example.org>");
            peer.send("550 5.1.1 no carol");
            peer.expect("DATA");
            peer.send("354 go");
            peer.readData();
            peer.send("250 done");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "carol@example.org"),
                MessageSource.of(MESSAGE));
        transport.close();
        server.awaitScript();

        assertThat(report.outcomes()).extracting(RecipientOutcome::status)
                .containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
        assertThat(report.outcomes().get(0).reply().enhancedStatus()).isEqualTo("2.0.0");
    }

    @Test
    void sendsAnEightBitMessageWithoutBodyParameterWhenNotOffered() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            peer.send("250 done");
            peer.awaitQuitOrClose();
        });
        Envelope eightBit = new Envelope(envelope("a@sender.test", "bob@example.org").sender(),
                envelope("a@sender.test", "bob@example.org").recipients(),
                new MailParameters(OptionalLong.empty(), BodyType.EIGHT_BIT_MIME, false, null, null, null, Map.of()));
        SmtpTransport transport = transport(server, b -> { });

        assertThat(deliverOne(transport, eightBit).status()).isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
        assertThat(server.received).contains("MAIL FROM:<a@sender.test>");
    }

    @Test
    void sendsBdatChunksWithLastOnTheFinalOne() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<String> commands = new ArrayList<>();
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("CHUNKING");
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            while (true) {
                String bdat = peer.read();
                commands.add(bdat);
                String[] parts = bdat.split(" ");
                got.write(peer.readBytes(Integer.parseInt(parts[1])));
                peer.send("250 2.0.0 chunk ok");
                if (parts.length > 2) {
                    break;
                }
            }
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> b.blockSize(40));

        assertThat(deliverOne(transport, envelope("a@sender.test", "bob@example.org")).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();

        assertThat(got.toByteArray()).isEqualTo(MESSAGE);
        assertThat(commands).hasSize((MESSAGE.length + 39) / 40);
        assertThat(commands.get(commands.size() - 1)).endsWith(" LAST");
        assertThat(commands.subList(0, commands.size() - 1)).allMatch(c -> c.equals("BDAT 40"));
    }

    @Test
    void defersWhenTheGreetingIs421() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.send("421 4.3.2 too busy");
            peer.awaitQuitOrClose();
        });
        RecipientOutcome o = deliverOne(transport(server, b -> { }), envelope("a@sender.test", "bob@example.org"));
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().code()).isEqualTo(421);
        assertThat(o.reply().lines().get(0)).contains("too busy");
    }

    @Test
    void fallsBackToHeloWhenEhloIsRejected() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.send("220 old.test");
            peer.expect("EHLO client.test");
            peer.send("502 what?");
            peer.expect("HELO client.test");
            peer.send("250 old.test");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.send("250 ok");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.readData();
            peer.send("250 ok");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });
        assertThat(deliverOne(transport, envelope("a@sender.test", "bob@example.org")).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
    }

    @Test
    void defersWhenTheConnectionDropsAfterRcpt() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok");
            peer.close();
        });
        RecipientOutcome o = deliverOne(transport(server, b -> { }), envelope("a@sender.test", "bob@example.org"));
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.4.2");
        assertThat(o.reply().lines().get(0)).startsWith("lost connection with mx.example.org[127.0.0.1] while");
    }

    @Test
    void defersWhenTheServerStaysSilent() throws Exception {
        ScriptedServer server = ScriptedServer.start(ScriptedServer.Peer::awaitQuitOrClose);
        RecipientOutcome o = deliverOne(transport(server, b -> b.timeouts(SmtpTimeouts.all(Duration.ofMillis(300)))),
                envelope("a@sender.test", "bob@example.org"));
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.4.2");
        assertThat(o.reply().lines().get(0)).contains("timed out while receiving the initial server greeting");
    }

    @Test
    void defersWhenRequiredStartTlsFails() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 go ahead");
            peer.send("this is not TLS");
            peer.close();
        });
        RecipientOutcome o = deliverOne(transport(server, b -> b.tlsPolicy(TlsPolicy.REQUIRED)),
                envelope("a@sender.test", "bob@example.org"));
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.7.5");
    }

    @Test
    void opportunisticTlsRetriesInPlainTextWhenTheHandshakeFails() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 go ahead");
            peer.send("this is not TLS");
            peer.close();
        }, peer -> {
            peer.greet("STARTTLS", "PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            peer.send("250 ok");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });
        assertThat(deliverOne(transport, envelope("a@sender.test", "bob@example.org")).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
    }

    @Test
    void failsAllRecipientsWhenMailFromIsRejected() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("553 5.7.1 sender rejected").send("503 5.5.1 no mail").send("503 5.5.1 no mail")
                    .send("503 5.5.1 no mail");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });
        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "carol@example.org"),
                MessageSource.of(MESSAGE));
        transport.close();
        server.awaitScript();

        assertThat(report.outcomes()).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(o.reply().lines().get(0)).endsWith("sender rejected (in reply to MAIL FROM command)");
        });
    }

    @Test
    void deliversOverLmtpWithOneReplyPerRecipient() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.send("220 store.test LMTP");
            peer.expect("LHLO client.test");
            peer.send("250-store.test").send("250-PIPELINING").send("250 ENHANCEDSTATUSCODES");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.expect("RCPT TO:<carol@example.org>");
            peer.expect("RCPT TO:<dave@example.org>");
            peer.expect("DATA");
            peer.send("250 2.1.0 ok").send("250 2.1.5 ok").send("250 2.1.5 ok").send("550 5.1.1 no dave")
                    .send("354 go");
            peer.readData();
            peer.send("250 2.0.0 <bob@example.org> saved").send("452 4.2.2 <carol@example.org> over quota");
            peer.awaitQuitOrClose();
        });
        closeables.add(server);
        SmtpTransport transport = SmtpTransport.builder()
                .heloName("client.test")
                .mxResolver(StaticMxResolver.builder().build())
                .routes(Routes.parse(new java.io.StringReader("* lmtp:inet:127.0.0.1:" + server.port())))
                .timeouts(SmtpTimeouts.all(Duration.ofSeconds(10)))
                .build();
        closeables.add(transport);

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "carol@example.org",
                "dave@example.org"), MessageSource.of(MESSAGE));
        transport.close();
        server.awaitScript();

        assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(DeliveryStatus.DELIVERED,
                DeliveryStatus.DEFERRED, DeliveryStatus.FAILED);
        assertThat(report.outcomes().get(1).reply().lines().get(0)).contains("over quota");
        assertThat(report.outcomes().get(0).handoff()).isEqualTo(RecipientOutcome.Handoff.DELIVERED);
    }

    private SmtpTransport lmtp(ScriptedServer server, SmtpTimeouts timeouts) {
        closeables.add(server);
        SmtpTransport transport = SmtpTransport.builder()
                .heloName("client.test")
                .mxResolver(StaticMxResolver.builder().build())
                .routes(Routes.parse(new java.io.StringReader("* lmtp:inet:127.0.0.1:" + server.port())))
                .timeouts(timeouts)
                .build();
        closeables.add(transport);
        return transport;
    }

    @Test
    void anLmtpRecipientWhoseReplyCameBeforeATimeoutStaysDelivered() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.send("220 store.test LMTP");
            peer.expect("LHLO client.test");
            peer.send("250-store.test").send("250 PIPELINING");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.expect("RCPT TO:<carol@example.org>");
            peer.expect("RCPT TO:<dave@example.org>");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            // bob's delivery is done; then the server hangs on carol's, and never answers for dave
            peer.send("250 2.0.0 <bob@example.org> saved");
            peer.awaitQuitOrClose();
        });
        SmtpTimeouts timeouts = new SmtpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(500));
        SmtpTransport transport = lmtp(server, timeouts);

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "carol@example.org",
                "dave@example.org"), MessageSource.of(MESSAGE));
        transport.close();
        server.awaitScript();

        assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(DeliveryStatus.DELIVERED,
                DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED);
        assertThat(report.outcomes().get(0).reply().lines().get(0)).contains("saved");
        assertThat(report.outcomes().get(1).reply().lines().get(0)).contains("timed out");
    }

    private static Envelope binary(String to) {
        Envelope plain = envelope("a@sender.test", to);
        return new Envelope(plain.sender(), plain.recipients(),
                new MailParameters(OptionalLong.empty(), BodyType.BINARY_MIME, false, null, null, null, Map.of()));
    }

    @Test
    void bouncesABinaryMessageWhenTheServerOffersNoChunking() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING", "8BITMIME", "BINARYMIME");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        RecipientOutcome o = deliverOne(transport, binary("bob@example.org"));
        transport.close();
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(o.reply().code()).isEqualTo(554);
        assertThat(o.reply().enhancedStatus()).isEqualTo("5.6.3");
        assertThat(server.received).noneMatch(l -> l.startsWith("MAIL"));
    }

    @Test
    void bouncesABinaryMessageWhenTheServerOffersChunkingButNoBinaryMime() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING", "8BITMIME", "CHUNKING");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        RecipientOutcome o = deliverOne(transport, binary("bob@example.org"));
        transport.close();
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("5.6.3");
        assertThat(o.reply().lines().get(0)).contains("BINARYMIME");
        assertThat(server.received).noneMatch(l -> l.startsWith("MAIL") || l.startsWith("DATA"));
    }

    @Test
    void sendsABinaryMessageWithBdatWhenTheServerOffersBinaryMime() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("8BITMIME", "CHUNKING", "BINARYMIME");
            peer.expect("MAIL FROM:<a@sender.test> BODY=BINARYMIME");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            String bdat = peer.expect("BDAT");
            peer.readBytes(Integer.parseInt(bdat.split(" ")[1]));
            peer.send("250 2.0.0 done");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });

        assertThat(deliverOne(transport, binary("bob@example.org")).status()).isEqualTo(DeliveryStatus.DELIVERED);
        transport.close();
        server.awaitScript();
    }

    @Test
    void aServerWithDsnThatGotTheNotifyIsLeftToReportTheSuccess() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING", "DSN");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:<bob@example.org> NOTIFY=SUCCESS");
            peer.expect("RCPT TO:<carol@example.org>");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            peer.send("250 2.0.0 queued");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });
        Envelope plain = envelope("a@sender.test", "bob@example.org", "carol@example.org");
        Envelope envelope = new Envelope(plain.sender(), List.of(
                new dev.mailcore.api.EnvelopeRecipient(plain.recipients().get(0).address(),
                        java.util.Set.of(dev.mailcore.api.DsnNotify.SUCCESS), null),
                plain.recipients().get(1)), MailParameters.NONE);

        DeliveryReport report = transport.deliver(envelope, MessageSource.of(MESSAGE));
        transport.close();
        server.awaitScript();

        assertThat(report.outcomes()).extracting(RecipientOutcome::handoff)
                .containsExactly(RecipientOutcome.Handoff.RELAYED_WITH_DSN, RecipientOutcome.Handoff.RELAYED);
    }

    @Test
    void aServerWithoutDsnHasTheMessageRelayed() throws Exception {
        ScriptedServer server = ScriptedServer.start(peer -> {
            peer.greet("PIPELINING");
            peer.expect("MAIL FROM:<a@sender.test>");
            peer.expect("RCPT TO:<bob@example.org>");
            peer.expect("DATA");
            peer.send("250 ok").send("250 ok").send("354 go");
            peer.readData();
            peer.send("250 2.0.0 queued");
            peer.awaitQuitOrClose();
        });
        SmtpTransport transport = transport(server, b -> { });
        Envelope plain = envelope("a@sender.test", "bob@example.org");
        Envelope envelope = new Envelope(plain.sender(), List.of(new dev.mailcore.api.EnvelopeRecipient(
                plain.recipients().get(0).address(), java.util.Set.of(dev.mailcore.api.DsnNotify.SUCCESS), null)),
                MailParameters.NONE);

        RecipientOutcome o = deliverOne(transport, envelope);
        transport.close();
        server.awaitScript();

        assertThat(o.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(o.handoff()).isEqualTo(RecipientOutcome.Handoff.RELAYED);
        assertThat(server.received).noneMatch(l -> l.contains("NOTIFY"));
    }
}
