package dev.mailcore.smtp.internal;

import dev.mailcore.api.SmtpReply;

/** Ends the handling of a command with this reply (parsing shortcuts); carries no stack trace. */
final class ReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient SmtpReply reply;

    ReplyException(SmtpReply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    ReplyException(int code, String enhanced, String text) {
        this(SmtpReply.of(code, enhanced, text));
    }

    SmtpReply reply() {
        return reply;
    }
}
