package dev.mailcore.testing;

import org.assertj.core.api.AbstractAssert;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** AssertJ assertions for a {@link ReceivedMessage}; start with {@link MailAssertions#assertThat(ReceivedMessage)}. */
public final class ReceivedMessageAssert extends AbstractAssert<ReceivedMessageAssert, ReceivedMessage> {

    ReceivedMessageAssert(ReceivedMessage actual) {
        super(actual, ReceivedMessageAssert.class);
    }

    /** The envelope sender (MAIL FROM) is {@code sender} (case-insensitive); {@code ""} for {@code <>}. */
    public ReceivedMessageAssert hasSender(String sender) {
        isNotNull();
        if (!actual.sender().equalsIgnoreCase(sender)) {
            failWithMessage("Expected envelope sender <%s> but was <%s> in %s", sender, actual.sender(),
                    actual.summary());
        }
        return this;
    }

    /** The envelope recipients are exactly these, in any order (case-insensitive). */
    public ReceivedMessageAssert hasRecipients(String... recipients) {
        isNotNull();
        List<String> expected = Arrays.stream(recipients).map(r -> r.toLowerCase(Locale.ROOT)).sorted().toList();
        List<String> got = actual.recipients().stream().map(r -> r.toLowerCase(Locale.ROOT)).sorted().toList();
        if (!expected.equals(got)) {
            failWithMessage("Expected envelope recipients %s but were %s in %s", expected, actual.recipients(),
                    actual.summary());
        }
        return this;
    }

    /** {@code recipient} is among the envelope recipients. */
    public ReceivedMessageAssert hasRecipient(String recipient) {
        isNotNull();
        if (!actual.isFor(recipient)) {
            failWithMessage("Expected %s among the envelope recipients %s", recipient, actual.recipients());
        }
        return this;
    }

    public ReceivedMessageAssert hasSubject(String subject) {
        isNotNull();
        if (!Objects.equals(actual.subject(), subject)) {
            failWithMessage("Expected subject \"%s\" but was \"%s\"", subject, actual.subject());
        }
        return this;
    }

    public ReceivedMessageAssert hasSubjectContaining(String part) {
        isNotNull();
        if (actual.subject() == null || !actual.subject().contains(part)) {
            failWithMessage("Expected subject containing \"%s\" but was \"%s\"", part, actual.subject());
        }
        return this;
    }

    /** The {@code From:} header contains this address (case-insensitive). */
    public ReceivedMessageAssert hasFrom(String address) {
        return hasHeaderContaining("From", address);
    }

    /** The {@code To:} header contains this address (case-insensitive). */
    public ReceivedMessageAssert hasTo(String address) {
        return hasHeaderContaining("To", address);
    }

    /** The header field is present. */
    public ReceivedMessageAssert hasHeader(String name) {
        isNotNull();
        if (actual.headers(name).isEmpty()) {
            failWithMessage("Expected a %s header but there is none; headers:%n%s", name, headerBlock());
        }
        return this;
    }

    /** One of the header field's values (decoded, unfolded, trimmed) equals {@code value}. */
    public ReceivedMessageAssert hasHeader(String name, String value) {
        isNotNull();
        if (actual.headers(name).stream().noneMatch(v -> v.trim().equals(value))) {
            failWithMessage("Expected header %s: %s but found %s", name, value, actual.headers(name));
        }
        return this;
    }

    /** One of the header field's values contains {@code part} (case-insensitive). */
    public ReceivedMessageAssert hasHeaderContaining(String name, String part) {
        isNotNull();
        String lower = part.toLowerCase(Locale.ROOT);
        if (actual.headers(name).stream().noneMatch(v -> v.toLowerCase(Locale.ROOT).contains(lower))) {
            failWithMessage("Expected header %s containing \"%s\" but found %s", name, part, actual.headers(name));
        }
        return this;
    }

    public ReceivedMessageAssert doesNotHaveHeader(String name) {
        isNotNull();
        if (!actual.headers(name).isEmpty()) {
            failWithMessage("Expected no %s header but found %s", name, actual.headers(name));
        }
        return this;
    }

    /** The text/plain body, with trailing line breaks removed, equals {@code text}. */
    public ReceivedMessageAssert hasTextBody(String text) {
        isNotNull();
        String body = actual.textBody();
        if (body == null || !stripTrailingNewlines(body).equals(stripTrailingNewlines(text))) {
            failWithMessage("Expected text body%n  \"%s\"%nbut was%n  \"%s\"", text, body);
        }
        return this;
    }

    public ReceivedMessageAssert hasTextBodyContaining(String... parts) {
        isNotNull();
        String body = actual.textBody();
        for (String part : parts) {
            if (body == null || !body.contains(part)) {
                failWithMessage("Expected text body containing \"%s\" but was%n  \"%s\"", part, body);
            }
        }
        return this;
    }

    public ReceivedMessageAssert hasHtmlBodyContaining(String... parts) {
        isNotNull();
        String body = actual.htmlBody();
        for (String part : parts) {
            if (body == null || !body.contains(part)) {
                failWithMessage("Expected HTML body containing \"%s\" but was%n  \"%s\"", part, body);
            }
        }
        return this;
    }

    public ReceivedMessageAssert hasNoHtmlBody() {
        isNotNull();
        if (actual.htmlBody() != null) {
            failWithMessage("Expected no HTML body but found%n  \"%s\"", actual.htmlBody());
        }
        return this;
    }

    public ReceivedMessageAssert hasAttachments(int count) {
        isNotNull();
        if (actual.attachments().size() != count) {
            failWithMessage("Expected %s attachments but found %s", count, actual.attachments());
        }
        return this;
    }

    /** An attachment with this file name exists. */
    public ReceivedMessageAssert hasAttachment(String fileName) {
        isNotNull();
        attachment(fileName);
        return this;
    }

    /** An attachment with this file name and media type ({@code application/pdf}; parameters ignored) exists. */
    public ReceivedMessageAssert hasAttachment(String fileName, String contentType) {
        isNotNull();
        Attachment a = attachment(fileName);
        if (a != null && !a.contentType().equalsIgnoreCase(contentType)) {
            failWithMessage("Expected attachment %s of type %s but it is %s", fileName, contentType,
                    a.contentType());
        }
        return this;
    }

    /** An attachment with this name, type and exact decoded content exists. */
    public ReceivedMessageAssert hasAttachment(String fileName, String contentType, byte[] content) {
        hasAttachment(fileName, contentType);
        Attachment a = attachment(fileName);
        if (a != null && !Arrays.equals(a.content(), content)) {
            failWithMessage("Expected attachment %s with %s bytes of given content but it has %s different bytes",
                    fileName, content.length, a.content().length);
        }
        return this;
    }

    /** An attachment with this name, type and UTF-8 text content exists. */
    public ReceivedMessageAssert hasAttachment(String fileName, String contentType, String content) {
        return hasAttachment(fileName, contentType, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The named attachment was sent with this Content-Transfer-Encoding ({@code base64}, ...). */
    public ReceivedMessageAssert hasAttachmentEncodedWith(String fileName, String transferEncoding) {
        isNotNull();
        Attachment a = attachment(fileName);
        if (a != null && !a.transferEncoding().equalsIgnoreCase(transferEncoding)) {
            failWithMessage("Expected attachment %s encoded with %s but it is %s", fileName, transferEncoding,
                    a.transferEncoding());
        }
        return this;
    }

    /** The top-level Content-Transfer-Encoding is this ({@code 7bit}, {@code quoted-printable}, {@code base64}). */
    public ReceivedMessageAssert isEncodedWith(String transferEncoding) {
        isNotNull();
        if (!actual.transferEncoding().equalsIgnoreCase(transferEncoding)) {
            failWithMessage("Expected Content-Transfer-Encoding %s but was %s", transferEncoding,
                    actual.transferEncoding());
        }
        return this;
    }

    /** The raw message is 7-bit ASCII (no 8-bit octets). */
    public ReceivedMessageAssert isSevenBitClean() {
        isNotNull();
        byte[] raw = actual.content();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0) {
                failWithMessage("Expected 7-bit content but octet %s is 0x%02x", i, raw[i] & 0xff);
            }
        }
        return this;
    }

    /** The message arrived over TLS. */
    public ReceivedMessageAssert wasSentOverTls() {
        isNotNull();
        if (actual.tlsProtocol().isEmpty()) {
            failWithMessage("Expected the message to arrive over TLS: %s", actual.summary());
        }
        return this;
    }

    /** The client that sent the message authenticated as {@code user}. */
    public ReceivedMessageAssert wasSentBy(String user) {
        isNotNull();
        if (!actual.authenticatedUser().map(user::equalsIgnoreCase).orElse(false)) {
            failWithMessage("Expected the message to be sent by authenticated user %s but was %s", user,
                    actual.authenticatedUser().orElse("(not authenticated)"));
        }
        return this;
    }

    /**
     * An {@code Authentication-Results} header (RFC 8601) reports {@code method=result}, such as
     * {@code ("spf", "pass")} or {@code ("dkim", "pass")}: for messages checked by SPF/DKIM filters.
     */
    public ReceivedMessageAssert hasAuthenticationResult(String method, String result) {
        isNotNull();
        String wanted = (method + "=" + result).toLowerCase(Locale.ROOT);
        boolean found = actual.headers("Authentication-Results").stream()
                .map(v -> v.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "))
                .anyMatch(v -> Arrays.stream(v.split("[; ]")).anyMatch(wanted::equals));
        if (!found) {
            failWithMessage("Expected Authentication-Results with %s but found %s", wanted,
                    actual.headers("Authentication-Results"));
        }
        return this;
    }

    private Attachment attachment(String fileName) {
        List<Attachment> all = actual.attachments();
        for (Attachment a : all) {
            if (fileName.equals(a.fileName())) {
                return a;
            }
        }
        failWithMessage("Expected an attachment named %s but found %s", fileName, all);
        return null;
    }

    private String headerBlock() {
        String raw = actual.contentAsString();
        int end = raw.indexOf("\r\n\r\n");
        return Arrays.stream((end < 0 ? raw : raw.substring(0, end)).split("\r\n")).map(l -> "  " + l)
                .collect(Collectors.joining("\n"));
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
