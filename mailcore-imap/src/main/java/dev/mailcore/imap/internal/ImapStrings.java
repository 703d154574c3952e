package dev.mailcore.imap.internal;

import java.nio.charset.StandardCharsets;

/** Writing IMAP strings (RFC 9051 §4.3): atoms, quoted strings, literals, NIL. Used by every response writer. */
public final class ImapStrings {

    private ImapStrings() {
    }

    /**
     * {@code s} as an IMAP string: quoted when it has only characters a quoted string may hold, a literal {@code
     * {n}CRLF...} otherwise (CR, LF, NUL, or 8-bit when {@code utf8} is false). {@code null} becomes {@code NIL}.
     *
     * @param utf8 true when the client enabled UTF8=ACCEPT or IMAP4rev2 (8-bit text may be quoted)
     */
    public static String string(String s, boolean utf8) {
        if (s == null) {
            return "NIL";
        }
        if (quotable(s, utf8)) {
            return quote(s);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return "{" + bytes.length + "}\r\n" + s;
    }

    /** {@code s} as an astring: a bare atom when it is one (and not NIL), else as {@link #string}. */
    public static String astring(String s, boolean utf8) {
        if (s != null && isAtom(s) && !s.equalsIgnoreCase("NIL")) {
            return s;
        }
        return string(s, utf8);
    }

    /** {@code "s"} with {@code \} and {@code "} escaped; the caller checked {@link #quotable}. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    /** True when {@code s} may be written as a quoted string. */
    public static boolean quotable(String s, boolean utf8) {
        if (s.length() > 1000) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || (!utf8 && c > 0x7e) || (c < 0x20 && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} is a non-empty IMAP atom (no specials, controls, space or 8-bit). */
    public static boolean isAtom(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
