package dev.mailcore.api;

import java.util.List;
import java.util.Objects;

/** What a {@link Filter} decides about a message. */
public sealed interface FilterResult {

    /** Go on to the next filter, adding these header fields at the top of the message. */
    record Continue(List<HeaderField> headersToAdd) implements FilterResult {
        public Continue {
            headersToAdd = List.copyOf(headersToAdd);
        }
    }

    /** Refuse the message after DATA with this reply (4xx or 5xx). */
    record Reject(SmtpReply reply) implements FilterResult {
        public Reject {
            if (reply.isPositive()) {
                throw new MailcoreException("Reject needs a failure reply, got " + reply);
            }
        }
    }

    /** Accept the message (250) but store and relay nothing. */
    record Discard() implements FilterResult {
    }

    /**
     * Deliver local copies into this mailbox instead of INBOX (created when missing), adding these header fields.
     * Remote recipients are unaffected.
     */
    record FileInto(String mailbox, List<HeaderField> headersToAdd) implements FilterResult {
        public FileInto {
            Objects.requireNonNull(mailbox, "mailbox");
            headersToAdd = List.copyOf(headersToAdd);
        }
    }

    /** The shared "go on, change nothing" result. */
    FilterResult CONTINUE = new Continue(List.of());
}
