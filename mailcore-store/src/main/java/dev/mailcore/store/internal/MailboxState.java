package dev.mailcore.store.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * One mailbox: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, special-use attributes and messages by UID, with running counts
 * for {@link MailboxInfo}. Not thread-safe: guarded by the owning {@link UserState}'s lock.
 */
public final class MailboxState {
    /** The largest UID IMAP can express (nz-number is 32 bits unsigned). */
    static final long MAX_UID = 0xFFFF_FFFFL;

    private final long uidValidity;
    private final Set<String> specialUse;
    private final TreeMap<Long, StoredMessage> messages = new TreeMap<>();
    private long uidNext = 1;
    private long highestModSeq = 1;
    private int unseen;
    private int deleted;
    private long totalSize;

    public MailboxState(long uidValidity, Set<String> specialUse) {
        this.uidValidity = uidValidity;
        this.specialUse = Set.copyOf(specialUse);
    }

    public long uidValidity() {
        return uidValidity;
    }

    public Set<String> specialUse() {
        return specialUse;
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    public int size() {
        return messages.size();
    }

    /** Takes a new MODSEQ, higher than every one before in this mailbox. */
    public long nextModSeq() {
        return ++highestModSeq;
    }

    /** Fails with {@link StoreError#FAILURE} if {@code count} more UIDs would not fit in 32 bits. */
    public void checkUidSpace(int count) {
        if (uidNext + count - 1 > MAX_UID) {
            throw new StoreException(StoreError.FAILURE, "mailbox has run out of UIDs");
        }
    }

    /** Adds a message with the next UID; the blob reference is taken over by the mailbox. */
    public StoredMessage add(Blob blob, Flags flags, Instant internalDate, long modSeq) {
        long uid = uidNext++;
        StoredMessage m = new StoredMessage(new MessageMeta(uid, modSeq, blob.size(), internalDate, flags), blob);
        messages.put(uid, m);
        count(m, 1);
        return m;
    }

    public StoredMessage get(long uid) {
        return messages.get(uid);
    }

    /** Gives a message new flags and MODSEQ; returns the replacement. */
    public StoredMessage setFlags(StoredMessage old, Flags flags, long modSeq) {
        MessageMeta o = old.meta();
        StoredMessage m = new StoredMessage(new MessageMeta(o.uid(), modSeq, o.size(), o.internalDate(), flags),
                old.blob());
        count(old, -1);
        messages.put(o.uid(), m);
        count(m, 1);
        return m;
    }

    /** Removes a message; the caller releases its blob reference. Returns {@code null} if there was none. */
    public StoredMessage remove(long uid) {
        StoredMessage m = messages.remove(uid);
        if (m != null) {
            count(m, -1);
        }
        return m;
    }

    /** All messages, ascending by UID (a live view: copy before changing the mailbox). */
    public Collection<StoredMessage> all() {
        return messages.values();
    }

    public List<MessageMeta> metas() {
        List<MessageMeta> out = new ArrayList<>(messages.size());
        for (StoredMessage m : messages.values()) {
            out.add(m.meta());
        }
        return out;
    }

    public long totalSize() {
        return totalSize;
    }

    public MailboxInfo info(MailboxRef ref) {
        return new MailboxInfo(ref, uidValidity, uidNext, highestModSeq, messages.size(), unseen, deleted, totalSize,
                specialUse);
    }

    private void count(StoredMessage m, int sign) {
        Flags f = m.meta().flags();
        if (!f.contains(Flag.SEEN)) {
            unseen += sign;
        }
        if (f.contains(Flag.DELETED)) {
            deleted += sign;
        }
        totalSize += sign * m.meta().size();
    }
}
