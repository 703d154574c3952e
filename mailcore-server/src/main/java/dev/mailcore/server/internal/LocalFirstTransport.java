package dev.mailcore.server.internal;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.RecipientResolver;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The delivery attempt the outbound queue makes: recipients of our own domains (bounces to local senders, forwards
 * that point back here) go straight into the store; the others go to the remote transport (SMTP with MX lookup or a
 * smarthost). One outcome per recipient, in the order given.
 */
public final class LocalFirstTransport implements Transport {
    private final RecipientResolver resolver;
    private final Store store;
    private final Transport remote;
    private final Clock clock;

    public LocalFirstTransport(RecipientResolver resolver, Store store, Transport remote, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.store = Objects.requireNonNull(store, "store");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource content) {
        Map<MailAddress, RecipientOutcome> outcomes = new HashMap<>();
        Set<MailboxRef> local = new LinkedHashSet<>();
        List<MailAddress> localRecipients = new ArrayList<>();
        List<EnvelopeRecipient> remoteRecipients = new ArrayList<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            Resolution resolution = resolver.resolve(r.address());
            if (resolution instanceof Resolution.Local l) {
                l.users().forEach(u -> local.add(MailboxRef.inbox(u)));
                localRecipients.add(r.address());
            } else if (resolution instanceof Resolution.Expanded e && e.forwards().isEmpty()) {
                e.users().forEach(u -> local.add(MailboxRef.inbox(u)));
                localRecipients.add(r.address());
            } else if (resolution instanceof Resolution.Unknown) {
                outcomes.put(r.address(), new RecipientOutcome(r.address(), DeliveryStatus.FAILED,
                        SmtpReply.of(550, "5.1.1", "<" + r.address() + ">: Recipient address rejected: User unknown")));
            } else {
                // remote, or an expansion with forwards: the remote side (or our own MX) takes it from here
                remoteRecipients.add(r);
            }
        }
        if (!local.isEmpty()) {
            DeliveryStatus status;
            SmtpReply reply;
            try {
                store.deliver(List.copyOf(local), content, clock.instant());
                status = DeliveryStatus.DELIVERED;
                reply = SmtpReply.of(250, "2.0.0", "Ok: delivered to the local store");
            } catch (StoreException e) {
                boolean full = e.error() == StoreError.OVER_QUOTA;
                status = DeliveryStatus.DEFERRED;
                reply = full ? SmtpReply.of(452, "4.2.2", "Mailbox full")
                        : SmtpReply.of(451, "4.3.0", "Local store failed: " + e.getMessage());
            }
            for (MailAddress a : localRecipients) {
                outcomes.put(a, new RecipientOutcome(a, status, reply, RecipientOutcome.Handoff.DELIVERED));
            }
        }
        if (!remoteRecipients.isEmpty()) {
            DeliveryReport report = remote.deliver(new Envelope(envelope.sender(), remoteRecipients,
                    envelope.parameters()), content);
            for (RecipientOutcome o : report.outcomes()) {
                outcomes.put(o.recipient(), o);
            }
        }
        List<RecipientOutcome> ordered = new ArrayList<>();
        for (EnvelopeRecipient r : envelope.recipients()) {
            RecipientOutcome o = outcomes.get(r.address());
            ordered.add(o != null ? o : new RecipientOutcome(r.address(), DeliveryStatus.DEFERRED,
                    SmtpReply.of(451, "4.3.0", "No outcome from the transport")));
        }
        return new DeliveryReport(ordered);
    }
}
