package dev.mailcore.delivery.smtp;

import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.Decision;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real mailcore SMTP server on a loopback port, storing every recipient's mail in the INBOX of the recipient's
 * local part in a {@link MemoryStore}; it records connections and sessions and can be given a policy.
 */
final class RemoteServer implements AutoCloseable {
    static final ServerTls TLS = ServerTls.create(TlsConfig.selfSigned());

    final MemoryStore store = new MemoryStore();
    final AtomicInteger connections = new AtomicInteger();
    final List<SessionInfo> mailSessions = new CopyOnWriteArrayList<>();
    final List<MailParameters> mailParameters = new CopyOnWriteArrayList<>();
    final List<dev.mailcore.api.EnvelopeRecipient> recipients = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final NettyServer server;
    private final BoundListener listener;

    private RemoteServer(Builder b) {
        DeliveryPolicy recorder = new DeliveryPolicy() {
            @Override
            public Decision onConnect(SessionInfo session) {
                connections.incrementAndGet();
                return Decision.ACCEPT;
            }

            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                mailSessions.add(session);
                mailParameters.add(parameters);
                return Decision.ACCEPT;
            }

            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from,
                                        dev.mailcore.api.EnvelopeRecipient recipient) {
                recipients.add(recipient);
                return Decision.ACCEPT;
            }
        };
        SmtpConfig.Builder config = SmtpConfig.builder()
                .hostname("mx.remote.test")
                .resolver(address -> Resolution.Local.of(address.localPart()))
                .store(store)
                .executor(executor)
                .maxMessageSize(b.maxMessageSize)
                .policy(DeliveryPolicy.allOf(recorder, b.policy));
        if (b.auth != null) {
            config.authProvider(b.auth);
        }
        server = new NettyServer(1, Duration.ZERO);
        listener = server.bind(ListenerConfig.defaults("smtp", b.tls ? TlsMode.STARTTLS : TlsMode.NONE),
                b.tls ? TLS : null, new SmtpProtocol(config.build(), b.role));
    }

    static Builder builder() {
        return new Builder();
    }

    static RemoteServer plain() {
        return builder().build();
    }

    int port() {
        return listener.port();
    }

    /** The contents of the messages in {@code user}'s INBOX, oldest first. */
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

    static final class Builder {
        private boolean tls;
        private AuthProvider auth;
        private SmtpRole role = SmtpRole.MX;
        private DeliveryPolicy policy = new DeliveryPolicy() {
        };
        private long maxMessageSize = SmtpConfig.DEFAULT_MAX_MESSAGE_SIZE;

        Builder tls() {
            this.tls = true;
            return this;
        }

        /** A submission server with STARTTLS that knows one user. */
        Builder submission(String user, String password) {
            this.tls = true;
            this.role = SmtpRole.SUBMISSION;
            this.auth = (username, pw) -> username.equals(user) && pw.equals(password)
                    ? new AuthResult.Success(user) : AuthResult.FAILURE;
            return this;
        }

        Builder policy(DeliveryPolicy policy) {
            this.policy = policy;
            return this;
        }

        Builder maxMessageSize(long size) {
            this.maxMessageSize = size;
            return this;
        }

        RemoteServer build() {
            return new RemoteServer(this);
        }
    }
}
