package dev.mailcore.delivery;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpProtocol;
import dev.mailcore.smtp.SmtpRole;
import dev.mailcore.store.MemoryStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "remote" mail server for tests: a real mailcore SMTP server on a loopback port that stores each recipient's
 * mail in the INBOX named by its local part. What it answers depends on the local part: {@code reject...} gets
 * {@code 550 5.1.1}, {@code defer...} gets {@code 451 4.7.1} on its first RCPT and is accepted afterwards (greylisting),
 * anything else is accepted.
 */
final class LoopbackMx implements AutoCloseable {
    final MemoryStore store = new MemoryStore();
    final AtomicInteger transactions = new AtomicInteger();
    private final Set<String> greylisted = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final NettyServer server;
    private final BoundListener listener;

    LoopbackMx() {
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from,
                                       dev.mailcore.api.MailParameters parameters) {
                transactions.incrementAndGet();
                return Decision.ACCEPT;
            }

            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
                String local = recipient.address().localPart();
                if (local.startsWith("reject")) {
                    return Decision.reject(550, "5.1.1", "<" + recipient.address() + ">: User unknown");
                }
                if (local.startsWith("defer") && greylisted.add(recipient.address().toString())) {
                    return Decision.defer(451, "4.7.1", "Greylisted, try again later");
                }
                return Decision.ACCEPT;
            }
        };
        SmtpConfig config = SmtpConfig.builder().hostname("mx.remote.test")
                .resolver(address -> Resolution.Local.of(address.localPart()))
                .store(store).executor(executor).policy(policy).build();
        server = new NettyServer(1, Duration.ZERO);
        listener = server.bind(ListenerConfig.defaults("smtp", TlsMode.NONE), null,
                new SmtpProtocol(config, SmtpRole.MX));
    }

    int port() {
        return listener.port();
    }

    /** The messages in a user's INBOX, oldest first. */
    List<byte[]> messages(String user) {
        MailboxRef inbox = MailboxRef.inbox(user);
        if (store.mailbox(inbox).isEmpty()) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>();
        for (MessageMeta meta : store.messages(inbox)) {
            try (InputStream in = store.content(inbox, meta.uid()).openStream()) {
                out.add(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }
}
