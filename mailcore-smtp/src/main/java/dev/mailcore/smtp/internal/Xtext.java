package dev.mailcore.smtp.internal;

import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext: printable ASCII except {@code +} and {@code =}, with {@code +XX} hex escapes. */
final class Xtext {
    private Xtext() {
    }

    /** Decodes xtext; {@code null} when the text is not valid xtext. */
    static String decode(String text) {
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = hex(text.charAt(i + 1));
                int lo = hex(text.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out[n++] = (byte) c;
            } else {
                return null;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Encodes text as xtext (UTF-8 octets outside printable ASCII, {@code +} and {@code =} as {@code +XX}). */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                sb.append((char) c);
            } else {
                sb.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** RFC 3461 wants upper-case hex digits; lower case is accepted too (be liberal). */
    private static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
