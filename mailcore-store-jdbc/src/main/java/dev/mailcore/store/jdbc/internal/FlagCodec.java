package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Flags as the schema keeps them: system flags in a bit mask, keywords in one space-separated column. */
final class FlagCodec {
    static final int SEEN = 8;
    static final int DELETED = 4;

    private FlagCodec() {
    }

    static int bit(Flag f) {
        return switch (f) {
            case ANSWERED -> 1;
            case FLAGGED -> 2;
            case DELETED -> DELETED;
            case SEEN -> SEEN;
            case DRAFT -> 16;
        };
    }

    static int mask(Flags flags) {
        int m = 0;
        for (Flag f : flags.system()) {
            m |= bit(f);
        }
        return m;
    }

    static String keywords(Flags flags) {
        return String.join(" ", flags.keywords()); // sorted case-insensitively by Flags
    }

    static Flags decode(int mask, String keywords) {
        EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
        for (Flag f : Flag.values()) {
            if ((mask & bit(f)) != 0) {
                system.add(f);
            }
        }
        List<String> kw = keywords == null || keywords.isEmpty() ? List.of() : Arrays.asList(keywords.split(" "));
        return new Flags(system, Set.copyOf(kw));
    }
}
