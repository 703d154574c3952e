package dev.mailcore.delivery;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake "remote": per recipient address, a script of outcomes consumed one per attempt (the last one repeats);
 * recipients without a script are accepted. Records every call with the bytes it was given.
 */
final class ScriptedTransport implements Transport {
    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok: queued remotely");
    static final SmtpReply BUSY = SmtpReply.of(451, "4.3.0", "Try again later");
    static final SmtpReply UNKNOWN = SmtpReply.of(550, "5.1.1", "User unknown");

    /** One call. */
    record Call(Envelope envelope, byte[] content) {
        List<MailAddress> recipients() {
            return envelope.recipientAddresses();
        }

        String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final Map<MailAddress, Deque<RecipientOutcome>> scripts = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Scripts successive outcomes for a recipient. */
    synchronized ScriptedTransport script(String address, DeliveryStatus... statuses) {
        MailAddress a = MailAddress.parse(address);
        Deque<RecipientOutcome> q = new ArrayDeque<>();
        for (DeliveryStatus s : statuses) {
            SmtpReply reply = s == DeliveryStatus.DELIVERED ? OK : s == DeliveryStatus.DEFERRED ? BUSY : UNKNOWN;
            q.add(new RecipientOutcome(a, s, reply));
        }
        scripts.put(a, q);
        return this;
    }

    /** Accepts a recipient, every time, with the given handoff (who reports on it from then on). */
    synchronized ScriptedTransport accept(String address, RecipientOutcome.Handoff handoff) {
        MailAddress a = MailAddress.parse(address);
        scripts.put(a, new ArrayDeque<>(List.of(new RecipientOutcome(a, DeliveryStatus.DELIVERED, OK, handoff))));
        return this;
    }

    @Override
    public synchronized DeliveryReport deliver(Envelope envelope, MessageSource content) {
        byte[] bytes;
        try (InputStream in = content.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        calls.add(new Call(envelope, bytes));
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            Deque<RecipientOutcome> q = scripts.get(r.address());
            RecipientOutcome o;
            if (q == null || q.isEmpty()) {
                o = new RecipientOutcome(r.address(), DeliveryStatus.DELIVERED, OK);
            } else {
                o = q.size() > 1 ? q.poll() : q.peek();
            }
            outcomes.add(o);
        }
        return new DeliveryReport(outcomes);
    }

    /** The calls that went to an address. */
    List<Call> callsTo(String address) {
        MailAddress a = MailAddress.parse(address);
        return calls.stream().filter(c -> c.recipients().contains(a)).toList();
    }
}
