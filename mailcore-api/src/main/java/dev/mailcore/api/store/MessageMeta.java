package dev.mailcore.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store keeps about one message besides its bytes.
 *
 * @param uid          the UID, unique and ascending within the mailbox's UIDVALIDITY
 * @param modSeq       the MODSEQ of the message's last change (RFC 7162)
 * @param size         the exact size of the raw message in octets
 * @param internalDate the IMAP internal date (arrival time or the APPEND date)
 * @param flags        the flags and keywords
 */
public record MessageMeta(long uid, long modSeq, long size, Instant internalDate, Flags flags) {
    public MessageMeta {
        if (uid < 1) {
            throw new IllegalArgumentException("uid must be positive");
        }
        Objects.requireNonNull(internalDate, "internalDate");
        Objects.requireNonNull(flags, "flags");
    }
}
