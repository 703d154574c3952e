package dev.mailcore.delivery;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.delivery.dns.StaticMxResolver;
import dev.mailcore.delivery.smtp.Route;
import dev.mailcore.delivery.smtp.Routes;
import dev.mailcore.delivery.smtp.SmtpTransport;
import dev.mailcore.delivery.smtp.TlsPolicy;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpProtocol;
import dev.mailcore.smtp.SmtpRole;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue as a real MTA on loopback: an Angus Mail client submits to a mailcore SMTP server whose transport is the
 * queue; the queue delivers with {@link SmtpTransport} to a mailcore "remote" server that accepts, greylists (4xx
 * then OK) or rejects (5xx), and to a host that drops the connection. The clock is the test's, so retries run
 * without waiting.
 */
class QueueSmtpIT {
    @TempDir
    Path spool;

    final TestClock clock = TestClock.atDefaultStart();
    LoopbackMx remote;
    ServerSocket dropper;
    Thread dropperThread;
    SmtpTransport transport;
    DeliveryQueue queue;
    NettyServer inbound;
    BoundListener inboundListener;
    final ExecutorService executor = Executors.newFixedThreadPool(4);

    @BeforeEach
    void setUp() throws Exception {
        remote = new LoopbackMx();
        dropper = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        dropperThread = new Thread(() -> {
            while (!dropper.isClosed()) {
                try (Socket s = dropper.accept()) {
                    s.setSoLinger(true, 0); // drop: reset the connection without a greeting
                } catch (IOException e) {
                    return;
                }
            }
        }, "dropper");
        dropperThread.setDaemon(true);
        dropperThread.start();
        NextHop mx = NextHop.of("mx.remote.test", InetAddress.getLoopbackAddress());
        transport = SmtpTransport.builder().heloName("mx.example.org").port(remote.port())
                .mxResolver(StaticMxResolver.builder().mx("remote.test", mx).mx("example.org", mx)
                        .host(NextHop.of("drop.example", InetAddress.getLoopbackAddress())).build())
                .routes(Routes.builder().route("drop.test",
                        new Route.Smarthost("drop.example", dropper.getLocalPort(), false, TlsPolicy.NONE, null))
                        .build())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        queue = DeliveryQueue.builder().spoolDirectory(spool).transport(transport).clock(clock)
                .hostname("mx.example.org").postmaster(MailAddress.parse("postmaster@example.org")).fsync(false)
                .build();
        DeliveryPolicy relayForEveryone = new DeliveryPolicy() {
            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
                return Decision.RELAY;
            }
        };
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(a -> Resolution.REMOTE)
                .policy(relayForEveryone).transport(queue.asTransport()).store(new dev.mailcore.store.MemoryStore())
                .executor(executor).build();
        inbound = new NettyServer(1, Duration.ZERO);
        inboundListener = inbound.bind(ListenerConfig.defaults("smtp", TlsMode.NONE), null,
                new SmtpProtocol(config, SmtpRole.MX));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{inbound, queue, transport, remote, dropper}) {
            if (c != null) {
                c.close();
            }
        }
        executor.shutdownNow();
    }

    private void submit(String from, String... to) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(inboundListener.port()));
        p.put("mail.smtp.from", from);
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject("through the queue");
        m.setText("Hello, remote world.\n", "us-ascii");
        Transport.send(m);
    }

    @Test
    void submittedMailIsQueuedThenDeliveredToTheRemoteServer() throws Exception {
        submit("alice@example.org", "bob@remote.test");

        assertThat(queue.list()).hasSize(1); // acknowledged once queued
        queue.runDue();

        assertThat(queue.list()).isEmpty();
        List<byte[]> inbox = remote.messages("bob");
        assertThat(inbox).hasSize(1);
        assertThat(new String(inbox.get(0), StandardCharsets.UTF_8)).contains("Subject: through the queue")
                .contains("Hello, remote world.");
    }

    @Test
    void greylistedRecipientIsDeliveredOnTheRetry() throws Exception {
        submit("alice@example.org", "defer-me@remote.test");
        queue.runDue();
        QueueEntry entry = queue.list().get(0);
        RecipientState r = entry.recipients().get(0);
        assertThat(r.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(r.lastReply().code()).isEqualTo(451);
        assertThat(remote.messages("defer-me")).isEmpty();

        clock.advance(Duration.ofSeconds(300));
        queue.runDue();

        assertThat(queue.list()).isEmpty();
        assertThat(remote.messages("defer-me")).hasSize(1);
    }

    @Test
    void rejectedRecipientIsBouncedToTheSenderWithTheRemoteReply() throws Exception {
        submit("alice@example.org", "reject-me@remote.test", "carol@remote.test");
        queue.runDue();

        assertThat(queue.list()).isEmpty();
        assertThat(remote.messages("carol")).hasSize(1);
        List<byte[]> bounces = remote.messages("alice");
        assertThat(bounces).hasSize(1);
        ParsedDsn dsn = ParsedDsn.parse(bounces.get(0));
        assertThat(dsn.perRecipient).hasSize(1);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; reject-me@remote.test");
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.field(0, "Diagnostic-Code")).contains("550").contains("User unknown");
        assertThat(dsn.messageField("Reporting-MTA")).isEqualTo("dns; mx.example.org");
        assertThat(new String(dsn.original, StandardCharsets.UTF_8)).contains("Hello, remote world.");
    }

    @Test
    void droppedConnectionDefersAndExpiresIntoABounce() throws Exception {
        submit("alice@example.org", "someone@drop.test");
        queue.runDue();
        RecipientState r = queue.list().get(0).recipients().get(0);
        assertThat(r.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(r.lastReply().isTransientFailure()).isTrue();

        clock.advance(Duration.ofDays(5));
        queue.runDue();

        assertThat(queue.list()).isEmpty();
        List<byte[]> bounces = remote.messages("alice");
        assertThat(bounces).hasSize(1);
        ParsedDsn dsn = ParsedDsn.parse(bounces.get(0));
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; someone@drop.test");
        assertThat(dsn.field(0, "Status")).startsWith("4.");
    }
}
