package dev.mailcore.delivery.internal.spool;

import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.RecipientState;

import java.time.Instant;
import java.util.Objects;

/** The mutable, persisted state of one recipient of a spooled message. Guarded by its {@link MessageRecord}. */
public final class RecipientRecord {

    /**
     * A delivery status notification owed to the sender but not yet handed to the bounce sink: {@code SUCCESS} for a
     * recipient relayed to a next hop that will not report ({@code Action: relayed}), {@code DELIVERED} for a final
     * delivery ({@code Action: delivered}).
     */
    public enum Notice {
        NONE, FAILURE, DELAY, SUCCESS, DELIVERED
    }

    private final EnvelopeRecipient recipient;
    private RecipientState.State state = RecipientState.State.PENDING;
    private int attempts;
    private SmtpReply lastReply;
    private Instant nextAttempt;
    private Instant lastAttempt;
    private boolean delayNotified;
    private Notice notice = Notice.NONE;

    public RecipientRecord(EnvelopeRecipient recipient, Instant nextAttempt) {
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.nextAttempt = nextAttempt;
    }

    public EnvelopeRecipient recipient() {
        return recipient;
    }

    public RecipientState.State state() {
        return state;
    }

    public void state(RecipientState.State state) {
        this.state = state;
        if (state.isFinal()) {
            nextAttempt = null;
        }
    }

    public int attempts() {
        return attempts;
    }

    public void attempts(int attempts) {
        this.attempts = attempts;
    }

    public SmtpReply lastReply() {
        return lastReply;
    }

    public void lastReply(SmtpReply reply) {
        this.lastReply = reply;
    }

    public Instant nextAttempt() {
        return nextAttempt;
    }

    public void nextAttempt(Instant next) {
        this.nextAttempt = next;
    }

    public Instant lastAttempt() {
        return lastAttempt;
    }

    public void lastAttempt(Instant when) {
        this.lastAttempt = when;
    }

    public boolean delayNotified() {
        return delayNotified;
    }

    public void delayNotified(boolean notified) {
        this.delayNotified = notified;
    }

    public Notice notice() {
        return notice;
    }

    public void notice(Notice notice) {
        this.notice = Objects.requireNonNull(notice, "notice");
    }

    /** Whether this recipient waits for an attempt at or before {@code now}. */
    public boolean isDue(Instant now) {
        return !state.isFinal() && nextAttempt != null && !nextAttempt.isAfter(now);
    }

    /** An immutable view for the administration API. */
    public RecipientState snapshot() {
        return new RecipientState(recipient.address(), state, attempts, lastReply, nextAttempt);
    }
}
