package dev.mailcore.testing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.imap.ImapHooks;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.pop3.Pop3Hooks;
import dev.mailcore.server.MailServer;
import dev.mailcore.testing.tls.CertificateAuthority;
import dev.mailcore.testing.tls.ClientTrust;
import dev.mailcore.testing.tls.ServerCertificate;
import dev.mailcore.testing.tls.TestCertificates;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A mailcore server for one test: listeners on free ports of 127.0.0.1, a runtime certificate from its own
 * authority, a record of every session and accepted message, exact waits and scripted faults.
 *
 * <pre>{@code
 * try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "pw").start()) {
 *     Transport.send(message(server.clients().smtp()));
 *     ReceivedMessage m = server.awaitMessage(r -> r.isFor("alice@example.com"));
 *     MailAssertions.assertThat(m).hasSubject("Reset your password");
 * }
 * }</pre>
 *
 * <p>A message counts once its SMTP transaction completed: after the server's final {@code 250} was written to the
 * socket. So when a wait returns, the client has been told the message was accepted (or is about to read that), and
 * a message whose {@code 250} never went out is never seen. Nothing is static: any number of servers can run in
 * parallel. Thread-safe.
 */
public final class TestMailServer implements AutoCloseable {
    /** The default timeout of the waits without a timeout argument. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final MailServer server;
    private final ServerRecorder recorder;
    private final FaultScript faults;
    private final ClientTrust trust;
    private final ServerCertificate certificate;
    private final Set<MailListener> listeners;
    private final Map<String, String> users;
    private final Duration timeout;
    private final boolean requireTls;
    private final MailSessions clients;

    private TestMailServer(Builder b) {
        this.faults = new FaultScript();
        this.recorder = new ServerRecorder(faults);
        CertificateAuthority authority = b.authority;
        if (b.certificate != null) {
            this.certificate = b.certificate;
            this.trust = b.trust != null ? b.trust : authority != null ? authority.trust() : b.certificate.trust();
        } else {
            if (authority == null) {
                authority = TestCertificates.authority();
            }
            this.certificate = authority.server();
            this.trust = b.trust != null ? b.trust : authority.trust();
        }
        this.listeners = b.listeners.isEmpty() ? Set.of(MailListener.SMTP)
                : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.listeners));
        this.users = new LinkedHashMap<>(b.users);
        this.timeout = b.timeout;
        this.requireTls = b.requireTls;
        MailServer.Builder mb = MailServer.builder().hostname("localhost").tls(certificate.tlsConfig())
                .shutdownGrace(Duration.ofSeconds(1)).ioThreads(2);
        users.forEach(mb::user);
        for (MailListener l : listeners) {
            switch (l) {
                case SMTP -> mb.smtp(0);
                case SUBMISSION -> mb.submission(0);
                case SMTPS -> mb.smtps(0);
                case IMAP -> mb.imap(0);
                case IMAPS -> mb.imaps(0);
                case POP3 -> mb.pop3(0);
                case POP3S -> mb.pop3s(0);
                default -> throw new IllegalStateException(l.toString());
            }
        }
        if (b.clock != null) {
            mb.clock(b.clock);
        }
        b.configurers.forEach(c -> c.accept(mb));
        mb.smtpSettings(s -> s.hooks(recorder)); // last: the SDK's hooks must be the ones installed
        ServerRecorder rec = recorder;
        mb.imapSettings(s -> s.hooks(new ImapHooks() {
            @Override
            public ImapAction before(SessionInfo session, String command, String argument) {
                return rec.imapBefore(session, command);
            }

            @Override
            public void connected(SessionInfo session) {
                rec.mailboxConnected(session);
            }

            @Override
            public void loggedIn(SessionInfo session, String method) {
                rec.mailboxLoggedIn(session, method);
            }

            @Override
            public void loginFailed(SessionInfo session, String method) {
                rec.mailboxLoginFailed(session, method);
            }

            @Override
            public void closed(SessionInfo session) {
                rec.mailboxClosed(session);
            }
        }));
        mb.pop3Settings(s -> s.hooks(new Pop3Hooks() {
            @Override
            public Pop3Action before(SessionInfo session, String command, String argument) {
                return rec.pop3Before(session, command, argument);
            }

            @Override
            public void connected(SessionInfo session) {
                rec.mailboxConnected(session);
            }

            @Override
            public void loggedIn(SessionInfo session, String method) {
                rec.mailboxLoggedIn(session, method);
            }

            @Override
            public void loginFailed(SessionInfo session, String method) {
                rec.mailboxLoginFailed(session, method);
            }

            @Override
            public void closed(SessionInfo session) {
                rec.mailboxClosed(session);
            }
        }));
        this.server = mb.build();
        this.clients = new MailSessions(this);
    }

    /** A builder with one SMTP listener and no users. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the defaults: one SMTP listener, no users. */
    public static TestMailServer start(String... usersAndPasswords) {
        Builder b = builder();
        for (String spec : usersAndPasswords) {
            b.user(spec);
        }
        return b.start();
    }

    private TestMailServer startInternal(List<Preload> preloads) {
        server.start();
        try {
            preloads.forEach(p -> {
                if (p.content == null) {
                    createFolder(p.user, p.folder);
                } else {
                    preload(p.user, p.folder, p.content);
                }
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return this;
    }

    // ------------------------------------------------------------------ addresses

    /** The host name clients should use ({@code localhost}: the certificate names it). */
    public String host() {
        return "localhost";
    }

    /** The port of a listener; fails when it is not running. */
    public int port(MailListener listener) {
        return server.port(listener.service());
    }

    public int smtpPort() {
        return port(MailListener.SMTP);
    }

    public int submissionPort() {
        return port(MailListener.SUBMISSION);
    }

    public int smtpsPort() {
        return port(MailListener.SMTPS);
    }

    /** The listeners this server runs, in the order they were declared (an unqualified injected session's is first). */
    public Set<MailListener> listeners() {
        return listeners;
    }

    /** Ready-made Jakarta Mail sessions for each listener, trusting this server's certificate. */
    public MailSessions clients() {
        return clients;
    }

    /** What clients must trust to talk to this server (its authority, or the given certificate). */
    public ClientTrust trust() {
        return trust;
    }

    /** The certificate the server presents. */
    public ServerCertificate certificate() {
        return certificate;
    }

    /** The underlying server (store, users, routing reload). */
    public MailServer mailServer() {
        return server;
    }

    public Store store() {
        return server.store();
    }

    /** The users given to the builder (address to password). */
    public Map<String, String> users() {
        return java.util.Collections.unmodifiableMap(users);
    }

    boolean requireTls() {
        return requireTls;
    }

    /** The timeout used by the waits that take none. */
    public Duration defaultTimeout() {
        return timeout;
    }

    // ------------------------------------------------------------------ received messages

    /** The messages accepted so far, in order of their {@code 250}. */
    public List<ReceivedMessage> received() {
        return recorder.received();
    }

    /** The messages accepted so far with {@code recipient} among their envelope recipients. */
    public List<ReceivedMessage> receivedFor(String recipient) {
        return received().stream().filter(m -> m.isFor(recipient)).toList();
    }

    /** Waits until at least {@code count} messages were accepted; returns all accepted so far. */
    public List<ReceivedMessage> awaitMessages(int count) {
        return awaitMessages(count, timeout);
    }

    /** Waits until at least {@code count} messages were accepted; fails after {@code timeout} listing what arrived. */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
        return recorder.await(l -> l.size() >= count, timeout, count + (count == 1 ? " message" : " messages"));
    }

    /** Waits for the first accepted message that matches. */
    public ReceivedMessage awaitMessage(Predicate<? super ReceivedMessage> predicate) {
        return awaitMessage(predicate, timeout);
    }

    /** Waits for the first accepted message that matches; fails after {@code timeout} listing what arrived. */
    public ReceivedMessage awaitMessage(Predicate<? super ReceivedMessage> predicate, Duration timeout) {
        Objects.requireNonNull(predicate);
        List<ReceivedMessage> all = recorder.await(l -> l.stream().anyMatch(predicate), timeout,
                "a message matching the predicate");
        return all.stream().filter(predicate).findFirst().orElseThrow();
    }

    /** Waits until {@code count} accepted messages have {@code recipient} in their envelope; returns those. */
    public List<ReceivedMessage> awaitMessagesFor(String recipient, int count) {
        return awaitMessagesFor(recipient, count, timeout);
    }

    public List<ReceivedMessage> awaitMessagesFor(String recipient, int count, Duration timeout) {
        String expected = count + (count == 1 ? " message" : " messages") + " for " + recipient;
        List<ReceivedMessage> all = recorder.await(l -> l.stream().filter(m -> m.isFor(recipient)).count() >= count,
                timeout, expected);
        return all.stream().filter(m -> m.isFor(recipient)).toList();
    }

    /** Waits until the single message with this queue id (from the client's {@code 250} reply) was accepted. */
    public ReceivedMessage awaitTransaction(String queueId) {
        return awaitTransaction(queueId, timeout);
    }

    /**
     * Waits until the message with this queue id (from the client's {@code 250 ... queued as} reply) was accepted;
     * fails after {@code timeout} listing what arrived.
     */
    public ReceivedMessage awaitTransaction(String queueId, Duration timeout) {
        Objects.requireNonNull(queueId);
        List<ReceivedMessage> all = recorder.await(l -> l.stream().anyMatch(m -> m.queueId().equals(queueId)),
                timeout, "the message queued as " + queueId);
        return all.stream().filter(m -> m.queueId().equals(queueId)).findFirst().orElseThrow();
    }

    /** {@link #awaitExactly(int, Duration)} with the default timeout. */
    public List<ReceivedMessage> awaitExactly(int count) {
        return awaitExactly(count, timeout);
    }

    /**
     * Waits until {@code count} messages were accepted and checks that there are exactly {@code count} at the moment
     * the wait returns: it fails when more had arrived by then, or when fewer arrive within {@code timeout}. It is a
     * snapshot, not a watch: a message that arrives after it returned is not seen. Because a message counts once
     * the client was told it was accepted, calling it after your code's sends returned checks exactly what they
     * sent; to check that nothing more comes later, assert again ({@code assertThat(server).hasReceived(n)}) after
     * the code that might send more has finished.
     */
    public List<ReceivedMessage> awaitExactly(int count, Duration timeout) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        List<ReceivedMessage> all = awaitMessages(count, timeout);
        if (all.size() != count) {
            throw new AssertionError("Expected exactly " + count + (count == 1 ? " message" : " messages")
                    + recorder.describe());
        }
        return all;
    }

    // ------------------------------------------------------------------ sessions

    /** A snapshot of every SMTP connection seen so far, in order of arrival. */
    public List<SessionRecord> sessions() {
        return recorder.sessions();
    }

    /** Every 4xx/5xx reply the server wrote, in order. */
    public List<SmtpReply> rejections() {
        return sessions().stream().flatMap(s -> s.rejections().stream()).toList();
    }

    /** Waits until at least {@code count} connections have ended (useful after faults that close connections). */
    public List<SessionRecord> awaitClosedSessions(int count) {
        return recorder.awaitSessions(l -> l.stream().filter(SessionRecord::closed).count() >= count, timeout,
                count + " closed sessions");
    }

    /**
     * A snapshot of every IMAP and IMAPS connection seen so far, in order of arrival. A login or command is recorded
     * before the server answers it, so it is here once the client has its answer; whether a connection has
     * {@linkplain MailboxSessionRecord#closed() closed} may lag behind the client's close
     * ({@link #awaitClosedImapSessions(int)}).
     */
    public List<MailboxSessionRecord> imapSessions() {
        return recorder.mailboxSessions().stream().filter(s -> s.listener().isImap()).toList();
    }

    /** A snapshot of every POP3 and POP3S connection seen so far, in order of arrival; as {@link #imapSessions()}. */
    public List<MailboxSessionRecord> pop3Sessions() {
        return recorder.mailboxSessions().stream().filter(s -> s.listener().isPop3()).toList();
    }

    /** Waits until at least {@code count} IMAP connections have ended. */
    public List<MailboxSessionRecord> awaitClosedImapSessions(int count) {
        recorder.awaitMailboxSessions(l -> l.stream().filter(s -> s.listener().isImap() && s.closed()).count() >= count,
                timeout, count + " closed IMAP sessions");
        return imapSessions();
    }

    /** Waits until at least {@code count} POP3 connections have ended. */
    public List<MailboxSessionRecord> awaitClosedPop3Sessions(int count) {
        recorder.awaitMailboxSessions(l -> l.stream().filter(s -> s.listener().isPop3() && s.closed()).count() >= count,
                timeout, count + " closed POP3 sessions");
        return pop3Sessions();
    }

    /** The scripted faults. */
    public FaultScript faults() {
        return faults;
    }

    /** Forgets received messages, closed sessions and faults (for servers shared by several tests). */
    public void reset() {
        faults.clear();
        recorder.reset();
    }

    // ------------------------------------------------------------------ preloading

    /**
     * Puts a message (raw RFC 5322 bytes, as in an {@code .eml} file) into a user's folder, creating the folder.
     *
     * @param user   an address of a user given to the builder, or a store user name
     * @param folder {@code INBOX} or any folder name
     */
    public TestMailServer preload(String user, String folder, byte[] eml) {
        createFolder(user, folder);
        MailboxRef ref = new MailboxRef(storeUser(user), folder);
        Store store = store();
        store.append(ref, MessageSource.of(eml.clone()), Flags.NONE, Instant.now());
        return this;
    }

    /** Preloads an {@code .eml} file. */
    public TestMailServer preload(String user, String folder, Path eml) {
        return preload(user, folder, read(eml));
    }

    /** Creates an empty folder for a user (nothing happens when it exists). */
    public TestMailServer createFolder(String user, String folder) {
        MailboxRef ref = new MailboxRef(storeUser(user), folder);
        if (store().mailbox(ref).isEmpty()) {
            store().createMailbox(ref);
        }
        return this;
    }

    private static byte[] read(Path eml) {
        try {
            return Files.readAllBytes(eml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + eml + ": " + e.getMessage(), e);
        }
    }

    /** Preloads a message built with Jakarta Mail. */
    public TestMailServer preload(String user, String folder, MimeMessage message) {
        return preload(user, folder, bytes(message));
    }

    /** The messages in a user's folder (for checking preloads and deliveries through the store). */
    public int messageCount(String user, String folder) {
        MailboxRef ref = new MailboxRef(storeUser(user), folder);
        return store().mailbox(ref).isEmpty() ? 0 : store().messages(ref).size();
    }

    private String storeUser(String user) {
        if (user.contains("@")) {
            return server.users().lookup(MailAddress.parse(user)).orElse(user.toLowerCase(Locale.ROOT));
        }
        return user;
    }

    static byte[] bytes(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.saveChanges();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new MailcoreException("cannot write the message: " + e.getMessage(), e);
        }
    }

    /** Stops the server (connections are closed; waits end). Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TestMailServer[");
        for (MailListener l : listeners) {
            try {
                sb.append(l).append('=').append(port(l)).append(' ');
            } catch (MailcoreException e) {
                sb.append(l).append("=stopped ");
            }
        }
        return sb.append(']').toString();
    }

    /** A message to put into a folder at start; {@code content} null: just create the folder. */
    private record Preload(String user, String folder, byte[] content) {
    }

    /**
     * Configures {@link TestMailServer}s. A builder can build many servers: each gets its own ports, store and (unless
     * one is given) certificates. Not thread-safe: give each thread its own {@link #copy()}.
     */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Set<MailListener> listeners = new LinkedHashSet<>();
        private final List<Consumer<MailServer.Builder>> configurers = new ArrayList<>();
        private final List<Preload> preloads = new ArrayList<>();
        private CertificateAuthority authority;
        private ServerCertificate certificate;
        private ClientTrust trust;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean requireTls;
        private Clock clock;

        private Builder() {
        }

        /** Adds a user; its domain becomes local. */
        public Builder user(String address, String password) {
            users.put(Objects.requireNonNull(address), Objects.requireNonNull(password));
            return this;
        }

        /** Adds a user written as {@code address:password}. */
        public Builder user(String addressAndPassword) {
            int colon = addressAndPassword.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected address:password, got " + addressAndPassword);
            }
            return user(addressAndPassword.substring(0, colon), addressAndPassword.substring(colon + 1));
        }

        /** Runs these listeners, in this order (default: SMTP only). */
        public Builder listeners(MailListener... listeners) {
            this.listeners.clear();
            this.listeners.addAll(List.of(listeners));
            return this;
        }

        /** Adds the SMTP (MX) listener. */
        public Builder smtp() {
            listeners.add(MailListener.SMTP);
            return this;
        }

        /** Adds the submission listener (STARTTLS, AUTH required). */
        public Builder submission() {
            listeners.add(MailListener.SUBMISSION);
            return this;
        }

        /** Adds the IMAP listener (STARTTLS offered). */
        public Builder imap() {
            listeners.add(MailListener.IMAP);
            return this;
        }

        /** Adds the POP3 listener (STLS offered). */
        public Builder pop3() {
            listeners.add(MailListener.POP3);
            return this;
        }

        /** Adds the submissions listener (implicit TLS, AUTH required). */
        public Builder smtps() {
            listeners.add(MailListener.SMTPS);
            return this;
        }

        /** Issue the server certificate from this authority (default: a new authority per server). */
        public Builder authority(CertificateAuthority authority) {
            this.authority = authority;
            return this;
        }

        /**
         * Present this certificate (good or deliberately bad). Clients trust the {@link #authority} when one is given,
         * else exactly this certificate, unless {@link #clientTrust} says otherwise.
         */
        public Builder certificate(ServerCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** What the ready-made client sessions trust (to test how clients react to bad certificates). */
        public Builder clientTrust(ClientTrust trust) {
            this.trust = trust;
            return this;
        }

        /** Make the ready-made client sessions require TLS (STARTTLS required on SMTP and submission). */
        public Builder requireTls(boolean requireTls) {
            this.requireTls = requireTls;
            return this;
        }

        /**
         * The server's clock, for every protocol and the outbound queue (trace header dates, internal dates, AUTH
         * throttle windows, queue arrival times and retry schedule); pass a {@link ManualClock}. With a queue
         * ({@code configure(b -> b.queue(dir))}), a retry falls due when the clock is advanced past it: the queue
         * notices within a second, or at once with {@code server.mailServer().queue().runDue()}.
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The timeout of the waits that take none (default 10 s). */
        public Builder defaultTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Adjusts the underlying {@link MailServer.Builder}: store, policies, filters, routing, limits, transport.
         * Runs after the SDK's own settings. Do not set SMTP, IMAP or POP3 hooks here: the SDK installs its own last.
         */
        public Builder configure(Consumer<MailServer.Builder> configurer) {
            configurers.add(Objects.requireNonNull(configurer));
            return this;
        }

        /** Puts a message into a user's folder when the server starts (see {@link TestMailServer#preload}). */
        public Builder preload(String user, String folder, byte[] eml) {
            preloads.add(new Preload(user, folder, eml.clone()));
            return this;
        }

        /** Preloads a message built with Jakarta Mail. */
        public Builder preload(String user, String folder, MimeMessage message) {
            return preload(user, folder, bytes(message));
        }

        /** Preloads an {@code .eml} file (read now, so a missing file fails here). */
        public Builder preload(String user, String folder, Path eml) {
            return preload(user, folder, read(eml));
        }

        /** Creates an empty folder for a user when the server starts. */
        public Builder folder(String user, String folder) {
            preloads.add(new Preload(Objects.requireNonNull(user), Objects.requireNonNull(folder), null));
            return this;
        }

        /** Builds and starts a server. Leaves the builder as it was: it can start more servers. */
        public TestMailServer start() {
            return new TestMailServer(this).startInternal(List.copyOf(preloads));
        }

        /**
         * An independent copy of this builder: changing one does not change the other. The JUnit extension starts
         * each server from its own copy, so that tests running in parallel never share a builder.
         */
        public Builder copy() {
            Builder c = new Builder();
            c.users.putAll(users);
            c.listeners.addAll(listeners);
            c.configurers.addAll(configurers);
            c.preloads.addAll(preloads);
            c.authority = authority;
            c.certificate = certificate;
            c.trust = trust;
            c.timeout = timeout;
            c.requireTls = requireTls;
            c.clock = clock;
            return c;
        }
    }
}
