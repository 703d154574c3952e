package dev.mailcore.delivery.smtp.internal;

import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext encoding, for {@code ENVID=}. */
public final class Xtext {
    private Xtext() {
    }

    /** Encodes {@code +}, {@code =}, controls, space and non-ASCII (as UTF-8 bytes) as {@code +HH}. */
    public static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                sb.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
