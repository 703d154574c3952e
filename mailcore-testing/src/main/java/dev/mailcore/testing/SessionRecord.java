package dev.mailcore.testing;

import dev.mailcore.api.SmtpReply;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What one client connection did, as the server saw it: a snapshot taken when {@link TestMailServer#sessions()} was
 * called.
 *
 * @param sessionId         the server's id of the connection
 * @param listener          which listener it came in on ({@code null} for listeners this SDK does not know)
 * @param remote            the client's address
 * @param heloName          the last EHLO/HELO name, or {@code null}
 * @param tlsProtocol       the negotiated TLS protocol when TLS was used, else {@code null}
 * @param authMechanism     the last AUTH mechanism the client tried, or {@code null}
 * @param authenticatedUser the user the client authenticated as, or {@code null}
 * @param commands          the phase commands in order ({@code EHLO name}, {@code STARTTLS}, {@code AUTH PLAIN}
 *                          without credentials, {@code MAIL FROM:<a@b>}, {@code RCPT TO:<c@d>}, {@code DATA},
 *                          {@code END_OF_DATA}); NOOP, RSET and QUIT are not listed
 * @param replies           every reply the server wrote, in order
 * @param messages          messages accepted in this session
 * @param closed            whether the connection has ended
 */
public record SessionRecord(String sessionId, MailListener listener, InetSocketAddress remote, String heloName,
                            String tlsProtocol, String authMechanism, String authenticatedUser, List<String> commands,
                            List<SmtpReply> replies, int messages, boolean closed) {

    public SessionRecord {
        commands = List.copyOf(commands);
        replies = List.copyOf(replies);
    }

    /** Whether the session ran over TLS (implicit or after STARTTLS) at its end. */
    public boolean usedTls() {
        return tlsProtocol != null;
    }

    public Optional<String> authenticated() {
        return Optional.ofNullable(authenticatedUser);
    }

    /** The 4xx and 5xx replies of this session. */
    public List<SmtpReply> rejections() {
        return replies.stream().filter(r -> r.code() >= 400).toList();
    }

    /** A one-line summary for failure messages. */
    public String summary() {
        return sessionId + " on " + listener + (usedTls() ? " TLS " + tlsProtocol : "")
                + (authenticatedUser != null ? " auth " + authenticatedUser : "") + " commands " + commands
                + " rejections " + rejections().stream().map(r -> r.code() + " " + String.join(" ", r.lines()))
                .toList() + (closed ? " (closed)" : " (open)");
    }
}
