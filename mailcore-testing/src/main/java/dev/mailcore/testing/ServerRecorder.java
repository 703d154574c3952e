package dev.mailcore.testing;

import dev.mailcore.api.Envelope;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpHooks;
import dev.mailcore.smtp.SmtpPhase;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The SDK's {@link SmtpHooks}, and behind the IMAP and POP3 hooks that {@link TestMailServer} installs: records
 * sessions and accepted messages and applies the {@link FaultScript}. Every hook method runs on a server I/O thread
 * and only takes this object's monitor briefly; waiters are woken on each change.
 */
final class ServerRecorder implements SmtpHooks {

    /** Mutable per-connection state, guarded by the recorder's monitor. */
    private static final class SessionState {
        final String id;
        final MailListener listener;
        final InetSocketAddress remote;
        String helo;
        String tls;
        String authMechanism;
        String authUser;
        final List<String> commands = new ArrayList<>();
        final List<SmtpReply> replies = new ArrayList<>();
        int messages;
        boolean closed;

        SessionState(SessionInfo info) {
            this.id = info.sessionId();
            this.listener = MailListener.byListenerName(info.listener());
            this.remote = info.remote();
        }

        void update(SessionInfo info) {
            if (info.heloName() != null) {
                helo = info.heloName();
            }
            if (info.tlsProtocol() != null) {
                tls = info.tlsProtocol();
            }
            if (info.authenticated() != null) {
                authUser = info.authenticated();
            }
        }

        SessionRecord snapshot() {
            return new SessionRecord(id, listener, remote, helo, tls, authMechanism, authUser, commands, replies,
                    messages, closed);
        }
    }

    /** Mutable state of one IMAP or POP3 connection, guarded by the recorder's monitor. */
    private static final class MailboxState {
        final String id;
        final MailListener listener;
        final InetSocketAddress remote;
        String tls;
        String loginMethod;
        String user;
        int failedLogins;
        final List<String> commands = new ArrayList<>();
        boolean closed;

        MailboxState(SessionInfo info) {
            this.id = info.sessionId();
            this.listener = MailListener.byListenerName(info.listener());
            this.remote = info.remote();
        }

        MailboxSessionRecord snapshot() {
            return new MailboxSessionRecord(id, listener, remote, tls, loginMethod, user, failedLogins, commands,
                    closed);
        }
    }

    private static final Set<String> IMAP_LOGINS = Set.of("LOGIN", "AUTHENTICATE");
    private static final Set<String> POP3_LOGINS = Set.of("PASS", "APOP", "AUTH");

    private final FaultScript faults;
    private final Map<String, SessionState> sessions = new LinkedHashMap<>();
    private final Map<String, MailboxState> mailboxSessions = new LinkedHashMap<>();
    private final List<ReceivedMessage> received = new ArrayList<>();

    ServerRecorder(FaultScript faults) {
        this.faults = faults;
    }

    // ------------------------------------------------------------------ hooks (I/O threads)

    @Override
    public SmtpAction before(SmtpPhase phase, SessionInfo session, String argument) {
        synchronized (this) {
            SessionState state = state(session);
            switch (phase) {
                case CONNECT:
                    break;
                case HELO:
                    state.commands.add("HELO " + argument);
                    break;
                case AUTH:
                    state.authMechanism = argument;
                    state.commands.add("AUTH " + argument);
                    break;
                case MAIL:
                case RCPT:
                    state.commands.add(phase.name() + " " + argument);
                    break;
                default:
                    state.commands.add(phase.name());
                    break;
            }
            notifyAll();
        }
        return faults.decide(phase, session, argument);
    }

    @Override
    public synchronized void replied(SessionInfo session, SmtpReply reply) {
        state(session).replies.add(reply);
        notifyAll();
    }

    @Override
    public synchronized void accepted(SessionInfo session, Envelope envelope, byte[] content, String messageId) {
        SessionState state = state(session);
        state.messages++;
        List<String> recipients = envelope.recipientAddresses().stream().map(MailAddress::toString).toList();
        String sender = envelope.sender().address().map(MailAddress::toString).orElse("");
        received.add(new ReceivedMessage(received.size() + 1, messageId, sender, recipients, content,
                session.sessionId(), state.listener, session.tlsProtocol(), session.authenticated()));
        notifyAll();
    }

    @Override
    public synchronized void closed(SessionInfo session) {
        state(session).closed = true;
        notifyAll();
    }

    // ------------------------------------------------------------------ IMAP and POP3 hooks (I/O threads)

    /** Records an IMAP command and answers with the fault script's action. */
    ImapAction imapBefore(SessionInfo session, String command) {
        ImapAction action = faults.decideImap(session, command);
        mailboxCommand(session, command, IMAP_LOGINS.contains(command) && action instanceof ImapAction.Reply);
        return action;
    }

    /** Records a POP3 command and answers with the fault script's action. */
    Pop3Action pop3Before(SessionInfo session, String command, String argument) {
        Pop3Action action = faults.decidePop3(session, command);
        boolean login = POP3_LOGINS.contains(command) && !(command.equals("AUTH") && argument.isEmpty());
        mailboxCommand(session, command, login && action instanceof Pop3Action.Reply);
        return action;
    }

    private synchronized void mailboxCommand(SessionInfo session, String command, boolean refusedLogin) {
        MailboxState state = mailboxState(session);
        if (!command.isEmpty()) {
            state.commands.add(command);
        }
        if (refusedLogin) {
            state.failedLogins++;
        }
        notifyAll();
    }

    synchronized void mailboxConnected(SessionInfo session) {
        mailboxState(session);
        notifyAll();
    }

    synchronized void mailboxLoggedIn(SessionInfo session, String method) {
        MailboxState state = mailboxState(session);
        state.user = session.authenticated();
        state.loginMethod = method;
        notifyAll();
    }

    synchronized void mailboxLoginFailed(SessionInfo session, String method) {
        mailboxState(session).failedLogins++;
        notifyAll();
    }

    synchronized void mailboxClosed(SessionInfo session) {
        mailboxState(session).closed = true;
        notifyAll();
    }

    private MailboxState mailboxState(SessionInfo info) {
        MailboxState state = mailboxSessions.computeIfAbsent(info.sessionId(), id -> new MailboxState(info));
        if (info.tlsProtocol() != null) {
            state.tls = info.tlsProtocol();
        }
        return state;
    }

    private SessionState state(SessionInfo info) {
        SessionState state = sessions.computeIfAbsent(info.sessionId(), id -> new SessionState(info));
        state.update(info);
        return state;
    }

    // ------------------------------------------------------------------ queries (test threads)

    synchronized List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    synchronized List<SessionRecord> sessions() {
        return sessions.values().stream().map(SessionState::snapshot).toList();
    }

    synchronized List<MailboxSessionRecord> mailboxSessions() {
        return mailboxSessions.values().stream().map(MailboxState::snapshot).toList();
    }

    synchronized void reset() {
        received.clear();
        sessions.values().removeIf(s -> s.closed);
        mailboxSessions.values().removeIf(s -> s.closed);
        notifyAll();
    }

    /** Waits until {@code done} holds for the received messages; fails listing what arrived. */
    synchronized List<ReceivedMessage> await(Predicate<List<ReceivedMessage>> done, Duration timeout,
                                             String expectation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + expectation + " within " + timeout + describe());
            }
            try {
                long ms = Math.max(1, left / 1_000_000);
                wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + expectation + describe(), e);
            }
        }
        return List.copyOf(received);
    }

    /** Waits until {@code done} holds for the sessions seen; fails listing them. */
    synchronized List<SessionRecord> awaitSessions(Predicate<List<SessionRecord>> done, Duration timeout,
                                                   String expectation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(sessions())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + expectation + " within " + timeout + describe());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + expectation + describe(), e);
            }
        }
        return sessions();
    }

    /** Waits until {@code done} holds for the IMAP and POP3 sessions seen; fails listing them. */
    synchronized List<MailboxSessionRecord> awaitMailboxSessions(Predicate<List<MailboxSessionRecord>> done,
                                                                 Duration timeout, String expectation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(mailboxSessions())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + expectation + " within " + timeout + describe());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + expectation + describe(), e);
            }
        }
        return mailboxSessions();
    }

    /** What arrived and which sessions were seen, for failure messages. */
    synchronized String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(", but ").append(received.size()).append(received.size() == 1 ? " message" : " messages")
                .append(" arrived");
        if (!received.isEmpty()) {
            sb.append(':');
            received.forEach(m -> sb.append("\n  ").append(m.summary()));
        }
        sb.append("\nsessions (").append(sessions.size()).append("):");
        if (sessions.isEmpty()) {
            sb.append(" none");
        }
        sb.append(sessions.values().stream().map(s -> "\n  " + s.snapshot().summary())
                .collect(Collectors.joining()));
        if (!mailboxSessions.isEmpty()) {
            sb.append("\nIMAP/POP3 sessions (").append(mailboxSessions.size()).append("):");
            sb.append(mailboxSessions.values().stream().map(s -> "\n  " + s.snapshot().summary())
                    .collect(Collectors.joining()));
        }
        return sb.toString();
    }
}
