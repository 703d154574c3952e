package dev.mailcore.delivery.internal.dsn;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a delivery status notification as RFC 3464 and RFC 6522 define it: a {@code multipart/report;
 * report-type=delivery-status} with a human-readable {@code text/plain} part, the {@code message/delivery-status}
 * part (Reporting-MTA, Original-Envelope-Id, Arrival-Date, then per recipient Final-Recipient, Original-Recipient,
 * Action, Status, Diagnostic-Code, Last-Attempt-Date, Will-Retry-Until) and the original message
 * ({@code message/rfc822}) or only its header ({@code text/rfc822-headers}) when RET=HDRS was asked.
 * Lines end in CRLF; text is US-ASCII except addresses and diagnostic text, which are kept as they are (UTF-8).
 */
public final class DsnBuilder {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String CRLF = "\r\n";

    private final String reportingMta;

    /** @param reportingMta this host's name, for Reporting-MTA and the MAILER-DAEMON From address */
    public DsnBuilder(String reportingMta) {
        this.reportingMta = Objects.requireNonNull(reportingMta, "reportingMta");
    }

    /**
     * One notification about one message.
     *
     * @param kind        failure, delay or success
     * @param to          the notification's recipient (the original sender, or the postmaster for a double bounce)
     * @param queueId     the original message's queue id (for Message-ID and the text)
     * @param sender      the original message's envelope sender
     * @param envelopeId  the original {@code ENVID=}, or {@code null}
     * @param arrival     when the original was queued
     * @param now         the notification's date
     * @param recipients  the recipients this notification is about, at least one
     * @param ret         the original {@code RET=} ({@code null}: full message)
     * @param body        the original's body type (8BITMIME content makes the returned part 8bit)
     * @param original    the original message
     * @return the notification's bytes
     */
    public byte[] build(DsnKind kind, String to, String queueId, ReversePath sender, String envelopeId,
                        Instant arrival, Instant now, List<DsnRecipient> recipients, DsnReturn ret, BodyType body,
                        MessageSource original) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one recipient");
        }
        String boundary = queueId + "." + now.getEpochSecond() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "/" + reportingMta;
        StringBuilder h = new StringBuilder(2048);
        h.append("From: MAILER-DAEMON@").append(reportingMta).append(" (Mail Delivery System)").append(CRLF);
        h.append("To: ").append(to).append(CRLF);
        h.append("Subject: ").append(subject(kind)).append(CRLF);
        h.append("Date: ").append(DATE.format(now)).append(CRLF);
        h.append("Message-ID: <").append(queueId).append('.').append(kind.name().toLowerCase(Locale.ROOT))
                .append('.').append(now.toEpochMilli()).append('@').append(reportingMta).append('>').append(CRLF);
        h.append("Auto-Submitted: auto-replied").append(CRLF);
        h.append("MIME-Version: 1.0").append(CRLF);
        h.append("Content-Type: multipart/report; report-type=delivery-status;").append(CRLF);
        h.append("\tboundary=\"").append(boundary).append('"').append(CRLF);
        h.append(CRLF);
        h.append("This is a MIME-encapsulated message.").append(CRLF).append(CRLF);

        // part 1: human readable
        h.append("--").append(boundary).append(CRLF);
        h.append("Content-Description: Notification").append(CRLF);
        h.append("Content-Type: text/plain; charset=utf-8").append(CRLF);
        h.append(CRLF);
        h.append(humanText(kind, queueId, sender, recipients));

        // part 2: machine readable
        h.append(CRLF).append("--").append(boundary).append(CRLF);
        h.append("Content-Description: Delivery report").append(CRLF);
        h.append("Content-Type: message/delivery-status").append(CRLF);
        h.append(CRLF);
        h.append("Reporting-MTA: dns; ").append(reportingMta).append(CRLF);
        if (envelopeId != null) {
            h.append("Original-Envelope-Id: ").append(envelopeId).append(CRLF);
        }
        h.append("Arrival-Date: ").append(DATE.format(arrival)).append(CRLF);
        for (DsnRecipient r : recipients) {
            h.append(CRLF);
            h.append("Final-Recipient: rfc822; ").append(r.finalRecipient()).append(CRLF);
            if (r.orcpt() != null) {
                h.append("Original-Recipient: ").append(originalRecipient(r.orcpt())).append(CRLF);
            }
            h.append("Action: ").append(action(kind, r)).append(CRLF);
            h.append("Status: ").append(status(kind, r.reply())).append(CRLF);
            if (r.reply() != null) {
                h.append("Diagnostic-Code: smtp; ").append(diagnostic(r.reply())).append(CRLF);
            }
            if (r.lastAttempt() != null) {
                h.append("Last-Attempt-Date: ").append(DATE.format(r.lastAttempt())).append(CRLF);
            }
            if (r.willRetryUntil() != null) {
                h.append("Will-Retry-Until: ").append(DATE.format(r.willRetryUntil())).append(CRLF);
            }
        }

        // part 3: the original
        boolean headersOnly = ret == DsnReturn.HDRS || kind != DsnKind.FAILURE && ret == null;
        h.append(CRLF).append("--").append(boundary).append(CRLF);
        if (headersOnly) {
            h.append("Content-Description: Message Headers").append(CRLF);
            h.append("Content-Type: text/rfc822-headers").append(CRLF);
        } else {
            h.append("Content-Description: ").append(kind == DsnKind.FAILURE ? "Undelivered Message" : "Message")
                    .append(CRLF);
            h.append("Content-Type: message/rfc822").append(CRLF);
            if (body == BodyType.EIGHT_BIT_MIME) {
                h.append("Content-Transfer-Encoding: 8bit").append(CRLF);
            } else if (body == BodyType.BINARY_MIME) {
                h.append("Content-Transfer-Encoding: binary").append(CRLF);
            }
        }
        h.append(CRLF);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(original.size() + 4096, 1 << 24));
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
        byte[] originalBytes = headersOnly ? headers(original) : readAll(original);
        out.write(originalBytes);
        if (originalBytes.length > 0 && !endsWithCrlf(originalBytes)) {
            out.write(CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        out.write((CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The Subject of each kind, as Postfix words them. */
    static String subject(DsnKind kind) {
        switch (kind) {
            case DELAY:
                return "Delayed Mail (still being retried)";
            case SUCCESS:
                return "Successful Mail Delivery Report";
            case FAILURE:
            default:
                return "Undelivered Mail Returned to Sender";
        }
    }

    /**
     * RFC 3464 §2.3.3: {@code delivered} for a final delivery, {@code relayed} for a handoff to a next hop that will
     * not report (one that offers DSN got the NOTIFY, and then no success notice is sent at all).
     */
    static String action(DsnKind kind, DsnRecipient recipient) {
        switch (kind) {
            case DELAY:
                return "delayed";
            case SUCCESS:
                return recipient.finalDelivery() ? "delivered" : "relayed";
            case FAILURE:
            default:
                return "failed";
        }
    }

    /** The RFC 3463 status: the reply's enhanced code, else one derived from the reply code and the kind. */
    static String status(DsnKind kind, SmtpReply reply) {
        if (reply != null && reply.enhancedStatus() != null) {
            return reply.enhancedStatus();
        }
        if (reply != null) {
            return (reply.code() / 100) + ".0.0";
        }
        switch (kind) {
            case DELAY:
                return "4.0.0";
            case SUCCESS:
                return "2.0.0";
            case FAILURE:
            default:
                return "5.0.0";
        }
    }

    private static String diagnostic(SmtpReply reply) {
        StringBuilder sb = new StringBuilder().append(reply.code());
        if (reply.enhancedStatus() != null) {
            sb.append(' ').append(reply.enhancedStatus());
        }
        for (String line : reply.lines()) {
            sb.append(' ').append(line);
        }
        return sb.toString();
    }

    /** {@code addr-type ";" xtext} from ORCPT becomes {@code addr-type "; " address} with the xtext decoded. */
    static String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        if (semi < 0) {
            return "rfc822; " + Xtext.decode(orcpt);
        }
        return orcpt.substring(0, semi).trim() + "; " + Xtext.decode(orcpt.substring(semi + 1).trim());
    }

    private String humanText(DsnKind kind, String queueId, ReversePath sender, List<DsnRecipient> recipients) {
        StringBuilder t = new StringBuilder(512);
        t.append("This is the mail system at host ").append(reportingMta).append('.').append(CRLF).append(CRLF);
        switch (kind) {
            case DELAY:
                t.append("Your message (queue id ").append(queueId).append(") could not be delivered yet to the")
                        .append(CRLF).append("recipients listed below. Delivery is still being retried;")
                        .append(CRLF).append("you do not need to send it again.").append(CRLF);
                break;
            case SUCCESS:
                if (recipients.stream().allMatch(DsnRecipient::finalDelivery)) {
                    t.append("Your message (queue id ").append(queueId).append(") was delivered to the mailboxes")
                            .append(CRLF).append("of the recipients listed below, as you asked.").append(CRLF);
                } else if (recipients.stream().noneMatch(DsnRecipient::finalDelivery)) {
                    t.append("Your message (queue id ").append(queueId).append(") was handed to the next mail")
                            .append(CRLF).append("server for the recipients listed below, as you asked.")
                            .append(CRLF);
                } else {
                    t.append("Your message (queue id ").append(queueId).append(") was delivered to, or handed")
                            .append(CRLF).append("to the next mail server for, the recipients listed below, as you")
                            .append(CRLF).append("asked.").append(CRLF);
                }
                break;
            case FAILURE:
            default:
                t.append("Your message (queue id ").append(queueId).append(") could not be delivered to")
                        .append(CRLF).append("the recipients listed below. Delivery has been given up;")
                        .append(CRLF).append("the message, or its header, is attached.").append(CRLF);
                if (sender.isNull()) {
                    t.append(CRLF).append("The undeliverable message was itself a delivery notification,")
                            .append(CRLF).append("so it is reported to the postmaster.").append(CRLF);
                }
                break;
        }
        t.append(CRLF);
        for (DsnRecipient r : recipients) {
            t.append('<').append(r.finalRecipient()).append(">: ");
            t.append(r.reply() == null ? "no further detail" : r.reply().toString()).append(CRLF);
        }
        return t.toString();
    }

    private static byte[] readAll(MessageSource source) throws IOException {
        try (InputStream in = source.openStream()) {
            return in.readAllBytes();
        }
    }

    /** The header section of a message, up to and including the empty line (or all of it when there is none). */
    static byte[] headers(MessageSource source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (InputStream in = source.openStream()) {
            int prev1 = -1;
            int prev2 = -1;
            int prev3 = -1;
            int c;
            while ((c = in.read()) >= 0) {
                out.write(c);
                if (c == '\n' && prev1 == '\r' && prev2 == '\n' && prev3 == '\r') {
                    break;
                }
                if (c == '\n' && prev1 == '\n') {
                    break;
                }
                prev3 = prev2;
                prev2 = prev1;
                prev1 = c;
            }
        }
        byte[] b = out.toByteArray();
        return b;
    }

    private static boolean endsWithCrlf(byte[] b) {
        return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
    }
}
