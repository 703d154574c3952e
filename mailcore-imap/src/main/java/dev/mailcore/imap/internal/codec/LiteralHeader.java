package dev.mailcore.imap.internal.codec;

/**
 * A literal announced at the end of a line: {@code {n}}, {@code {n+}} (non-synchronising, RFC 7888) or {@code ~{n}}
 * ({@code literal8}, RFC 3516).
 *
 * @param size    the octet count; {@link Long#MAX_VALUE} when the number does not fit
 * @param nonSync true for {@code {n+}}
 * @param binary  true for {@code ~{...}}
 * @param start   index in the line where the header starts ({@code ~} or <code>{</code>)
 */
record LiteralHeader(long size, boolean nonSync, boolean binary, int start) {

    /** The literal header ending {@code line}, or null when the line does not end with one. */
    static LiteralHeader find(CharSequence line) {
        int n = line.length();
        if (n < 3 || line.charAt(n - 1) != '}') {
            return null;
        }
        int i = n - 2;
        boolean nonSync = false;
        if (line.charAt(i) == '+') {
            nonSync = true;
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i--;
        }
        int digitsStart = i + 1;
        if (i < 0 || line.charAt(i) != '{' || digitsStart == digitsEnd) {
            return null;
        }
        long size = 0;
        for (int k = digitsStart; k < digitsEnd; k++) {
            int d = line.charAt(k) - '0';
            if (size > (Long.MAX_VALUE - d) / 10) {
                size = Long.MAX_VALUE;
                break;
            }
            size = size * 10 + d;
        }
        boolean binary = i > 0 && line.charAt(i - 1) == '~';
        return new LiteralHeader(size, nonSync, binary, binary ? i - 1 : i);
    }
}
