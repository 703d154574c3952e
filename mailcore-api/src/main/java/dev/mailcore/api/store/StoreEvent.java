package dev.mailcore.api.store;

import java.util.List;

/**
 * A change in a user's mailboxes, delivered to every {@link Store#subscribe subscriber} of that user (IMAP IDLE and
 * untagged EXISTS/EXPUNGE/FETCH in other sessions). Events for one mailbox arrive in the order of their MODSEQ.
 */
public sealed interface StoreEvent {
    MailboxRef mailbox();

    /** Messages were added (append, delivery, copy or move target). */
    record MessagesAdded(MailboxRef mailbox, long uidValidity, List<MessageMeta> messages) implements StoreEvent {
        public MessagesAdded {
            messages = List.copyOf(messages);
        }
    }

    /** Flags of these messages changed; each entry holds the new flags and MODSEQ. */
    record FlagsChanged(MailboxRef mailbox, long uidValidity, List<MessageMeta> messages) implements StoreEvent {
        public FlagsChanged {
            messages = List.copyOf(messages);
        }
    }

    /** These UIDs were removed (expunge, or move source). */
    record MessagesExpunged(MailboxRef mailbox, long uidValidity, List<Long> uids, long modSeq) implements StoreEvent {
        public MessagesExpunged {
            uids = List.copyOf(uids);
        }
    }

    record MailboxCreated(MailboxRef mailbox) implements StoreEvent {
    }

    record MailboxDeleted(MailboxRef mailbox) implements StoreEvent {
    }

    /** {@code mailbox} is the new name. */
    record MailboxRenamed(MailboxRef from, MailboxRef mailbox) implements StoreEvent {
    }
}
