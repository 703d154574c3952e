package dev.mailcore.testing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one IMAP or POP3 client connection did, as the server saw it: a snapshot taken when
 * {@link TestMailServer#imapSessions()} or {@link TestMailServer#pop3Sessions()} was called.
 *
 * @param sessionId    the server's id of the connection
 * @param listener     which listener it came in on ({@link MailListener#IMAP}, {@link MailListener#IMAPS},
 *                     {@link MailListener#POP3} or {@link MailListener#POP3S})
 * @param remote       the client's address
 * @param tlsProtocol  the negotiated TLS protocol when TLS was used (implicit, or after STARTTLS/STLS), else
 *                     {@code null}
 * @param loginMethod  how the client logged in: IMAP {@code LOGIN} or {@code AUTHENTICATE PLAIN} (the mechanism);
 *                     POP3 {@code USER/PASS}, {@code APOP} or {@code AUTH PLAIN}; {@code null} when it did not
 * @param user         the user the client logged in as, or {@code null}
 * @param failedLogins login attempts refused: wrong credentials, a temporary failure, or a fault's reply at login
 * @param commands     the command names in order, upper case, without arguments or credentials ({@code CAPABILITY},
 *                     {@code STARTTLS}, {@code LOGIN}, {@code SELECT}, {@code FETCH}, ...; IMAP's {@code UID FETCH}
 *                     is {@code FETCH}, and IMAP lists only commands allowed in the session's state)
 * @param closed       whether the connection has ended
 */
public record MailboxSessionRecord(String sessionId, MailListener listener, InetSocketAddress remote,
                                   String tlsProtocol, String loginMethod, String user, int failedLogins,
                                   List<String> commands, boolean closed) {

    public MailboxSessionRecord {
        commands = List.copyOf(commands);
    }

    /** Whether the session ran over TLS at its end (implicit TLS, or STARTTLS/STLS). */
    public boolean usedTls() {
        return tlsProtocol != null;
    }

    /** Whether the session upgraded to TLS with STARTTLS (IMAP) or STLS (POP3). */
    public boolean usedStartTls() {
        return usedTls() && (commands.contains("STARTTLS") || commands.contains("STLS"));
    }

    /** Whether a login succeeded. */
    public boolean loggedIn() {
        return user != null;
    }

    public Optional<String> authenticated() {
        return Optional.ofNullable(user);
    }

    /** Whether the client sent this command (case-insensitive; IMAP's {@code UID FETCH} counts as {@code FETCH}). */
    public boolean sent(String command) {
        String name = command.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("UID ")) {
            name = name.substring(4).trim();
        }
        return commands.contains(name);
    }

    /** A one-line summary for failure messages. */
    public String summary() {
        return sessionId + " on " + listener + (usedTls() ? " TLS " + tlsProtocol : "")
                + (user != null ? " login " + user + " (" + loginMethod + ")" : "")
                + (failedLogins > 0 ? " failed logins " + failedLogins : "") + " commands " + commands
                + (closed ? " (closed)" : " (open)");
    }
}
