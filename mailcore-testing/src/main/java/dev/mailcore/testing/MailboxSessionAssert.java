package dev.mailcore.testing;

import org.assertj.core.api.AbstractAssert;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * AssertJ assertions for the IMAP or POP3 sessions in which one user logged in; start with
 * {@link TestMailServerAssert#hadImapLogin(String)} or {@link TestMailServerAssert#hadPop3Login(String)}:
 *
 * <pre>{@code
 * assertThat(server).hadImapLogin("alice@example.com").usedStartTls().usedMechanism("PLAIN").sentCommand("FETCH");
 * }</pre>
 *
 * <p>Every check must hold for <em>each</em> of those sessions (add {@link #hasSessionCount(int)} when the user may
 * have logged in more than once).
 */
public final class MailboxSessionAssert extends AbstractAssert<MailboxSessionAssert, List<MailboxSessionRecord>> {
    private final String what;

    MailboxSessionAssert(List<MailboxSessionRecord> sessions, String what) {
        super(List.copyOf(sessions), MailboxSessionAssert.class);
        this.what = what;
    }

    /** The user logged in in exactly {@code count} sessions. */
    public MailboxSessionAssert hasSessionCount(int count) {
        if (actual.size() != count) {
            failWithMessage("Expected %s %s but there were %s:%s", count, what, actual.size(), list(actual));
        }
        return this;
    }

    /** Each session ran over TLS (implicit, or after STARTTLS/STLS). */
    public MailboxSessionAssert usedTls() {
        return each(MailboxSessionRecord::usedTls, "to use TLS");
    }

    /** No session used TLS. */
    public MailboxSessionAssert usedNoTls() {
        return each(s -> !s.usedTls(), "not to use TLS");
    }

    /** Each session upgraded to TLS with STARTTLS (IMAP) or STLS (POP3). */
    public MailboxSessionAssert usedStartTls() {
        return each(MailboxSessionRecord::usedStartTls, "to upgrade with STARTTLS/STLS");
    }

    /** Each session came in over implicit TLS (IMAPS, POP3S). */
    public MailboxSessionAssert usedImplicitTls() {
        return each(s -> s.usedTls() && !s.usedStartTls(), "to use implicit TLS");
    }

    /**
     * Each session logged in this way: the whole method ({@code LOGIN}, {@code AUTHENTICATE PLAIN}, {@code USER/PASS},
     * {@code APOP}, {@code AUTH PLAIN}; case-insensitive) or only the SASL mechanism ({@code PLAIN} matches
     * {@code AUTHENTICATE PLAIN} and {@code AUTH PLAIN}).
     */
    public MailboxSessionAssert usedMechanism(String mechanism) {
        String wanted = mechanism.trim().toUpperCase(Locale.ROOT);
        return each(s -> s.loginMethod() != null && (s.loginMethod().equalsIgnoreCase(wanted)
                        || s.loginMethod().endsWith(" " + wanted)), "to log in with " + wanted);
    }

    /** Each session sent this command ({@code FETCH}, {@code RETR}, ...; as {@link MailboxSessionRecord#sent}). */
    public MailboxSessionAssert sentCommand(String command) {
        return each(s -> s.sent(command), "to send " + command);
    }

    /** No session sent this command. */
    public MailboxSessionAssert didNotSend(String command) {
        return each(s -> !s.sent(command), "not to send " + command);
    }

    /** Exactly {@code count} login attempts were refused in these sessions, in all, before or after the login. */
    public MailboxSessionAssert hadFailedLogins(int count) {
        int failed = actual.stream().mapToInt(MailboxSessionRecord::failedLogins).sum();
        if (failed != count) {
            failWithMessage("Expected %s failed logins in the %s but there were %s:%s", count, what, failed,
                    list(actual));
        }
        return this;
    }

    private MailboxSessionAssert each(Predicate<MailboxSessionRecord> check, String expectation) {
        List<MailboxSessionRecord> failing = actual.stream().filter(check.negate()).toList();
        if (!failing.isEmpty()) {
            failWithMessage("Expected the %s %s, but these did not:%s%nall of them:%s", what, expectation,
                    list(failing), list(actual));
        }
        return this;
    }

    static String list(List<MailboxSessionRecord> sessions) {
        StringBuilder sb = new StringBuilder();
        sessions.forEach(s -> sb.append("\n  ").append(s.summary()));
        return sessions.isEmpty() ? " none" : sb.toString();
    }
}
