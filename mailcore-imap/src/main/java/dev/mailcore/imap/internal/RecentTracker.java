package dev.mailcore.imap.internal;

import dev.mailcore.api.store.MailboxRef;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IMAP4rev1 {@code \Recent} (RFC 3501 §2.3.2), which the store does not keep: per mailbox and UIDVALIDITY, the highest
 * UID some session has already been told about. The first session that selects a mailbox (read-write) after a message
 * arrived claims it as recent; every other session sees it as not recent. One tracker serves all sessions of a
 * protocol instance. Thread-safe.
 */
public final class RecentTracker {
    private final Map<String, AtomicLong> highestClaimed = new ConcurrentHashMap<>();

    /** The claim handle of one mailbox incarnation. */
    Claim claim(MailboxRef ref, long uidValidity) {
        return new Claim(highestClaimed.computeIfAbsent(key(ref, uidValidity), k -> new AtomicLong()));
    }

    /** The UID above which messages are still unclaimed, without claiming (EXAMINE, STATUS). */
    long peek(MailboxRef ref, long uidValidity) {
        AtomicLong v = highestClaimed.get(key(ref, uidValidity));
        return v == null ? 0 : v.get();
    }

    /** Mailbox names are case-sensitive; only INBOX is not, and {@link MailboxRef} already spells it INBOX. */
    private static String key(MailboxRef ref, long uidValidity) {
        return ref.userKey() + '\0' + ref.name() + '\0' + uidValidity;
    }

    /** Claims for one mailbox. */
    static final class Claim {
        private final AtomicLong highest;

        Claim(AtomicLong highest) {
            this.highest = highest;
        }

        /** Claims every UID up to {@code uid}; returns the previous highest claimed UID. */
        long claimUpTo(long uid) {
            return highest.getAndAccumulate(uid, Math::max);
        }

        /** Claims one new UID; true when this session is the first to see it. */
        boolean claim(long uid) {
            return claimUpTo(uid) < uid;
        }
    }
}
