package dev.mailcore.api;

import java.util.List;
import java.util.Objects;

/**
 * An SMTP reply: a three-digit code, an optional enhanced status code (RFC 2034/3463, such as {@code 2.1.0}) and one
 * or more lines of text.
 *
 * @param code           the reply code, 200–599
 * @param enhancedStatus the enhanced status code ({@code class.subject.detail}), or {@code null} for none
 * @param lines          the text lines, at least one; no line contains CR or LF
 */
public record SmtpReply(int code, String enhancedStatus, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new MailcoreException("reply code out of range: " + code);
        }
        if (enhancedStatus != null && !enhancedStatus.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new MailcoreException("malformed enhanced status code: " + enhancedStatus);
        }
        if (enhancedStatus != null && enhancedStatus.charAt(0) != Character.forDigit(code / 100, 10)) {
            throw new MailcoreException("enhanced status class " + enhancedStatus + " does not match " + code);
        }
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        if (lines.isEmpty()) {
            throw new MailcoreException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new MailcoreException("reply text must not contain CR or LF");
            }
        }
    }

    /** A one-line reply with an enhanced status code. */
    public static SmtpReply of(int code, String enhancedStatus, String text) {
        return new SmtpReply(code, enhancedStatus, List.of(text));
    }

    /** A one-line reply without an enhanced status code (greeting, some 220/221 texts). */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, null, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as it goes on the wire, each line ending in CRLF ({@code 250-...} for all lines but the last). */
    public String toWire() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedStatus != null) {
                sb.append(enhancedStatus);
                if (!lines.get(i).isEmpty()) {
                    sb.append(' ');
                }
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    /** The reply in one line, for logs and exception messages. */
    @Override
    public String toString() {
        return code + (enhancedStatus == null ? "" : " " + enhancedStatus) + " " + String.join(" / ", lines);
    }
}
