package dev.mailcore.imap.internal.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lenient parsers for the structured MIME header fields (RFC 2045, RFC 2183, RFC 3282) with RFC 2231 parameter value
 * continuations and charsets. Nothing here throws on bad input: what cannot be parsed is left out.
 */
final class MimeFields {

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    private MimeFields() {
    }

    /** Reads {@code type/subtype; params} into the part; leaves the part untouched when there is no type. */
    static void contentType(String value, MimePart p) {
        Lexer l = new Lexer(value);
        l.skipCfws();
        String type = l.token();
        if (type.isEmpty()) {
            return;
        }
        p.type = type;
        l.skipCfws();
        if (l.peek() == '/') {
            l.pos++;
            l.skipCfws();
            String sub = l.token();
            p.subtype = sub.isEmpty() ? null : sub;
        }
        p.params = params(l);
    }

    /** Reads {@code disposition; params} into the part. */
    static void disposition(String value, MimePart p) {
        Lexer l = new Lexer(value);
        l.skipCfws();
        String d = l.token();
        if (d.isEmpty()) {
            return;
        }
        p.disposition = d;
        p.dispositionParams = params(l);
    }

    /** The first token of a field such as Content-Transfer-Encoding; null when there is none. */
    static String token(String value) {
        Lexer l = new Lexer(value);
        l.skipCfws();
        String t = l.token();
        return t.isEmpty() ? null : t;
    }

    /** Content-Language: a comma-separated list of tags; null when empty. */
    static String[] languages(String value) {
        Lexer l = new Lexer(value);
        List<String> out = new ArrayList<>(2);
        while (true) {
            l.skipCfws();
            String t = l.token();
            if (t.isEmpty()) {
                break;
            }
            out.add(t);
            l.skipCfws();
            if (l.peek() != ',') {
                break;
            }
            l.pos++;
        }
        return out.isEmpty() ? null : out.toArray(new String[0]);
    }

    /** {@code *(";" name "=" value)}, RFC 2231 sections joined and decoded; null when there are none. */
    static String[] params(Lexer l) {
        List<String[]> raw = new ArrayList<>(2);
        while (true) {
            l.skipCfws();
            if (l.atEnd()) {
                break;
            }
            if (l.peek() != ';') {
                // garbage: skip to the next parameter
                int semi = l.s.indexOf(';', l.pos);
                if (semi < 0) {
                    break;
                }
                l.pos = semi;
            }
            l.pos++;
            l.skipCfws();
            String name = l.token();
            l.skipCfws();
            if (name.isEmpty() || l.peek() != '=') {
                continue;
            }
            l.pos++;
            l.skipCfws();
            String value;
            if (l.peek() == '"') {
                value = l.quoted();
            } else {
                value = l.valueToken();
            }
            raw.add(new String[] {name, value});
        }
        if (raw.isEmpty()) {
            return null;
        }
        boolean extended = false;
        for (String[] r : raw) {
            if (r[0].indexOf('*') >= 0) {
                extended = true;
                break;
            }
        }
        if (!extended) {
            String[] out = new String[raw.size() * 2];
            for (int i = 0; i < raw.size(); i++) {
                out[2 * i] = raw.get(i)[0];
                out[2 * i + 1] = raw.get(i)[1];
            }
            return out;
        }
        return rfc2231(raw);
    }

    private static String[] rfc2231(List<String[]> raw) {
        // base name (lower case) -> display name and value or sections
        Map<String, Object[]> byName = new LinkedHashMap<>();
        for (String[] r : raw) {
            String name = r[0];
            int star = name.indexOf('*');
            String base = star < 0 ? name : name.substring(0, star);
            String key = base.toLowerCase(Locale.ROOT);
            Object[] entry = byName.computeIfAbsent(key, k -> new Object[] {base, null, new TreeMap<Integer, String[]>()});
            if (star < 0) {
                if (entry[1] == null) {
                    entry[1] = r[1];
                }
                continue;
            }
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*");
            if (encoded) {
                rest = rest.substring(0, rest.length() - 1);
            }
            int section = 0;
            if (!rest.isEmpty()) {
                try {
                    section = Integer.parseInt(rest);
                } catch (NumberFormatException e) {
                    continue;
                }
            } else if (!encoded) {
                // "name*" without a number is the encoded form; "name*" alone means encoded
                encoded = true;
            }
            @SuppressWarnings("unchecked")
            TreeMap<Integer, String[]> sections = (TreeMap<Integer, String[]>) entry[2];
            sections.putIfAbsent(section, new String[] {r[1], encoded ? "*" : ""});
        }
        List<String> out = new ArrayList<>();
        for (Object[] entry : byName.values()) {
            @SuppressWarnings("unchecked")
            TreeMap<Integer, String[]> sections = (TreeMap<Integer, String[]>) entry[2];
            out.add((String) entry[0]);
            if (sections.isEmpty()) {
                out.add((String) entry[1]);
                continue;
            }
            Charset charset = null;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            boolean first = true;
            int expected = 0;
            for (Map.Entry<Integer, String[]> e : sections.entrySet()) {
                if (e.getKey() != expected) {
                    break; // a gap ends the value (RFC 2231 §3)
                }
                expected++;
                String v = e.getValue()[0];
                boolean enc = !e.getValue()[1].isEmpty();
                if (first && enc) {
                    int q1 = v.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                    if (q2 > 0) {
                        charset = charset(v.substring(0, q1));
                        v = v.substring(q2 + 1);
                    }
                }
                first = false;
                if (enc) {
                    percentDecode(v, bytes);
                } else {
                    byte[] b = v.getBytes(StandardCharsets.UTF_8);
                    bytes.write(b, 0, b.length);
                }
            }
            out.add(new String(bytes.toByteArray(), charset == null ? StandardCharsets.UTF_8 : charset));
        }
        return out.toArray(new String[0]);
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length()) {
                int hi = Character.digit(v.charAt(i + 1), 16);
                int lo = Character.digit(v.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
    }

    /** A charset by name; null when unknown. */
    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Charset.forName(name.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A cursor over a structured header value. */
    static final class Lexer {
        final String s;
        int pos;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        /** Skips white space and (nested) comments. */
        void skipCfws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '(') {
                    comment();
                } else {
                    return;
                }
            }
        }

        /** Reads a comment at {@code (} and returns its text. */
        String comment() {
            StringBuilder b = new StringBuilder();
            pos = readComment(s, pos, b);
            return b.toString();
        }

        /**
         * Reads the (possibly nested) comment that opens at {@code s.charAt(at)}, appending its text without the outer
         * parentheses and with quoted pairs resolved to {@code text}; returns the index after the closing parenthesis
         * (or the end of {@code s} when it is missing).
         */
        static int readComment(String s, int at, StringBuilder text) {
            int pos = at;
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    text.append(s.charAt(pos++));
                    continue;
                }
                if (c == '(') {
                    if (depth++ > 0) {
                        text.append(c);
                    }
                } else if (c == ')') {
                    if (--depth == 0) {
                        break;
                    }
                    text.append(c);
                } else {
                    text.append(c);
                }
            }
            return pos;
        }

        /** A MIME token (RFC 2045): no controls, space or tspecials. */
        String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c <= ' ' || c == 0x7f || TSPECIALS.indexOf(c) >= 0) {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        /** A parameter value that is not quoted: lenient, up to white space or ';'. */
        String valueToken() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '(') {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        /** A quoted string at {@code "}, unescaped; an unterminated one runs to the end. */
        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                } else if (c == '\r' || c == '\n') {
                    continue;
                }
                b.append(c);
            }
            return b.toString();
        }
    }
}
