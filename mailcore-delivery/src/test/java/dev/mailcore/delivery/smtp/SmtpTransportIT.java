package dev.mailcore.delivery.smtp;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.delivery.dns.StaticMxResolver;
import dev.mailcore.delivery.dns.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** SmtpTransport against real mailcore SMTP servers on loopback ports. */
class SmtpTransportIT {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final byte[] MESSAGE = ("From: a@sender.test\r\nTo: b@example.org\r\nSubject: hi\r\n\r\n"
            + "Hello\r\n.leading dot\r\n..two dots\r\nbye\r\n").getBytes(StandardCharsets.US_ASCII);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        closeables.add(t);
        return t;
    }

    static Envelope envelope(String from, String... to) {
        return new Envelope(ReversePath.of(MailAddress.parse(from)),
                Arrays.stream(to).map(a -> EnvelopeRecipient.of(MailAddress.parse(a))).toList(),
                MailParameters.NONE);
    }

    private SmtpTransport transport(int port, Consumer<SmtpTransport.Builder> extra) {
        SmtpTransport.Builder b = SmtpTransport.builder()
                .heloName("client.test")
                .port(port)
                .mxResolver(StaticMxResolver.builder()
                        .mx("example.org", NextHop.of("localhost", LOOPBACK))
                        .host(NextHop.of("localhost", LOOPBACK))
                        .build())
                .connectTimeout(Duration.ofSeconds(5))
                .timeouts(SmtpTimeouts.all(Duration.ofSeconds(10)));
        extra.accept(b);
        return closing(b.build());
    }

    private SmtpTransport transport(RemoteServer server) {
        return transport(server.port(), b -> {
        });
    }

    static void assertArrived(byte[] stored, byte[] sent) {
        String s = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("Received:");
        assertThat(stored.length).isGreaterThan(sent.length);
        byte[] tail = Arrays.copyOfRange(stored, stored.length - sent.length, stored.length);
        assertThat(tail).isEqualTo(sent);
    }

    @Test
    void deliversToALoopbackServerWithBdat() {
        RemoteServer server = closing(RemoteServer.plain());
        DeliveryReport report = transport(server).deliver(envelope("a@sender.test", "bob@example.org"),
                MessageSource.of(MESSAGE));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(o.reply().code()).isEqualTo(250);
            assertThat(o.reply().lines().get(0)).startsWith("host localhost[127.0.0.1] said: 250");
        });
        assertThat(server.messages("bob")).singleElement().satisfies(m -> assertArrived(m, MESSAGE));
    }

    @Test
    void deliversWithDotStuffedDataWhenChunkingIsOff() {
        RemoteServer server = closing(RemoteServer.plain());
        byte[] bareLf = "Subject: x\n\n.line\nlast line without end".getBytes(StandardCharsets.US_ASCII);
        SmtpTransport transport = transport(server.port(), b -> b.chunking(false));

        assertThat(transport.deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();
        assertThat(transport.deliver(envelope("a@sender.test", "carol@example.org"), MessageSource.of(bareLf))
                .allDelivered()).isTrue();

        assertThat(server.messages("bob")).singleElement().satisfies(m -> assertArrived(m, MESSAGE));
        assertThat(server.messages("carol")).singleElement().satisfies(m -> assertArrived(m,
                "Subject: x\r\n\r\n.line\r\nlast line without end\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void reportsEachRecipientOnItsOwn() {
        RemoteServer server = closing(RemoteServer.builder().policy(new DeliveryPolicy() {
            @Override
            public Decision onRecipient(SessionInfo s, ReversePath from, EnvelopeRecipient rcpt) {
                switch (rcpt.address().localPart()) {
                    case "nobody":
                        return Decision.reject(550, "5.1.1", "no such user");
                    case "full":
                        return Decision.defer(452, "4.2.2", "mailbox full");
                    default:
                        return Decision.ACCEPT;
                }
            }
        }).build());
        DeliveryReport report = transport(server).deliver(
                envelope("a@sender.test", "bob@example.org", "nobody@example.org", "full@example.org"),
                MessageSource.of(MESSAGE));

        assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(
                DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DEFERRED);
        RecipientOutcome rejected = report.outcomes().get(1);
        assertThat(rejected.reply().code()).isEqualTo(550);
        assertThat(rejected.reply().enhancedStatus()).isEqualTo("5.1.1");
        assertThat(rejected.reply().lines().get(0)).isEqualTo(
                "host localhost[127.0.0.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)");
        assertThat(report.outcomes().get(2).reply().enhancedStatus()).isEqualTo("4.2.2");
        assertThat(server.messages("bob")).hasSize(1);
        assertThat(server.messages("nobody")).isEmpty();
    }

    @Test
    void defersOnATemporaryRefusalAndDeliversOnTheNextAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        RemoteServer server = closing(RemoteServer.builder().policy(new DeliveryPolicy() {
            @Override
            public Decision onRecipient(SessionInfo s, ReversePath from, EnvelopeRecipient rcpt) {
                return attempts.getAndIncrement() == 0 ? Decision.defer(450, "4.7.1", "greylisted, come back later")
                        : Decision.ACCEPT;
            }
        }).build());
        SmtpTransport transport = transport(server);
        Envelope envelope = envelope("a@sender.test", "grey@example.org");

        RecipientOutcome first = transport.deliver(envelope, MessageSource.of(MESSAGE)).outcomes().get(0);
        assertThat(first.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(first.reply().lines().get(0)).contains("greylisted");
        assertThat(server.messages("grey")).isEmpty();

        assertThat(transport.deliver(envelope, MessageSource.of(MESSAGE)).allDelivered()).isTrue();
        assertThat(server.messages("grey")).hasSize(1);
    }

    @Test
    void triesTheSecondMxWhenTheFirstRefusesTheConnection() throws Exception {
        RemoteServer server = closing(RemoteServer.plain());
        // Nothing listens on 127.0.0.2 at the server's port (the server binds 127.0.0.1 only).
        InetAddress unused = InetAddress.getByName("127.0.0.2");
        SmtpTransport transport = transport(server.port(), b -> b.mxResolver(StaticMxResolver.builder()
                .mx("example.org", new NextHop("mx1.example.org", 10, List.of(unused)),
                        new NextHop("mx2.example.org", 20, List.of(LOOPBACK)))
                .build()));

        RecipientOutcome o = transport.deliver(envelope("a@sender.test", "bob@example.org"),
                MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(o.reply().lines().get(0)).startsWith("host mx2.example.org[127.0.0.1] said: 250");
        assertThat(server.messages("bob")).hasSize(1);
    }

    @Test
    void triesTheSecondMxForRecipientsTheFirstDeferred() throws Exception {
        RemoteServer server = closing(RemoteServer.plain());
        InetAddress other = InetAddress.getByName("127.0.0.2");
        ScriptedServer first = closing(ScriptedServer.startOn(new java.net.InetSocketAddress(other, server.port()),
                peer -> {
                    peer.greet("PIPELINING");
                    peer.expect("MAIL");
                    peer.expect("RCPT TO:<bob@example.org>");
                    peer.expect("RCPT TO:<carol@example.org>");
                    peer.expect("DATA");
                    peer.send("250 ok").send("451 4.3.0 try elsewhere").send("550 5.1.1 no carol")
                            .send("554 5.5.1 no valid recipients");
                    peer.awaitQuitOrClose();
                }));
        SmtpTransport transport = transport(server.port(), b -> b.mxResolver(StaticMxResolver.builder()
                .mx("example.org", new NextHop("mx1.example.org", 10, List.of(other)),
                        new NextHop("mx2.example.org", 20, List.of(LOOPBACK)))
                .build()));

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "carol@example.org"),
                MessageSource.of(MESSAGE));
        transport.close();
        first.awaitScript();

        assertThat(report.outcomes()).extracting(RecipientOutcome::status)
                .containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
        assertThat(report.outcomes().get(0).reply().lines().get(0)).startsWith("host mx2.example.org[127.0.0.1]");
        assertThat(report.outcomes().get(1).reply().lines().get(0)).startsWith("host mx1.example.org[127.0.0.2]");
        assertThat(server.messages("bob")).hasSize(1);
        assertThat(server.messages("carol")).isEmpty();
    }

    @Test
    void defersWith441WhenNoMxAcceptsConnections() throws Exception {
        RemoteServer server = closing(RemoteServer.plain());
        int port = server.port();
        server.close();
        RecipientOutcome o = transport(port, b -> {
        }).deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.4.1");
        assertThat(o.reply().lines().get(0)).contains("connect to localhost[127.0.0.1]:" + port);
    }

    @Test
    void failsRecipientsOfANullMxDomainAndOfAMissingDomain() {
        SmtpTransport transport = transport(25, b -> b.mxResolver(StaticMxResolver.builder()
                .nullMx("nomail.test").build()));
        DeliveryReport report = transport.deliver(envelope("a@sender.test", "x@nomail.test", "y@missing.test"),
                MessageSource.of(MESSAGE));

        assertThat(report.outcomes()).extracting(RecipientOutcome::status)
                .containsExactly(DeliveryStatus.FAILED, DeliveryStatus.FAILED);
        assertThat(report.outcomes().get(0).reply().enhancedStatus()).isEqualTo("5.1.10");
        assertThat(report.outcomes().get(0).reply().lines().get(0)).isEqualTo("Recipient address has null MX");
        assertThat(report.outcomes().get(1).reply().enhancedStatus()).isEqualTo("5.1.2");
        assertThat(report.outcomes().get(1).reply().lines().get(0)).startsWith("Domain not found");
    }

    @Test
    void reusesTheConnectionForTheNextMessage() {
        RemoteServer server = closing(RemoteServer.plain());
        SmtpTransport transport = transport(server);

        assertThat(transport.deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();
        assertThat(transport.deliver(envelope("a@sender.test", "carol@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();

        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(transport.reusedConnections()).isEqualTo(1);
        assertThat(server.messages("bob")).hasSize(1);
        assertThat(server.messages("carol")).hasSize(1);
    }

    @Test
    void opensANewConnectionWhenReuseIsOff() {
        RemoteServer server = closing(RemoteServer.plain());
        SmtpTransport transport = transport(server.port(), b -> b.connectionReuseTime(Duration.ZERO));

        transport.deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE));
        transport.deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE));

        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(server.messages("bob")).hasSize(2);
    }

    @Test
    void forwardsSizeBodyAndDsnParameters() {
        RemoteServer server = closing(RemoteServer.plain());
        Envelope envelope = new Envelope(ReversePath.of(MailAddress.parse("a@sender.test")),
                List.of(new EnvelopeRecipient(MailAddress.parse("bob@example.org"),
                        Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), "rfc822;bob@example.org")),
                new MailParameters(OptionalLong.empty(), BodyType.EIGHT_BIT_MIME, false, DsnReturn.HDRS,
                        "id+1=x", null, Map.of()));

        assertThat(transport(server).deliver(envelope, MessageSource.of(MESSAGE)).allDelivered()).isTrue();

        MailParameters p = server.mailParameters.get(0);
        assertThat(p.declaredSize()).hasValue(MESSAGE.length);
        assertThat(p.body()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(p.dsnReturn()).isEqualTo(DsnReturn.HDRS);
        assertThat(p.envelopeId()).isEqualTo("id+1=x");
        assertThat(server.recipients).singleElement().satisfies(r -> {
            assertThat(r.notifyOn()).containsExactlyInAnyOrder(DsnNotify.FAILURE, DsnNotify.DELAY);
            assertThat(r.original()).isEqualToIgnoringCase("rfc822;bob@example.org");
        });
    }

    @Test
    void deliversInternationalAddressesWithSmtpUtf8() {
        RemoteServer server = closing(RemoteServer.plain());
        DeliveryReport report = transport(server).deliver(envelope("a@sender.test", "jörg@example.org"),
                MessageSource.of(MESSAGE));

        assertThat(report.allDelivered()).isTrue();
        assertThat(server.mailParameters.get(0).smtpUtf8()).isTrue();
        assertThat(server.messages("jörg")).hasSize(1);
    }

    @Test
    void failsMessagesLargerThanTheServerAnnounces() {
        RemoteServer server = closing(RemoteServer.builder().maxMessageSize(50).build());
        RecipientOutcome o = transport(server).deliver(envelope("a@sender.test", "bob@example.org"),
                MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("5.3.4");
        assertThat(server.mailParameters).isEmpty();
    }

    @Test
    void usesOpportunisticStartTlsWhenOffered() {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        assertThat(transport(server).deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();

        assertThat(server.mailSessions.get(0).tlsProtocol()).startsWith("TLSv1.");
        assertThat(server.messages("bob")).singleElement().satisfies(m -> assertArrived(m, MESSAGE));
    }

    @Test
    void sendsInPlainTextWhenTlsIsOff() {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        assertThat(transport(server.port(), b -> b.tlsPolicy(TlsPolicy.NONE))
                .deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();

        assertThat(server.mailSessions.get(0).tlsProtocol()).isNull();
    }

    @Test
    void defersWhenTlsIsRequiredButNotOffered() {
        RemoteServer server = closing(RemoteServer.plain());
        RecipientOutcome o = transport(server.port(), b -> b.tlsPolicy(TlsPolicy.REQUIRED))
                .deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.7.4");
        assertThat(server.messages("bob")).isEmpty();
    }

    @Test
    void requiredTlsAcceptsAnUntrustedCertificate() {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        assertThat(transport(server.port(), b -> b.tlsPolicy(TlsPolicy.REQUIRED))
                .deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();
        assertThat(server.mailSessions.get(0).tlsProtocol()).isNotNull();
    }

    @Test
    void verifiedTlsDeliversWhenTheCertificateIsTrusted() {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        SmtpTransport transport = transport(server.port(), b -> b.tlsPolicy(TlsPolicy.VERIFY)
                .trustStore(RemoteServer.TLS.trustStore()));

        assertThat(transport.deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();
        assertThat(server.mailSessions.get(0).tlsProtocol()).isNotNull();
    }

    @Test
    void verifiedTlsDefersWhenTheCertificateIsNotTrusted() {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        RecipientOutcome o = transport(server.port(), b -> b.tlsPolicy(TlsPolicy.VERIFY))
                .deliver(envelope("a@sender.test", "bob@example.org"), MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.7.5");
        assertThat(server.mailSessions).isEmpty();
    }

    @Test
    void verifiedTlsChecksTheHostName() throws Exception {
        RemoteServer server = closing(RemoteServer.builder().tls().build());
        SmtpTransport transport = transport(server.port(), b -> b.tlsPolicy(TlsPolicy.VERIFY)
                .trustStore(RemoteServer.TLS.trustStore())
                .mxResolver(StaticMxResolver.builder()
                        .mx("example.org", NextHop.of("mx.wrong-name.test", LOOPBACK)).build()));

        RecipientOutcome o = transport.deliver(envelope("a@sender.test", "bob@example.org"),
                MessageSource.of(MESSAGE)).outcomes().get(0);
        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().enhancedStatus()).isEqualTo("4.7.5");
    }

    @Test
    void authenticatesToASmarthost() {
        RemoteServer relay = closing(RemoteServer.builder().submission("relayuser", "relaypass").build());
        SmtpTransport transport = transport(relay.port(), b -> b.routes(Routes.smarthost(
                Route.smarthost("127.0.0.1", relay.port()).withTlsPolicy(TlsPolicy.REQUIRED)
                        .withAuth(new SmarthostAuth("relayuser", "relaypass")))));

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@far.test"),
                MessageSource.of(MESSAGE));

        assertThat(report.allDelivered()).as("%s", report).isTrue();
        assertThat(relay.mailSessions.get(0).authenticated()).isEqualTo("relayuser");
        assertThat(relay.messages("bob")).hasSize(1);
    }

    @Test
    void defersWhenTheSmarthostRefusesTheCredentials() {
        RemoteServer relay = closing(RemoteServer.builder().submission("relayuser", "relaypass").build());
        SmtpTransport transport = transport(relay.port(), b -> b.routes(Routes.smarthost(
                Route.smarthost("127.0.0.1", relay.port())
                        .withAuth(new SmarthostAuth("relayuser", "wrong")))));

        RecipientOutcome o = transport.deliver(envelope("a@sender.test", "bob@far.test"),
                MessageSource.of(MESSAGE)).outcomes().get(0);

        assertThat(o.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(o.reply().lines().get(0)).contains("SASL authentication failed").contains("535");
        assertThat(relay.messages("bob")).isEmpty();
    }

    @Test
    void streamsALargeFileBackedMessageByteExactWithBdatAndData(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.eml");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            byte[] header = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            size += header.length;
            StringBuilder line = new StringBuilder();
            for (int i = 0; size < 20L * 1024 * 1024; i++) {
                line.setLength(0);
                line.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" 0123456789abcdef\r\n");
                byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                size += b.length;
            }
        }
        long fileSize = Files.size(file);
        MessageSource source = new MessageSource() {
            @Override
            public long size() {
                return fileSize;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(file);
            }
        };
        RemoteServer server = closing(RemoteServer.plain());
        assertThat(transport(server).deliver(envelope("a@sender.test", "bob@example.org"), source).allDelivered())
                .isTrue();
        assertThat(transport(server.port(), b -> b.chunking(false))
                .deliver(envelope("a@sender.test", "carol@example.org"), source).allDelivered()).isTrue();

        byte[] expected = Files.readAllBytes(file);
        assertThat(server.messages("bob")).singleElement().satisfies(m -> assertArrived(m, expected));
        assertThat(server.messages("carol")).singleElement().satisfies(m -> assertArrived(m, expected));
    }

    @Test
    void limitsConcurrentSessionsPerDestination() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RemoteServer server = closing(RemoteServer.builder().policy(new DeliveryPolicy() {
            @Override
            public Decision onRecipient(SessionInfo s, ReversePath from, EnvelopeRecipient rcpt) {
                entered.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Decision.ACCEPT;
            }
        }).build());
        SmtpTransport transport = transport(server.port(), b -> b.maxConnectionsPerDestination(2)
                .destinationWait(Duration.ofMillis(200)));
        List<java.util.concurrent.CompletableFuture<DeliveryReport>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String to = "user" + i + "@example.org";
            running.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> transport.deliver(
                    envelope("a@sender.test", to), MessageSource.of(MESSAGE))));
        }
        assertThat(entered.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        RecipientOutcome third = transport.deliver(envelope("a@sender.test", "user2@example.org"),
                MessageSource.of(MESSAGE)).outcomes().get(0);
        release.countDown();

        assertThat(third.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(third.reply().enhancedStatus()).isEqualTo("4.4.5");
        for (java.util.concurrent.CompletableFuture<DeliveryReport> f : running) {
            assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS).allDelivered()).isTrue();
        }
        assertThat(transport.deliver(envelope("a@sender.test", "user2@example.org"), MessageSource.of(MESSAGE))
                .allDelivered()).isTrue();
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void resolvesMxRecordsThroughDnsAndDelivers() throws Exception {
        RemoteServer server = closing(RemoteServer.plain());
        TestDnsServer dns = closing(new TestDnsServer());
        dns.mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.1")
                .mx("nomail.example", 0, ".").silentFor("slow.example");
        SmtpTransport transport = transport(server.port(), b -> b.mxResolver(dns.resolver()));

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@example.org", "x@nomail.example",
                "y@missing.example", "z@slow.example"), MessageSource.of(MESSAGE));

        assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(DeliveryStatus.DELIVERED,
                DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.DEFERRED);
        assertThat(report.outcomes()).extracting(o -> o.reply().enhancedStatus())
                .containsExactly("2.0.0", "5.1.10", "5.1.2", "4.4.3");
        assertThat(report.outcomes().get(0).reply().lines().get(0))
                .startsWith("host mx.example.org[127.0.0.1] said: 250");
        assertThat(server.messages("bob")).hasSize(1);
    }

    @Test
    void routesDomainsToTheirSmarthostAndDiscardsOrRefusesOthers() {
        RemoteServer relay = closing(RemoteServer.plain());
        Routes routes = Routes.parse(new java.io.StringReader(String.join("\n",
                "# test routes",
                ".far.test  smtp:[127.0.0.1]:" + relay.port(),
                "gone.test  error:5.1.1 this domain is gone",
                "later.test retry:try later",
                "void.test  discard:")));
        SmtpTransport transport = transport(1, b -> b.routes(routes));

        DeliveryReport report = transport.deliver(envelope("a@sender.test", "bob@mx.far.test", "c@gone.test",
                "d@later.test", "e@void.test"), MessageSource.of(MESSAGE));

        assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(DeliveryStatus.DELIVERED,
                DeliveryStatus.FAILED, DeliveryStatus.DEFERRED, DeliveryStatus.DELIVERED);
        assertThat(report.outcomes().get(1).reply().enhancedStatus()).isEqualTo("5.1.1");
        assertThat(relay.messages("bob")).hasSize(1);
        assertThat(relay.messages("e")).isEmpty();
    }
}
