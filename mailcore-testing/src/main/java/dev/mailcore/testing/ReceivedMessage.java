package dev.mailcore.testing;

import dev.mailcore.testing.internal.MimeParts;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A message the server accepted: one SMTP transaction whose final {@code 250} reached the client. Holds the envelope
 * and the raw bytes as the client sent them; the parsed form ({@link #mimeMessage()}) is made on first use.
 * Thread-safe.
 */
public final class ReceivedMessage {
    private final int index;
    private final String messageId;
    private final String sender;
    private final List<String> recipients;
    private final byte[] content;
    private final String sessionId;
    private final MailListener listener;
    private final String tlsProtocol;
    private final String authenticatedUser;
    private MimeMessage parsed;
    private MimeParts parts;

    ReceivedMessage(int index, String messageId, String sender, List<String> recipients, byte[] content,
                    String sessionId, MailListener listener, String tlsProtocol, String authenticatedUser) {
        this.index = index;
        this.messageId = messageId;
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
        this.content = content;
        this.sessionId = sessionId;
        this.listener = listener;
        this.tlsProtocol = tlsProtocol;
        this.authenticatedUser = authenticatedUser;
    }

    /** 1 for the first message the server accepted, 2 for the next, and so on. */
    public int index() {
        return index;
    }

    /** The server's queue id (the one in {@code 250 2.0.0 Ok: queued as ...}). */
    public String queueId() {
        return messageId;
    }

    /** The envelope sender (MAIL FROM), or the empty string for the null reverse path {@code <>}. */
    public String sender() {
        return sender;
    }

    /** The envelope recipients (RCPT TO) the message was accepted for, in order. */
    public List<String> recipients() {
        return recipients;
    }

    /** Whether {@code address} is among the envelope recipients (case-insensitive). */
    public boolean isFor(String address) {
        return recipients.stream().anyMatch(r -> r.equalsIgnoreCase(address));
    }

    /** The message as sent, without the server's trace header. */
    public byte[] content() {
        return content.clone();
    }

    /** {@link #content()} decoded as UTF-8. */
    public String contentAsString() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public String sessionId() {
        return sessionId;
    }

    /** The listener the message came in on. */
    public MailListener listener() {
        return listener;
    }

    /** The TLS protocol of the session when the message was accepted, or empty without TLS. */
    public Optional<String> tlsProtocol() {
        return Optional.ofNullable(tlsProtocol);
    }

    /** The user the client authenticated as, or empty. */
    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authenticatedUser);
    }

    /** The message parsed by Jakarta Mail (made once, on first use). */
    public synchronized MimeMessage mimeMessage() {
        if (parsed == null) {
            parsed = MimeParts.parse(content);
        }
        return parsed;
    }

    private synchronized MimeParts parts() {
        if (parts == null) {
            parts = MimeParts.of(mimeMessage());
        }
        return parts;
    }

    /** The decoded Subject, or {@code null}. */
    public String subject() {
        try {
            return mimeMessage().getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of a header field, decoded (RFC 2047), in order; empty when absent. */
    public List<String> headers(String name) {
        try {
            String[] values = mimeMessage().getHeader(name);
            return values == null ? List.of() : Arrays.stream(values).map(ReceivedMessage::decode).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first value of a header field, decoded, or {@code null}. */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static String decode(String value) {
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value));
        } catch (UnsupportedEncodingException e) {
            return value;
        }
    }

    /** The first text/plain body that is not an attachment, decoded; {@code null} when there is none. */
    public String textBody() {
        List<String> texts = parts().texts();
        return texts.isEmpty() ? null : texts.get(0);
    }

    /** The first text/html body that is not an attachment, decoded; {@code null} when there is none. */
    public String htmlBody() {
        List<String> htmls = parts().htmls();
        return htmls.isEmpty() ? null : htmls.get(0);
    }

    /** The attachments, decoded, in order. */
    public List<Attachment> attachments() {
        return parts().attachments();
    }

    /** The top-level Content-Transfer-Encoding in lower case ({@code 7bit} when absent). */
    public String transferEncoding() {
        String value = header("Content-Transfer-Encoding");
        return value == null ? "7bit" : value.trim().toLowerCase(Locale.ROOT);
    }

    /** A one-line description for failure messages. */
    public String summary() {
        String subject;
        try {
            subject = subject();
        } catch (RuntimeException e) {
            subject = "(unparsable)";
        }
        return "#" + index + " from <" + sender + "> to " + recipients + " subject \"" + subject + "\" ("
                + content.length + " bytes, " + listener + (tlsProtocol != null ? ", " + tlsProtocol : "") + ")";
    }

    @Override
    public String toString() {
        return "ReceivedMessage" + summary();
    }
}
