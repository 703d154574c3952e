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

    /** Exactly {@code count} connections were seen. */
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
