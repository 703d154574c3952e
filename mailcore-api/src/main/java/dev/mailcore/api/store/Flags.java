package dev.mailcore.api.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * System flags and keywords of a message. Immutable. Keywords are IMAP atoms; they compare case-insensitively as RFC
 * 9051 says, and keep the spelling first used.
 */
public record Flags(Set<Flag> system, Set<String> keywords) {

    public static final Flags NONE = new Flags(Set.of(), Set.of());

    public Flags {
        system = system.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(system));
        TreeSet<String> kw = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String k : keywords) {
            if (!isAtom(k)) {
                throw new IllegalArgumentException("invalid keyword: " + k);
            }
            kw.add(k);
        }
        keywords = Collections.unmodifiableSet(kw);
    }

    /** RFC 9051 atom: one or more ASCII characters except atom-specials; a leading backslash is a system flag. */
    private static boolean isAtom(String k) {
        if (k.isEmpty() || k.charAt(0) == '\\') {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c >= 127 || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    public static Flags of(Flag... flags) {
        return new Flags(flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags), Set.of());
    }

    public boolean contains(Flag flag) {
        return system.contains(flag);
    }

    public boolean containsKeyword(String keyword) {
        return keywords.contains(keyword);
    }

    public boolean isEmpty() {
        return system.isEmpty() && keywords.isEmpty();
    }

    /** These flags plus {@code other}'s. */
    public Flags plus(Flags other) {
        EnumSet<Flag> s = copy(system);
        s.addAll(other.system);
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        k.addAll(other.keywords);
        return new Flags(s, k);
    }

    /** These flags less {@code other}'s. */
    public Flags minus(Flags other) {
        EnumSet<Flag> s = copy(system);
        s.removeAll(other.system);
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        k.removeAll(other.keywords);
        return new Flags(s, k);
    }

    private static EnumSet<Flag> copy(Set<Flag> s) {
        return s.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(s);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Flags other)) {
            return false;
        }
        if (!system.equals(other.system) || keywords.size() != other.keywords.size()) {
            return false;
        }
        return keywords.containsAll(other.keywords);
    }

    @Override
    public int hashCode() {
        int h = system.hashCode();
        for (String k : keywords) {
            h += k.toLowerCase(java.util.Locale.ROOT).hashCode();
        }
        return h;
    }
}
