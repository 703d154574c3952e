package dev.mailcore.imap.internal;

import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.imap.internal.command.SequenceSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The selected mailbox as one session sees it (RFC 9051 §2.3.1.2): message sequence numbers mapped to UIDs, the MODSEQ
 * each message had when the client last heard about it (to tell which flag changes are news), the session's {@code
 * \Recent} messages and the keywords announced in {@code FLAGS}. Store events are queued here and turned into untagged
 * responses only when the session says it may send them. Two {@code long}s per message, no object per message.
 * Confined to the session's event loop (the SPI executor reads it only while the session waits for it).
 */
final class MailboxView {
    final MailboxRef ref;
    final long uidValidity;
    final boolean readOnly;
    private long[] uids = new long[16];
    private long[] modSeqs = new long[16];
    private int count;
    private final BitSet recent = new BitSet();
    long uidNext;
    long highestModSeq;
    /** Keywords the client was told about in FLAGS (case-insensitive). */
    final Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Store events not yet reported, in arrival order. */
    private final ArrayDeque<StoreEvent> pending = new ArrayDeque<>();
    /** Claims \Recent for new messages; null for EXAMINE. */
    private final RecentTracker.Claim recentClaim;

    MailboxView(MailboxRef ref, long uidValidity, boolean readOnly, RecentTracker.Claim recentClaim) {
        this.ref = ref;
        this.uidValidity = uidValidity;
        this.readOnly = readOnly;
        this.recentClaim = recentClaim;
    }

    /** Fills the view from a snapshot; {@code recentAbove}: UIDs above it are \Recent for this session. */
    void load(MailboxInfo info, List<MessageMeta> messages, long recentAbove) {
        ensure(messages.size());
        count = 0;
        for (MessageMeta m : messages) {
            uids[count] = m.uid();
            modSeqs[count] = m.modSeq();
            if (m.uid() > recentAbove) {
                recent.set(count);
            }
            keywords.addAll(m.flags().keywords());
            count++;
        }
        uidNext = Math.max(info.uidNext(), count == 0 ? 1 : uids[count - 1] + 1);
        highestModSeq = info.highestModSeq();
    }

    int count() {
        return count;
    }

    long uidAt(int msn) {
        return uids[msn - 1];
    }

    long modSeqAt(int msn) {
        return modSeqs[msn - 1];
    }

    boolean isRecent(int msn) {
        return recent.get(msn - 1);
    }

    int recentCount() {
        return recent.cardinality();
    }

    long maxUid() {
        return count == 0 ? Math.max(0, uidNext - 1) : uids[count - 1];
    }

    /** The sequence number of {@code uid}, or 0 when it is not in the view. */
    int msnOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : 0;
    }

    /** Records that the client saw this message's state (after a STORE or an implicit \Seen). */
    void seen(long uid, long modSeq) {
        int msn = msnOf(uid);
        if (msn > 0 && modSeq > modSeqs[msn - 1]) {
            modSeqs[msn - 1] = modSeq;
        }
        highestModSeq = Math.max(highestModSeq, modSeq);
    }

    /** Removes one message (its EXPUNGE was sent); returns its former sequence number or 0. */
    int remove(long uid) {
        int msn = msnOf(uid);
        if (msn == 0) {
            return 0;
        }
        int i = msn - 1;
        System.arraycopy(uids, i + 1, uids, i, count - i - 1);
        System.arraycopy(modSeqs, i + 1, modSeqs, i, count - i - 1);
        for (int j = i; j < count - 1; j++) {
            recent.set(j, recent.get(j + 1));
        }
        recent.clear(count - 1);
        count--;
        return msn;
    }

    private void add(long uid, long modSeq, boolean isRecent) {
        ensure(count + 1);
        uids[count] = uid;
        modSeqs[count] = modSeq;
        if (isRecent) {
            recent.set(count);
        }
        count++;
        uidNext = Math.max(uidNext, uid + 1);
    }

    private void ensure(int size) {
        if (size > uids.length) {
            int n = Math.max(size, uids.length * 2);
            uids = Arrays.copyOf(uids, n);
            modSeqs = Arrays.copyOf(modSeqs, n);
        }
    }

    /** Queues a store event of this mailbox. */
    void enqueue(StoreEvent event) {
        pending.add(event);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The UIDs of messages in sequence order whose numbers are in {@code set} ({@code *} = the last). */
    long[] uidsForSequences(SequenceSet set) {
        long[] out = new long[Math.min(count, 1024)];
        int n = 0;
        BitSet hit = new BitSet(count);
        for (SequenceSet.Range r : set.ranges()) {
            long lo = r.low(count);
            long hi = Math.min(r.high(count), count);
            for (long i = lo; i <= hi; i++) {
                hit.set((int) i - 1);
            }
        }
        for (int i = hit.nextSetBit(0); i >= 0; i = hit.nextSetBit(i + 1)) {
            if (n == out.length) {
                out = Arrays.copyOf(out, Math.max(16, n * 2));
            }
            out[n++] = uids[i];
        }
        return Arrays.copyOf(out, n);
    }

    /** Whether every sequence number in {@code set} exists ({@code *} counts as the last message). */
    boolean validSequences(SequenceSet set) {
        for (SequenceSet.Range r : set.ranges()) {
            if (count == 0 || r.high(count) > count) {
                return false;
            }
        }
        return true;
    }

    /** The UIDs in the view that are in {@code set} (a UID set; {@code *} = the highest UID), ascending. */
    long[] uidsForUidSet(SequenceSet set) {
        long max = maxUid();
        long[] out = new long[Math.min(count, 1024)];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (set.contains(uids[i], max)) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, Math.max(16, n * 2));
                }
                out[n++] = uids[i];
            }
        }
        // "n:*" with n above the highest UID still means the last message (RFC 9051 §6.4.8)
        if (n == 0 && count > 0) {
            for (SequenceSet.Range r : set.ranges()) {
                if ((r.from() == SequenceSet.STAR || r.to() == SequenceSet.STAR)) {
                    return new long[]{uids[count - 1]};
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Turns queued events into untagged responses.
     *
     * @param expunges whether EXPUNGE/VANISHED may be sent now; when false, expunge events stay queued
     * @param out      receives the response lines
     */
    void drain(boolean expunges, Reporter out) {
        if (pending.isEmpty()) {
            return;
        }
        ArrayDeque<StoreEvent> deferred = new ArrayDeque<>();
        boolean existsDirty = false;
        List<Long> vanished = new ArrayList<>();
        while (!pending.isEmpty()) {
            StoreEvent event = pending.poll();
            if (event instanceof StoreEvent.MessagesAdded) {
                StoreEvent.MessagesAdded added = (StoreEvent.MessagesAdded) event;
                if (added.uidValidity() != uidValidity) {
                    continue;
                }
                boolean newKeywords = false;
                for (MessageMeta m : added.messages()) {
                    if (m.uid() > maxUidInView()) {
                        boolean isRecent = recentClaim != null && recentClaim.claim(m.uid());
                        add(m.uid(), m.modSeq(), isRecent);
                        highestModSeq = Math.max(highestModSeq, m.modSeq());
                        existsDirty = true;
                        newKeywords |= keywords.addAll(m.flags().keywords());
                    }
                }
                if (newKeywords) {
                    out.flags(keywords);
                }
            } else if (event instanceof StoreEvent.FlagsChanged) {
                StoreEvent.FlagsChanged changed = (StoreEvent.FlagsChanged) event;
                if (changed.uidValidity() != uidValidity) {
                    continue;
                }
                for (MessageMeta m : changed.messages()) {
                    int msn = msnOf(m.uid());
                    highestModSeq = Math.max(highestModSeq, m.modSeq());
                    if (msn == 0 || m.modSeq() <= modSeqs[msn - 1]) {
                        continue;
                    }
                    modSeqs[msn - 1] = m.modSeq();
                    if (keywords.addAll(m.flags().keywords())) {
                        out.flags(keywords);
                    }
                    out.flagsChanged(msn, m.uid(), m.flags(), m.modSeq(), recent.get(msn - 1));
                }
            } else if (event instanceof StoreEvent.MessagesExpunged) {
                StoreEvent.MessagesExpunged gone = (StoreEvent.MessagesExpunged) event;
                if (gone.uidValidity() != uidValidity) {
                    continue;
                }
                if (!expunges) {
                    deferred.add(event);
                    continue;
                }
                if (existsDirty) {
                    out.exists(count, recentCount());
                    existsDirty = false;
                }
                highestModSeq = Math.max(highestModSeq, gone.modSeq());
                for (long uid : gone.uids()) {
                    if (out.vanishedMode()) {
                        if (remove(uid) > 0) {
                            vanished.add(uid);
                        }
                    } else {
                        int msn = remove(uid);
                        if (msn > 0) {
                            out.expunged(msn);
                        }
                    }
                }
            }
        }
        if (!vanished.isEmpty()) {
            out.vanished(vanished);
        }
        if (existsDirty) {
            out.exists(count, recentCount());
        }
        pending.addAll(deferred);
    }

    private long maxUidInView() {
        return count == 0 ? 0 : uids[count - 1];
    }

    /** Where {@link #drain} sends what it finds. */
    interface Reporter {
        void exists(int exists, int recent);

        void expunged(int msn);

        /** True when the client enabled QRESYNC: expunges are reported with {@link #vanished}. */
        boolean vanishedMode();

        void vanished(List<Long> uids);

        void flagsChanged(int msn, long uid, Flags flags, long modSeq, boolean recent);

        /** New keywords appeared: send FLAGS and PERMANENTFLAGS. */
        void flags(Set<String> keywords);
    }
}
