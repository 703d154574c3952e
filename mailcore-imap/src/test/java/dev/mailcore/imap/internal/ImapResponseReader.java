package dev.mailcore.imap.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads IMAP response data as a test sees it: atoms and numbers become {@link String}s, quoted strings {@link Quoted},
 * literals {@code byte[]}, NIL {@code null} and parenthesized lists {@link List}s.
 */
final class ImapResponseReader {
    /** A quoted string (kept apart from atoms so that {@code "NIL"} is not NIL). */
    record Quoted(String value) {
    }

    private final byte[] data;
    private int pos;

    private ImapResponseReader(byte[] data, int pos) {
        this.data = data;
        this.pos = pos;
    }

    /**
     * The items of the first {@code * n FETCH (...)} response in {@code response}, by name ({@code BODY[1.MIME]},
     * {@code BODY[]<5>}, {@code BODYSTRUCTURE}…).
     */
    static Map<String, Object> fetchItems(byte[] response) {
        String head = new String(response, 0, Math.min(response.length, 64), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("* ") || !head.contains(" FETCH (")) {
            throw new AssertionError("not a FETCH response: " + new String(response, StandardCharsets.UTF_8));
        }
        ImapResponseReader r = new ImapResponseReader(response, head.indexOf(" FETCH (") + 7);
        Object list = r.value();
        if (!(list instanceof List<?> items) || items.size() % 2 != 0) {
            throw new AssertionError("bad FETCH item list: " + new String(response, StandardCharsets.UTF_8));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            Object previous = map.put((String) items.get(i), items.get(i + 1));
            if (previous != null) {
                throw new AssertionError("item " + items.get(i) + " twice");
            }
        }
        return map;
    }

    /** One value: an atom, a number, a quoted string, a literal, NIL or a list. */
    static Object parse(String text) {
        return new ImapResponseReader(text.getBytes(StandardCharsets.UTF_8), 0).value();
    }

    private Object value() {
        byte c = data[pos];
        if (c == '(') {
            pos++;
            List<Object> list = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (data[pos] == ')') {
                    pos++;
                    return list;
                }
                list.add(value());
            }
        }
        if (c == '"') {
            pos++;
            StringBuilder b = new StringBuilder();
            int start = pos;
            while (data[pos] != '"') {
                if (data[pos] == '\\') {
                    b.append(new String(data, start, pos - start, StandardCharsets.UTF_8));
                    b.append((char) data[pos + 1]);
                    pos += 2;
                    start = pos;
                } else {
                    pos++;
                }
            }
            b.append(new String(data, start, pos - start, StandardCharsets.UTF_8));
            pos++;
            return new Quoted(b.toString());
        }
        if (c == '{' || (c == '~' && data[pos + 1] == '{')) {
            int close = pos;
            while (data[close] != '}') {
                close++;
            }
            int open = c == '~' ? pos + 2 : pos + 1;
            int size = Integer.parseInt(new String(data, open, close - open, StandardCharsets.US_ASCII));
            if (data[close + 1] != '\r' || data[close + 2] != '\n') {
                throw new AssertionError("literal header without CRLF at " + pos);
            }
            int from = close + 3;
            byte[] out = new byte[size];
            System.arraycopy(data, from, out, 0, size);
            pos = from + size;
            return out;
        }
        int start = pos;
        int brackets = 0;
        while (pos < data.length) {
            byte b = data[pos];
            if (b == '[') {
                brackets++;
            } else if (b == ']') {
                brackets--;
            } else if (brackets == 0 && (b == ' ' || b == ')' || b == '(' || b == '\r')) {
                break;
            }
            pos++;
        }
        String atom = new String(data, start, pos - start, StandardCharsets.UTF_8);
        if (atom.isEmpty()) {
            throw new AssertionError("empty atom at " + start);
        }
        return atom.equals("NIL") ? null : atom;
    }

    private void skipSpaces() {
        while (data[pos] == ' ') {
            pos++;
        }
    }
}
