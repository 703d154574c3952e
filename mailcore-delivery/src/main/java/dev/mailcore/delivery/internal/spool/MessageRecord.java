package dev.mailcore.delivery.internal.spool;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.QueueEntry;
import dev.mailcore.delivery.RecipientState;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The persisted envelope and per-recipient state of one spooled message (its {@code .state} file), as a mutable
 * object. Callers synchronise on the record while they change or serialise it.
 */
public final class MessageRecord {

    /** What a message is, for the "never bounce a bounce" rule. */
    public enum Kind {
        /** Ordinary mail. */
        NORMAL,
        /** A notification this queue made for a sender. */
        BOUNCE,
        /** A notification about an undeliverable notification, to the postmaster: dropped if it fails too. */
        DOUBLE_BOUNCE
    }

    private static final int VERSION = 1;

    private final String id;
    private final Instant arrival;
    private final long size;
    private final ReversePath sender;
    private final MailParameters parameters;
    private final Kind kind;
    private final List<RecipientRecord> recipients;
    private boolean held;

    public MessageRecord(String id, Instant arrival, long size, ReversePath sender, MailParameters parameters,
                         Kind kind, List<RecipientRecord> recipients) {
        this.id = Objects.requireNonNull(id, "id");
        this.arrival = Objects.requireNonNull(arrival, "arrival");
        this.size = size;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.recipients = List.copyOf(recipients);
    }

    /** A new record for {@code envelope}, every recipient pending and due at {@code arrival}. */
    public static MessageRecord create(String id, Instant arrival, long size, Envelope envelope, Kind kind) {
        List<RecipientRecord> rcpts = new ArrayList<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            rcpts.add(new RecipientRecord(r, arrival));
        }
        return new MessageRecord(id, arrival, size, envelope.sender(), envelope.parameters(), kind, rcpts);
    }

    public String id() {
        return id;
    }

    public Instant arrival() {
        return arrival;
    }

    public long size() {
        return size;
    }

    public ReversePath sender() {
        return sender;
    }

    public MailParameters parameters() {
        return parameters;
    }

    public Kind kind() {
        return kind;
    }

    public List<RecipientRecord> recipients() {
        return recipients;
    }

    public synchronized boolean held() {
        return held;
    }

    public synchronized void held(boolean held) {
        this.held = held;
    }

    /** Whether every recipient is delivered or bounced and no notice is still owed. */
    public synchronized boolean isFinished() {
        for (RecipientRecord r : recipients) {
            if (!r.state().isFinal() || r.notice() != RecipientRecord.Notice.NONE) {
                return false;
            }
        }
        return true;
    }

    /** Whether some notice is owed to the sender. */
    public synchronized boolean hasNotices() {
        return recipients.stream().anyMatch(r -> r.notice() != RecipientRecord.Notice.NONE);
    }

    /** The earliest next attempt of an unfinished recipient, or {@code null}. */
    public synchronized Instant nextAttempt() {
        Instant next = null;
        for (RecipientRecord r : recipients) {
            if (!r.state().isFinal() && r.nextAttempt() != null
                    && (next == null || r.nextAttempt().isBefore(next))) {
                next = r.nextAttempt();
            }
        }
        return next;
    }

    /** Makes every unfinished recipient due at {@code now} (flush). */
    public synchronized void flush(Instant now) {
        for (RecipientRecord r : recipients) {
            if (!r.state().isFinal()) {
                r.nextAttempt(now);
            }
        }
    }

    /** Makes every unfinished recipient due at {@code now} and forgets its attempts (re-queue). */
    public synchronized void requeue(Instant now) {
        for (RecipientRecord r : recipients) {
            if (!r.state().isFinal()) {
                r.nextAttempt(now);
                r.attempts(0);
            }
        }
    }

    /** An immutable view for the administration API. */
    public synchronized QueueEntry snapshot() {
        return new QueueEntry(id, size, arrival, sender,
                recipients.stream().map(RecipientRecord::snapshot).toList(), held);
    }

    /** The envelope with the given recipients. */
    public Envelope envelope(List<EnvelopeRecipient> subset) {
        return new Envelope(sender, subset, parameters);
    }

    // ---- serialisation ----

    /** The record as the UTF-8 text of a {@code .state} file. */
    public synchronized byte[] serialize() {
        Map<String, String> p = new TreeMap<>();
        p.put("version", Integer.toString(VERSION));
        p.put("id", id);
        p.put("arrival", arrival.toString());
        p.put("size", Long.toString(size));
        p.put("sender", sender.toString());
        p.put("kind", kind.name());
        p.put("held", Boolean.toString(held));
        parameters.declaredSize().ifPresent(s -> p.put("mail.size", Long.toString(s)));
        p.put("mail.body", parameters.body().name());
        p.put("mail.smtputf8", Boolean.toString(parameters.smtpUtf8()));
        putIf(p, "mail.ret", parameters.dsnReturn() == null ? null : parameters.dsnReturn().name());
        putIf(p, "mail.envid", parameters.envelopeId());
        putIf(p, "mail.auth", parameters.authSender());
        parameters.other().forEach((k, v) -> p.put("mail.other." + k, v));
        p.put("rcpt.count", Integer.toString(recipients.size()));
        for (int i = 0; i < recipients.size(); i++) {
            RecipientRecord r = recipients.get(i);
            String k = "rcpt." + i + ".";
            p.put(k + "address", r.recipient().address().toString());
            p.put(k + "notify", String.join(",", r.recipient().notifyOn().stream().map(Enum::name).sorted().toList()));
            putIf(p, k + "orcpt", r.recipient().original());
            p.put(k + "state", r.state().name());
            p.put(k + "attempts", Integer.toString(r.attempts()));
            putIf(p, k + "next", r.nextAttempt() == null ? null : r.nextAttempt().toString());
            putIf(p, k + "last", r.lastAttempt() == null ? null : r.lastAttempt().toString());
            p.put(k + "delayNotified", Boolean.toString(r.delayNotified()));
            p.put(k + "notice", r.notice().name());
            SmtpReply reply = r.lastReply();
            if (reply != null) {
                p.put(k + "reply.code", Integer.toString(reply.code()));
                putIf(p, k + "reply.status", reply.enhancedStatus());
                p.put(k + "reply.text", String.join("\n", reply.lines()));
            }
        }
        Properties props = new Properties();
        props.putAll(p);
        StringWriter out = new StringWriter();
        try {
            props.store(out, "mailcore queue file");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putIf(Map<String, String> p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    /**
     * Reads a {@code .state} file's text.
     *
     * @throws IOException if it is not a complete queue file
     */
    public static MessageRecord parse(byte[] data) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(data, StandardCharsets.UTF_8)));
        try {
            if (!Integer.toString(VERSION).equals(p.getProperty("version"))) {
                throw new IOException("unknown queue file version " + p.getProperty("version"));
            }
            String id = required(p, "id");
            Instant arrival = Instant.parse(required(p, "arrival"));
            long size = Long.parseLong(required(p, "size"));
            ReversePath sender = ReversePath.parse(required(p, "sender"));
            Kind kind = Kind.valueOf(required(p, "kind"));
            String declared = p.getProperty("mail.size");
            String ret = p.getProperty("mail.ret");
            Map<String, String> other = new HashMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith("mail.other.")) {
                    other.put(name.substring("mail.other.".length()), p.getProperty(name));
                }
            }
            MailParameters params = new MailParameters(
                    declared == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(declared)),
                    BodyType.valueOf(required(p, "mail.body")),
                    Boolean.parseBoolean(p.getProperty("mail.smtputf8")),
                    ret == null ? null : DsnReturn.valueOf(ret),
                    p.getProperty("mail.envid"), p.getProperty("mail.auth"), other);
            int count = Integer.parseInt(required(p, "rcpt.count"));
            List<RecipientRecord> rcpts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String k = "rcpt." + i + ".";
                Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
                String n = p.getProperty(k + "notify", "");
                if (!n.isEmpty()) {
                    Arrays.stream(n.split(",")).map(DsnNotify::valueOf).forEach(notify::add);
                }
                EnvelopeRecipient er = new EnvelopeRecipient(MailAddress.parse(required(p, k + "address")), notify,
                        p.getProperty(k + "orcpt"));
                String next = p.getProperty(k + "next");
                RecipientRecord r = new RecipientRecord(er, next == null ? null : Instant.parse(next));
                r.state(RecipientState.State.valueOf(required(p, k + "state")));
                if (next != null && !r.state().isFinal()) {
                    r.nextAttempt(Instant.parse(next));
                }
                r.attempts(Integer.parseInt(required(p, k + "attempts")));
                String last = p.getProperty(k + "last");
                r.lastAttempt(last == null ? null : Instant.parse(last));
                r.delayNotified(Boolean.parseBoolean(p.getProperty(k + "delayNotified")));
                r.notice(RecipientRecord.Notice.valueOf(p.getProperty(k + "notice", "NONE")));
                String code = p.getProperty(k + "reply.code");
                if (code != null) {
                    r.lastReply(new SmtpReply(Integer.parseInt(code), p.getProperty(k + "reply.status"),
                            List.of(p.getProperty(k + "reply.text", "").split("\n", -1))));
                }
                rcpts.add(r);
            }
            MessageRecord record = new MessageRecord(id, arrival, size, sender, params, kind, rcpts);
            record.held(Boolean.parseBoolean(p.getProperty("held")));
            return record;
        } catch (RuntimeException e) {
            throw new IOException("corrupt queue file: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("queue file lacks " + key);
        }
        return v;
    }
}
