package dev.mailcore.smtp.internal;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.Filter;
import dev.mailcore.api.FilterResult;
import dev.mailcore.api.HeaderField;
import dev.mailcore.api.IncomingMessage;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What happens to a complete message before it is acknowledged: filters in order, then one all-or-nothing store
 * delivery for every local target, then remote recipients (and the forwards of expanded aliases) to the transport;
 * when the transport refuses, the local copies are removed again, so that a refused message leaves no copy behind
 * for the client's retry to duplicate.
 * Each final mailbox and each remote address gets one copy, however many recipients lead to it. Runs on the SPI executor; returns the
 * one reply for the whole message. Nothing is acknowledged that was not handed on.
 */
final class DeliveryPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPipeline.class);

    /**
     * One accepted recipient and where it goes.
     *
     * @param recipient  the RCPT TO
     * @param resolution {@link Resolution.Local}, {@link Resolution.Expanded} or {@link Resolution.Remote}
     */
    record Route(EnvelopeRecipient recipient, Resolution resolution) {
    }

    private final List<Filter> filters;
    private final Transport transport;
    private final Store store;

    DeliveryPipeline(List<Filter> filters, Transport transport, Store store) {
        this.filters = filters;
        this.transport = transport;
        this.store = store;
    }

    /**
     * @param session   the session snapshot for filters
     * @param envelope  all recipients
     * @param routes    where each recipient goes, in envelope order
     * @param content   the message with the given prefix (trace and filter headers) in front
     * @param received  the {@code Received:} header
     * @param id        the message id for the reply and logs
     * @param now       the internal date
     */
    SmtpReply deliver(SessionInfo session, Envelope envelope, List<Route> routes,
                      Function<byte[], MessageSource> content, String received, String id, Instant now) {
        String prefix = received;
        MessageSource message = content.apply(bytes(prefix));
        String mailbox = MailboxRef.INBOX;
        for (Filter filter : filters) {
            FilterResult result;
            try {
                result = filter.apply(new IncomingMessage(session, envelope, message));
            } catch (RuntimeException e) {
                LOG.warn("{}: filter {} failed", id, filter, e);
                return SmtpReply.of(451, "4.3.0", "Error: content filter failed, try again later");
            }
            if (result instanceof FilterResult.Continue) {
                List<HeaderField> headers = ((FilterResult.Continue) result).headersToAdd();
                if (!headers.isEmpty()) {
                    prefix = headers(headers) + prefix;
                    message = content.apply(bytes(prefix));
                }
            } else if (result instanceof FilterResult.Reject) {
                SmtpReply reply = ((FilterResult.Reject) result).reply();
                LOG.info("{}: rejected by filter: {}", id, reply);
                return reply;
            } else if (result instanceof FilterResult.Discard) {
                LOG.info("{}: discarded by filter", id);
                return queued(id);
            } else if (result instanceof FilterResult.FileInto) {
                FilterResult.FileInto fileInto = (FilterResult.FileInto) result;
                if (!fileInto.headersToAdd().isEmpty()) {
                    prefix = headers(fileInto.headersToAdd()) + prefix;
                    message = content.apply(bytes(prefix));
                }
                mailbox = fileInto.mailbox();
                break;
            } else {
                LOG.warn("{}: filter {} returned {}", id, filter, result);
                return SmtpReply.of(451, "4.3.0", "Error: content filter failed, try again later");
            }
        }

        // one copy per final mailbox and per remote address, however many RCPTs reach it (as Postfix does)
        Map<MailAddress, EnvelopeRecipient> remoteByAddress = new LinkedHashMap<>();
        Set<MailboxRef> targets = new LinkedHashSet<>();
        try {
            for (Route route : routes) {
                Resolution resolution = route.resolution();
                if (resolution instanceof Resolution.Local) {
                    for (String user : ((Resolution.Local) resolution).users()) {
                        targets.add(new MailboxRef(user, mailbox));
                    }
                } else if (resolution instanceof Resolution.Expanded) {
                    Resolution.Expanded expanded = (Resolution.Expanded) resolution;
                    for (String user : expanded.users()) {
                        targets.add(new MailboxRef(user, mailbox));
                    }
                    for (MailAddress forward : expanded.forwards()) {
                        remoteByAddress.putIfAbsent(forward, forwarded(route.recipient(), forward));
                    }
                } else {
                    remoteByAddress.putIfAbsent(route.recipient().address(), route.recipient());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: bad local target (mailbox {})", id, mailbox, e);
            return SmtpReply.of(451, "4.3.0", "Error: queue file write error");
        }

        List<EnvelopeRecipient> remote = List.copyOf(remoteByAddress.values());
        if (!remote.isEmpty() && transport == null) {
            return RELAY_DENIED;
        }
        // local copies first: a store failure then leaves nothing behind (no queued remote copy that the client's
        // retry of the whole message would duplicate); a relay failure afterwards withdraws the local copies
        List<AppendResult> stored = List.of();
        if (!targets.isEmpty()) {
            try {
                stored = store.deliver(List.copyOf(targets), message, now);
            } catch (StoreException e) {
                LOG.warn("{}: store delivery failed: {} {}", id, e.error(), e.getMessage());
                switch (e.error()) {
                    case OVER_QUOTA:
                        return overQuota(targets, message.size(), id);
                    case STORAGE_FULL:
                        return SmtpReply.of(452, "4.3.1", "Insufficient system storage");
                    default:
                        return SmtpReply.of(451, "4.3.0", "Error: queue file write error");
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: store delivery failed", id, e);
                return SmtpReply.of(451, "4.3.0", "Error: queue file write error");
            }
        }
        if (!remote.isEmpty()) {
            SmtpReply failure = relay(new Envelope(envelope.sender(), remote, envelope.parameters()), message, id);
            if (failure != null) {
                withdraw(stored, id);
                return failure;
            }
        }
        LOG.info("{}: accepted from {} for {} local target(s) and {} remote recipient(s)", id,
                envelope.sender(), targets.size(), remote.size());
        return queued(id);
    }

    /**
     * Removes the local copies just delivered, because the message is being refused: the client will send it again
     * (or bounce it), and the copies must not be there twice. When the store cannot remove them the refusal stands
     * (acknowledging would lose the remote copies) and the duplicate the retry will cause is logged.
     */
    private void withdraw(List<AppendResult> stored, String id) {
        Map<MailboxRef, List<Long>> uids = new LinkedHashMap<>();
        for (AppendResult result : stored) {
            if (result != null) {
                uids.computeIfAbsent(result.mailbox(), m -> new ArrayList<>()).add(result.uid());
            }
        }
        if (uids.size() < stored.size()) {
            LOG.error("{}: refused after local delivery, but the store did not say where the copies are: a retry by"
                    + " the client will deliver them again", id);
        }
        for (Map.Entry<MailboxRef, List<Long>> e : uids.entrySet()) {
            try {
                store.expunge(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                LOG.error("{}: refused after local delivery, and the copy in {} (UIDs {}) could not be removed: a"
                        + " retry by the client will deliver it again", id, e.getKey(), e.getValue(), ex);
            }
        }
    }

    /** Hands the message to the transport; the failure reply, or {@code null} when every recipient got it. */
    private SmtpReply relay(Envelope envelope, MessageSource message, String id) {
        DeliveryReport report;
        try {
            report = transport.deliver(envelope, message);
        } catch (RuntimeException e) {
            LOG.warn("{}: transport failed", id, e);
            return SmtpReply.of(451, "4.4.0", "Error: relay delivery failed, try again later");
        }
        if (report != null && report.allDelivered()
                && report.outcomes().size() >= envelope.recipients().size()) {
            return null;
        }
        RecipientOutcome permanent = null;
        boolean temporary = report == null || report.outcomes().size() < envelope.recipients().size();
        if (report != null) {
            for (RecipientOutcome outcome : report.outcomes()) {
                if (outcome.status() == DeliveryStatus.DEFERRED) {
                    temporary = true;
                } else if (outcome.status() == DeliveryStatus.FAILED && permanent == null) {
                    permanent = outcome;
                }
            }
        }
        LOG.info("{}: relay not completed: {}", id, report);
        if (temporary || permanent == null) {
            return SmtpReply.of(451, "4.4.0", "Error: relay delivery deferred, try again later");
        }
        SmtpReply remote = permanent.reply();
        String status = remote.enhancedStatus() != null && remote.enhancedStatus().startsWith("5.")
                ? remote.enhancedStatus() : "5.0.0";
        return SmtpReply.of(554, status, "Error: relay delivery failed for <" + permanent.recipient() + ">: "
                + remote.lines().get(0));
    }

    /**
     * The reply to a store's OVER_QUOTA: permanent (552 5.2.2, RFC 3463) when the message is larger than some
     * target user's whole byte limit and so can never be delivered, temporary (452 4.2.2) otherwise.
     */
    private SmtpReply overQuota(Set<MailboxRef> targets, long size, String id) {
        Set<String> users = new LinkedHashSet<>();
        for (MailboxRef target : targets) {
            users.add(target.user());
        }
        for (String user : users) {
            QuotaUsage quota;
            try {
                quota = store.quota(user);
            } catch (RuntimeException e) {
                LOG.debug("{}: quota of {} unavailable", id, user, e);
                continue;
            }
            if (quota != null && quota.bytesLimit() != QuotaUsage.UNLIMITED && size > quota.bytesLimit()) {
                LOG.info("{}: message of {} octets exceeds {}'s quota of {} octets", id, size, user,
                        quota.bytesLimit());
                return SmtpReply.of(552, "5.2.2", "Mailbox full: message exceeds the recipient's quota");
            }
        }
        return SmtpReply.of(452, "4.2.2", "Mailbox full");
    }

    /**
     * The recipient a forward is sent to: the original's NOTIFY, and its ORCPT (or the original address) so that a
     * DSN names the address the sender used (RFC 3461 §4.2).
     */
    private static EnvelopeRecipient forwarded(EnvelopeRecipient original, MailAddress forward) {
        String orcpt = original.original() != null ? original.original()
                : "rfc822;" + Xtext.encode(original.address().toString());
        return new EnvelopeRecipient(forward, original.notifyOn(), orcpt);
    }

    private static final SmtpReply RELAY_DENIED = SmtpReply.of(554, "5.7.1", "Error: relay access denied");

    private static SmtpReply queued(String id) {
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
    }

    private static String headers(List<HeaderField> fields) {
        StringBuilder sb = new StringBuilder();
        for (HeaderField field : fields) {
            sb.append(HeaderFolding.fold(field.name(), field.value()));
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
