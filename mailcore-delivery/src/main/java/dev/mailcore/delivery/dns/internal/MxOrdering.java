package dev.mailcore.delivery.dns.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/** Orders MX records: ascending preference, random order among equal preferences (RFC 5321 §5.1). */
public final class MxOrdering {
    private MxOrdering() {
    }

    /** A new list sorted by {@code preference}, each run of equal preferences shuffled with {@code random}. */
    public static <T> List<T> order(List<T> records, ToIntFunction<T> preference, Random random) {
        List<T> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(preference));
        int start = 0;
        while (start < sorted.size()) {
            int end = start + 1;
            int pref = preference.applyAsInt(sorted.get(start));
            while (end < sorted.size() && preference.applyAsInt(sorted.get(end)) == pref) {
                end++;
            }
            if (end - start > 1) {
                Collections.shuffle(sorted.subList(start, end), random);
            }
            start = end;
        }
        return sorted;
    }
}
