package dev.mailcore.imap.internal.command;

import java.util.List;

/**
 * An IMAP sequence-set (RFC 9051 §9 {@code sequence-set}) of message sequence numbers or UIDs, as written by the
 * client: ranges in the order given, {@code *} kept symbolic until resolved against the mailbox. {@code $} (RFC 5182
 * SEARCHRES, the saved search result) is {@link #saved()}.
 *
 * @param ranges the ranges in the order written; empty only when {@code saved}
 * @param saved  true for {@code $}
 */
public record SequenceSet(List<Range> ranges, boolean saved) {

    /** Stands for {@code *}: the largest number in use (or the UIDNEXT-1 / message count when the mailbox is empty). */
    public static final long STAR = Long.MAX_VALUE;

    /** The {@code $} set. */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() != saved) {
            throw new IllegalArgumentException("a sequence set has ranges, or is $");
        }
    }

    public static SequenceSet of(Range... ranges) {
        return new SequenceSet(List.of(ranges), false);
    }

    /**
     * One range {@code from:to} or a single number ({@code from == to}); either end may be {@link #STAR}. The ends are
     * as written: {@code 5:2} and {@code 2:5} mean the same.
     */
    public record Range(long from, long to) {
        public Range {
            if (from < 1 || to < 1) {
                throw new IllegalArgumentException("sequence numbers start at 1");
            }
        }

        public static Range single(long n) {
            return new Range(n, n);
        }

        /** The lower end once {@code *} is replaced by {@code max}. */
        public long low(long max) {
            return Math.min(resolve(from, max), resolve(to, max));
        }

        /** The upper end once {@code *} is replaced by {@code max}. */
        public long high(long max) {
            return Math.max(resolve(from, max), resolve(to, max));
        }

        private static long resolve(long n, long max) {
            return n == STAR ? max : n;
        }
    }

    /** True when {@code n} is in the set, {@code *} standing for {@code max}. Not for {@code $}. */
    public boolean contains(long n, long max) {
        for (Range r : ranges) {
            if (n >= r.low(max) && n <= r.high(max)) {
                return true;
            }
        }
        return false;
    }
}
