package dev.mailcore.imap.internal.message;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What a SEARCH needs besides the messages.
 *
 * @param maxSequence the number of messages in the session's view ({@code *} in sequence sets)
 * @param maxUid      the highest UID in the view ({@code *} in UID sets; UIDNEXT-1 when empty)
 * @param savedUids   membership in the saved search result ({@code $}, RFC 5182); never null
 * @param now         the current time (OLDER/YOUNGER)
 * @param zone        the zone in which internal dates are compared with BEFORE/ON/SINCE
 * @param matchers    text matchers made so far in this search, by needle
 */
public record SearchContext(long maxSequence, long maxUid, LongPredicate savedUids, Instant now, ZoneId zone,
                            Map<String, TextMatcher> matchers) {

    /** A context with its own (empty) cache of text matchers: one per search, used by one thread. */
    public SearchContext(long maxSequence, long maxUid, LongPredicate savedUids, Instant now, ZoneId zone) {
        this(maxSequence, maxUid, savedUids, now, zone, new HashMap<>());
    }

    /** The matcher for {@code needle}, made once per search rather than once per message. */
    TextMatcher matcher(String needle) {
        return matchers.computeIfAbsent(needle, TextMatcher::new);
    }
}
