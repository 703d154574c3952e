package dev.mailcore.imap.internal.message;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongPredicate;

/**
 * What a SEARCH needs besides the messages.
 *
 * @param maxSequence the number of messages in the session's view ({@code *} in sequence sets)
 * @param maxUid      the highest UID in the view ({@code *} in UID sets; UIDNEXT-1 when empty)
 * @param savedUids   membership in the saved search result ({@code $}, RFC 5182); never null
 * @param now         the current time (OLDER/YOUNGER)
 * @param zone        the zone in which internal dates are compared with BEFORE/ON/SINCE
 */
public record SearchContext(long maxSequence, long maxUid, LongPredicate savedUids, Instant now, ZoneId zone) {
}
