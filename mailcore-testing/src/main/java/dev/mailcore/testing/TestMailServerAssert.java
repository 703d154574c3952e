package dev.mailcore.testing;

import dev.mailcore.api.SmtpReply;
import org.assertj.core.api.AbstractAssert;

import java.util.List;

/**
 * AssertJ assertions for what a {@link TestMailServer} saw; start with
 * {@link MailAssertions#assertThat(TestMailServer)}. They look at the state now: wait first
 * ({@link TestMailServer#awaitMessages}) when messages may still be in flight.
 */
public final class TestMailServerAssert extends AbstractAssert<TestMailServerAssert, TestMailServer> {

    TestMailServerAssert(TestMailServer actual) {
        super(actual, TestMailServerAssert.class);
    }

    /** Exactly {@code count} messages were accepted. */
    public TestMailServerAssert hasReceived(int count) {
        isNotNull();
        List<ReceivedMessage> got = actual.received();
        if (got.size() != count) {
            failWithMessage("Expected %s received messages but there were %s:%s", count, got.size(), list(got));
        }
        return this;
    }

    public TestMailServerAssert hasReceivedNothing() {
        return hasReceived(0);
    }

    /** Exactly {@code count} accepted messages have {@code recipient} in their envelope. */
    public TestMailServerAssert hasReceivedFor(String recipient, int count) {
        isNotNull();
        List<ReceivedMessage> got = actual.receivedFor(recipient);
        if (got.size() != count) {
            failWithMessage("Expected %s messages for %s but there were %s; all received:%s", count, recipient,
                    got.size(), list(actual.received()));
        }
        return this;
    }

    /** The server answered some command with this 4xx/5xx code. */
    public TestMailServerAssert hasRejected(int code) {
        isNotNull();
        List<SmtpReply> rejections = actual.rejections();
        if (rejections.stream().noneMatch(r -> r.code() == code)) {
            failWithMessage("Expected a %s reply but the rejections were %s", code, rejections);
        }
        return this;
    }

    public TestMailServerAssert hasNoRejections() {
        isNotNull();
        if (!actual.rejections().isEmpty()) {
            failWithMessage("Expected no rejections but there were %s", actual.rejections());
        }
        return this;
    }

    /** Exactly {@code count} SMTP connections were seen. */
    public TestMailServerAssert hasSeenSessions(int count) {
        isNotNull();
        List<SessionRecord> sessions = actual.sessions();
        if (sessions.size() != count) {
            failWithMessage("Expected %s sessions but saw %s:%s", count, sessions.size(), sessionList(sessions));
        }
        return this;
    }

    /** At least one message was accepted, and every accepted message arrived over TLS. */
    public TestMailServerAssert usedTls() {
        isNotNull();
        List<ReceivedMessage> got = actual.received();
        if (got.isEmpty() || got.stream().anyMatch(m -> m.tlsProtocol().isEmpty())) {
            failWithMessage("Expected every message to arrive over TLS:%s", list(got));
        }
        return this;
    }

    /** No session used TLS. */
    public TestMailServerAssert usedNoTls() {
        isNotNull();
        if (actual.sessions().stream().anyMatch(SessionRecord::usedTls)) {
            failWithMessage("Expected no TLS but sessions were:%s", sessionList(actual.sessions()));
        }
        return this;
    }

    /** Some session authenticated successfully with this SASL mechanism ({@code PLAIN}, {@code LOGIN}, ...). */
    public TestMailServerAssert usedAuth(String mechanism) {
        isNotNull();
        if (actual.sessions().stream().noneMatch(s -> s.authenticatedUser() != null
                && mechanism.equalsIgnoreCase(s.authMechanism()))) {
            failWithMessage("Expected a successful AUTH %s; sessions were:%s", mechanism,
                    sessionList(actual.sessions()));
        }
        return this;
    }

    /** Some session authenticated as {@code user}. */
    public TestMailServerAssert usedAuthAs(String user) {
        isNotNull();
        if (actual.sessions().stream().noneMatch(s -> user.equalsIgnoreCase(s.authenticatedUser()))) {
            failWithMessage("Expected a session authenticated as %s; sessions were:%s", user,
                    sessionList(actual.sessions()));
        }
        return this;
    }

    /**
     * Some IMAP session logged in as {@code user} (case-insensitive); the returned assertions look at those sessions:
     * {@code hadImapLogin("alice@example.com").usedTls()}.
     */
    public MailboxSessionAssert hadImapLogin(String user) {
        return hadLogin(actual.imapSessions(), "IMAP", user);
    }

    /** Some POP3 session logged in as {@code user} (case-insensitive); as {@link #hadImapLogin(String)}. */
    public MailboxSessionAssert hadPop3Login(String user) {
        return hadLogin(actual.pop3Sessions(), "POP3", user);
    }

    /** No IMAP session logged in as {@code user}. */
    public TestMailServerAssert hadNoImapLogin(String user) {
        return hadNoLogin(actual.imapSessions(), "IMAP", user);
    }

    /** No POP3 session logged in as {@code user}. */
    public TestMailServerAssert hadNoPop3Login(String user) {
        return hadNoLogin(actual.pop3Sessions(), "POP3", user);
    }

    /** Exactly {@code count} IMAP connections were seen. */
    public TestMailServerAssert hadImapSessions(int count) {
        return mailboxSessionCount(actual.imapSessions(), "IMAP", count);
    }

    /** Exactly {@code count} POP3 connections were seen. */
    public TestMailServerAssert hadPop3Sessions(int count) {
        return mailboxSessionCount(actual.pop3Sessions(), "POP3", count);
    }

    /** Exactly {@code count} IMAP login attempts were refused, over all sessions. */
    public TestMailServerAssert hadFailedImapLogins(int count) {
        return failedLogins(actual.imapSessions(), "IMAP", count);
    }

    /** Exactly {@code count} POP3 login attempts were refused, over all sessions. */
    public TestMailServerAssert hadFailedPop3Logins(int count) {
        return failedLogins(actual.pop3Sessions(), "POP3", count);
    }

    private MailboxSessionAssert hadLogin(List<MailboxSessionRecord> sessions, String protocol, String user) {
        isNotNull();
        List<MailboxSessionRecord> logins = sessions.stream().filter(s -> user.equalsIgnoreCase(s.user())).toList();
        if (logins.isEmpty()) {
            failWithMessage("Expected a login as %s over %s; the %s sessions were:%s", user, protocol, protocol,
                    MailboxSessionAssert.list(sessions));
        }
        return new MailboxSessionAssert(logins, protocol + " sessions of " + user);
    }

    private TestMailServerAssert hadNoLogin(List<MailboxSessionRecord> sessions, String protocol, String user) {
        isNotNull();
        if (sessions.stream().anyMatch(s -> user.equalsIgnoreCase(s.user()))) {
            failWithMessage("Expected no login as %s over %s; the %s sessions were:%s", user, protocol, protocol,
                    MailboxSessionAssert.list(sessions));
        }
        return this;
    }

    private TestMailServerAssert mailboxSessionCount(List<MailboxSessionRecord> sessions, String protocol,
                                                     int count) {
        isNotNull();
        if (sessions.size() != count) {
            failWithMessage("Expected %s %s sessions but saw %s:%s", count, protocol, sessions.size(),
                    MailboxSessionAssert.list(sessions));
        }
        return this;
    }

    private TestMailServerAssert failedLogins(List<MailboxSessionRecord> sessions, String protocol, int count) {
        isNotNull();
        int failed = sessions.stream().mapToInt(MailboxSessionRecord::failedLogins).sum();
        if (failed != count) {
            failWithMessage("Expected %s failed %s logins but there were %s:%s", count, protocol, failed,
                    MailboxSessionAssert.list(sessions));
        }
        return this;
    }

    private static String list(List<ReceivedMessage> messages) {
        StringBuilder sb = new StringBuilder();
        messages.forEach(m -> sb.append("\n  ").append(m.summary()));
        return messages.isEmpty() ? " none" : sb.toString();
    }

    private static String sessionList(List<SessionRecord> sessions) {
        StringBuilder sb = new StringBuilder();
        sessions.forEach(s -> sb.append("\n  ").append(s.summary()));
        return sessions.isEmpty() ? " none" : sb.toString();
    }
}
