package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.SmtpReply;

/**
 * A session-level failure (connection refused, timeout, lost connection, TLS failure, an unusable greeting): the
 * reply to give every recipient not yet decided, and whether the next MX host should be tried.
 */
public final class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient SmtpReply reply;
    private final boolean tryNextHop;

    public SessionException(SmtpReply reply, boolean tryNextHop, Throwable cause) {
        super(reply.toString(), cause);
        this.reply = reply;
        this.tryNextHop = tryNextHop;
    }

    public SessionException(SmtpReply reply) {
        this(reply, true, null);
    }

    public SmtpReply reply() {
        return reply;
    }

    public boolean tryNextHop() {
        return tryNextHop;
    }
}
