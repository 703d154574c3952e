package dev.mailcore.imap.internal;

import java.util.Arrays;
import java.util.Collection;

/** Writing numbers as IMAP sequence sets ({@code 1:3,7,9:10}). */
final class Sets {
    private Sets() {
    }

    /** The numbers (any order, duplicates allowed) as a compact set, ascending; empty string for none. */
    static String format(Collection<Long> numbers) {
        long[] a = new long[numbers.size()];
        int i = 0;
        for (Long n : numbers) {
            a[i++] = n;
        }
        return format(a);
    }

    static String format(long[] numbers) {
        long[] a = numbers.clone();
        Arrays.sort(a);
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < a.length) {
            long start = a[i];
            long end = start;
            while (i + 1 < a.length && (a[i + 1] == end + 1 || a[i + 1] == end)) {
                end = a[++i];
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(start);
            if (end != start) {
                b.append(':').append(end);
            }
            i++;
        }
        return b.toString();
    }

    /** The numbers in the given order (COPYUID keeps the pairing of source and target), ranges where they ascend. */
    static String formatOrdered(Collection<Long> numbers) {
        StringBuilder b = new StringBuilder();
        long start = -1;
        long end = -1;
        for (long n : numbers) {
            if (start >= 0 && n == end + 1) {
                end = n;
                continue;
            }
            if (start >= 0) {
                append(b, start, end);
            }
            start = n;
            end = n;
        }
        if (start >= 0) {
            append(b, start, end);
        }
        return b.toString();
    }

    private static void append(StringBuilder b, long start, long end) {
        if (b.length() > 0) {
            b.append(',');
        }
        b.append(start);
        if (end != start) {
            b.append(':').append(end);
        }
    }
}
