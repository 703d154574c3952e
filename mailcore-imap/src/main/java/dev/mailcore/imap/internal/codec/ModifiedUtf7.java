package dev.mailcore.imap.internal.codec;

/**
 * The modified UTF-7 encoding of IMAP4rev1 mailbox names (RFC 3501 §5.1.3): printable US-ASCII except {@code &}
 * stands for itself, {@code &} is {@code &-}, and every other run of characters is {@code &}, the modified BASE64
 * (with {@code ,} for {@code /}, no padding) of its UTF-16BE form, and {@code -}.
 */
public final class ModifiedUtf7 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** A name that is not valid modified UTF-7. */
    public static final class MalformedNameException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedNameException(String message) {
            super(message);
        }
    }

    /** Encodes {@code name} (any Unicode text) to modified UTF-7. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char ch = name.charAt(i);
            if (ch >= 0x20 && ch <= 0x7e) {
                out.append(ch == '&' ? "&-" : String.valueOf(ch));
                i++;
                continue;
            }
            int end = i;
            while (end < name.length() && (name.charAt(end) < 0x20 || name.charAt(end) > 0x7e)) {
                end++;
            }
            out.append('&');
            int bits = 0;
            int bitCount = 0;
            for (int k = i; k < end; k++) {
                bits = (bits << 16) | name.charAt(k);
                bitCount += 16;
                while (bitCount >= 6) {
                    bitCount -= 6;
                    out.append(ALPHABET[(bits >>> bitCount) & 0x3f]);
                }
            }
            if (bitCount > 0) {
                out.append(ALPHABET[(bits << (6 - bitCount)) & 0x3f]);
            }
            out.append('-');
            i = end;
        }
        return out.toString();
    }

    /**
     * Decodes a modified UTF-7 name.
     *
     * @throws MalformedNameException when {@code encoded} is not valid modified UTF-7: characters outside printable
     *                                US-ASCII, an unterminated or empty shift, bad BASE64, non-zero padding bits, an
     *                                odd number of octets, a lone surrogate, printable ASCII encoded in BASE64, or
     *                                two adjacent shifts
     */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        boolean lastWasShift = false;
        while (i < encoded.length()) {
            char ch = encoded.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                throw new MalformedNameException("Mailbox name is not 7-bit printable (modified UTF-7)");
            }
            if (ch != '&') {
                out.append(ch);
                lastWasShift = false;
                i++;
                continue;
            }
            int dash = encoded.indexOf('-', i + 1);
            if (dash < 0) {
                throw new MalformedNameException("Unterminated modified UTF-7 shift");
            }
            if (dash == i + 1) {
                out.append('&');
                lastWasShift = false;
                i = dash + 1;
                continue;
            }
            if (lastWasShift) {
                throw new MalformedNameException("Adjacent modified UTF-7 shifts");
            }
            decodeRun(encoded, i + 1, dash, out);
            lastWasShift = true;
            i = dash + 1;
        }
        return out.toString();
    }

    private static void decodeRun(String s, int from, int to, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        int start = out.length();
        for (int k = from; k < to; k++) {
            char ch = s.charAt(k);
            int v = ch < 128 ? VALUES[ch] : -1;
            if (v < 0) {
                throw new MalformedNameException("Invalid modified BASE64 character '" + (ch > 0x20 && ch < 0x7f
                        ? String.valueOf(ch) : "?") + "'");
            }
            bits = (bits << 6) | v;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                out.append((char) ((bits >>> bitCount) & 0xffff));
            }
        }
        if (bitCount >= 6 || (bits & ((1 << bitCount) - 1)) != 0) {
            throw new MalformedNameException("Invalid modified BASE64 padding");
        }
        if (out.length() == start) {
            throw new MalformedNameException("Empty modified UTF-7 shift");
        }
        for (int k = start; k < out.length(); k++) {
            char c = out.charAt(k);
            if (c >= 0x20 && c <= 0x7e) {
                throw new MalformedNameException("Printable ASCII encoded in modified BASE64");
            }
            if (Character.isHighSurrogate(c)) {
                if (k + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(k + 1))) {
                    throw new MalformedNameException("Unpaired surrogate in modified UTF-7");
                }
                k++;
            } else if (Character.isLowSurrogate(c)) {
                throw new MalformedNameException("Unpaired surrogate in modified UTF-7");
            }
        }
    }
}
