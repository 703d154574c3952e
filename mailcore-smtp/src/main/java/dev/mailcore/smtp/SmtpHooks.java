package dev.mailcore.smtp;

import dev.mailcore.api.Envelope;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;

/**
 * Observes SMTP sessions and may change what they do at each {@link SmtpPhase}: the hook for test tooling (the
 * mailcore-testing SDK records sessions and injects faults through it) and for metrics. Set it with
 * {@link SmtpConfig.Builder#hooks}; the default does nothing.
 *
 * <p>Every method is called on the connection's I/O thread and must return quickly: no blocking, no I/O. An
 * exception thrown by a hook is logged and otherwise ignored ({@link #before} then counts as
 * {@link SmtpAction#PROCEED}). One instance serves every connection, concurrently.
 */
public interface SmtpHooks {

    /** Hooks that observe nothing and change nothing. */
    SmtpHooks NONE = new SmtpHooks() {
    };

    /**
     * Called when a phase begins, before the server handles it (for {@link SmtpPhase#CONNECT}: before the connect
     * policy and the greeting; for {@link SmtpPhase#END_OF_DATA}: before delivery).
     *
     * @param phase    the phase
     * @param session  the session as it is now
     * @param argument what the client sent with the command, as described on each {@link SmtpPhase}
     * @return what to do; {@link SmtpAction#PROCEED} to go on as usual
     */
    default SmtpAction before(SmtpPhase phase, SessionInfo session, String argument) {
        return SmtpAction.PROCEED;
    }

    /** Called for every reply the server writes, with the session as it is after the command was handled. */
    default void replied(SessionInfo session, SmtpReply reply) {
    }

    /**
     * Called once the positive final reply to a message (after DATA or BDAT LAST) has been written to the socket:
     * the client has been told the message was accepted. Messages a policy discarded are not reported.
     *
     * @param session   the session
     * @param envelope  sender and the recipients the message was delivered or relayed to
     * @param content   the message as the client sent it, without the server's trace header
     * @param messageId the server's queue id for the message (the one in the reply)
     */
    default void accepted(SessionInfo session, Envelope envelope, byte[] content, String messageId) {
    }

    /** Called once when the connection is closed, by either side. */
    default void closed(SessionInfo session) {
    }
}
