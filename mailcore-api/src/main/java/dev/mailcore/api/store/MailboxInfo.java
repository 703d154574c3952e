package dev.mailcore.api.store;

import java.util.Objects;
import java.util.Set;

/**
 * The state of one mailbox.
 *
 * @param ref           which mailbox
 * @param uidValidity   the UIDVALIDITY value; changes only if UIDs cannot be kept
 * @param uidNext       the UID the next appended message will get (at least)
 * @param highestModSeq the highest MODSEQ of any change in the mailbox (RFC 7162)
 * @param messages      number of messages
 * @param unseen        number of messages without {@code \Seen}
 * @param deleted       number of messages with {@code \Deleted}
 * @param totalSize     sum of message sizes in octets
 * @param specialUse    RFC 6154 attributes such as {@code \Sent}; empty for ordinary mailboxes
 */
public record MailboxInfo(MailboxRef ref, long uidValidity, long uidNext, long highestModSeq, int messages,
                          int unseen, int deleted, long totalSize, Set<String> specialUse) {
    public MailboxInfo {
        Objects.requireNonNull(ref, "ref");
        specialUse = Set.copyOf(specialUse);
    }
}
