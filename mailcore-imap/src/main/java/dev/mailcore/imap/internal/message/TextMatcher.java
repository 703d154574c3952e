package dev.mailcore.imap.internal.message;

/**
 * Finds a string in a stream of characters, case-insensitively (simple Unicode case folding), without keeping the
 * text: Knuth-Morris-Pratt over folded characters.
 */
final class TextMatcher {

    private final char[] needle;
    private final int[] failure;
    private int matched;

    TextMatcher(String needle) {
        this.needle = fold(needle).toCharArray();
        this.failure = new int[this.needle.length];
        for (int i = 1, k = 0; i < this.needle.length; i++) {
            while (k > 0 && this.needle[i] != this.needle[k]) {
                k = failure[k - 1];
            }
            if (this.needle[i] == this.needle[k]) {
                k++;
            }
            failure[i] = k;
        }
    }

    boolean isEmpty() {
        return needle.length == 0;
    }

    void reset() {
        matched = 0;
    }

    /** Feeds {@code n} characters; true once the needle has been seen. */
    boolean feed(char[] chars, int n) {
        int k = matched;
        char[] nd = needle;
        for (int i = 0; i < n; i++) {
            char c = fold(chars[i]);
            while (k > 0 && c != nd[k]) {
                k = failure[k - 1];
            }
            if (c == nd[k]) {
                k++;
                if (k == nd.length) {
                    matched = 0;
                    return true;
                }
            }
        }
        matched = k;
        return false;
    }

    /** True when {@code haystack} contains the needle. */
    boolean in(String haystack) {
        char[] nd = needle;
        if (nd.length == 0) {
            return true;
        }
        int k = 0;
        for (int i = 0, n = haystack.length(); i < n; i++) {
            char c = fold(haystack.charAt(i));
            while (k > 0 && c != nd[k]) {
                k = failure[k - 1];
            }
            if (c == nd[k]) {
                k++;
                if (k == nd.length) {
                    return true;
                }
            }
        }
        return false;
    }

    static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static String fold(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char f = fold(c);
            if (f != c && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(f);
            }
        }
        return b == null ? s : b.toString();
    }
}
