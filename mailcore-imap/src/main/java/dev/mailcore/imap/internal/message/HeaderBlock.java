package dev.mailcore.imap.internal.message;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw bytes of a message header (without the blank line that ends it) and an index of its fields. Field names
 * compare case-insensitively; values are UTF-8 (8-bit headers, RFC 6532) with anything undecodable replaced.
 */
final class HeaderBlock {

    static final HeaderBlock EMPTY = new HeaderBlock(new byte[0], 0);

    private final byte[] raw;
    /** Per field: start of the name, end of the name, start of the value (after the colon), end (after the last line terminator). */
    private final int[] starts;
    private final int[] nameEnds;
    private final int[] valueStarts;
    private final int[] ends;

    HeaderBlock(byte[] raw, int length) {
        this.raw = length == raw.length ? raw : Arrays.copyOf(raw, length);
        int[] s = new int[16];
        int[] ne = new int[16];
        int[] v = new int[16];
        int[] e = new int[16];
        int count = 0;
        int pos = 0;
        int len = this.raw.length;
        byte[] b = this.raw;
        while (pos < len) {
            int lineEnd = lineEnd(b, pos, len);
            byte c = b[pos];
            if ((c == ' ' || c == '\t') && count > 0 && e[count - 1] == pos) {
                e[count - 1] = lineEnd; // continuation of the previous field
            } else {
                int colon = -1;
                for (int i = pos; i < lineEnd; i++) {
                    byte x = b[i];
                    if (x == ':') {
                        colon = i;
                        break;
                    }
                    if (x == '\r' || x == '\n') {
                        break;
                    }
                }
                if (colon > pos) {
                    int nameEnd = colon;
                    while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                        nameEnd--;
                    }
                    if (nameEnd > pos && (c != ' ' && c != '\t')) {
                        if (count == s.length) {
                            s = Arrays.copyOf(s, count * 2);
                            ne = Arrays.copyOf(ne, count * 2);
                            v = Arrays.copyOf(v, count * 2);
                            e = Arrays.copyOf(e, count * 2);
                        }
                        s[count] = pos;
                        ne[count] = nameEnd;
                        v[count] = colon + 1;
                        e[count] = lineEnd;
                        count++;
                    }
                }
                // a line without a colon is kept in the raw bytes but belongs to no field
            }
            pos = lineEnd;
        }
        this.starts = Arrays.copyOf(s, count);
        this.nameEnds = Arrays.copyOf(ne, count);
        this.valueStarts = Arrays.copyOf(v, count);
        this.ends = Arrays.copyOf(e, count);
    }

    private static int lineEnd(byte[] b, int pos, int len) {
        for (int i = pos; i < len; i++) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return len;
    }

    int count() {
        return starts.length;
    }

    String name(int i) {
        return new String(raw, starts[i], nameEnds[i] - starts[i], StandardCharsets.UTF_8);
    }

    /** True when field {@code i}'s name starts with {@code prefix} (ASCII case-insensitive). */
    boolean nameStartsWith(int i, String prefix) {
        int from = starts[i];
        if (nameEnds[i] - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            int a = raw[from + k];
            int c = prefix.charAt(k);
            if (a != c && (a | 0x20) != (c | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** True when field {@code i} is called {@code name} (ASCII case-insensitive). */
    boolean nameIs(int i, String name) {
        int from = starts[i];
        int len = nameEnds[i] - from;
        if (len != name.length()) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            int a = raw[from + k];
            int c = name.charAt(k);
            if (a != c) {
                if (a >= 'A' && a <= 'Z') {
                    a += 32;
                }
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (a != c) {
                    return false;
                }
            }
        }
        return true;
    }

    byte[] raw() {
        return raw;
    }

    /** The value with CR and LF removed and leading white space skipped (Dovecot's ENVELOPE form), still encoded. */
    String rawValue(int i) {
        int from = valueStarts[i];
        int to = ends[i];
        while (from < to && (raw[from] == ' ' || raw[from] == '\t')) {
            from++;
        }
        boolean ascii = true;
        boolean lineBreaks = false;
        for (int k = from; k < to; k++) {
            byte x = raw[k];
            if (x < 0) {
                ascii = false;
            } else if (x == '\r' || x == '\n') {
                lineBreaks = true;
            }
        }
        byte[] src = raw;
        int off = from;
        int len = to - from;
        if (lineBreaks) {
            src = new byte[len];
            int j = 0;
            for (int k = from; k < to; k++) {
                byte x = raw[k];
                if (x != '\r' && x != '\n') {
                    src[j++] = x;
                }
            }
            off = 0;
            len = j;
        }
        return new String(src, off, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** The first field called {@code name}, raw (see {@link #rawValue}); null when absent. */
    String first(String name) {
        for (int i = 0; i < starts.length; i++) {
            if (nameIs(i, name)) {
                return rawValue(i);
            }
        }
        return null;
    }

    boolean has(String name) {
        for (int i = 0; i < starts.length; i++) {
            if (nameIs(i, name)) {
                return true;
            }
        }
        return false;
    }

    /** All values of {@code name}, unfolded, RFC 2047-decoded and trimmed. */
    List<String> decodedValues(String name) {
        List<String> out = null;
        for (int i = 0; i < starts.length; i++) {
            if (nameIs(i, name)) {
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                out.add(decode(rawValue(i)).trim());
            }
        }
        return out == null ? List.of() : out;
    }

    /** Every field as {@code Name: decoded value}, one a line. */
    String decodedText() {
        StringBuilder b = new StringBuilder(raw.length + 16);
        for (int i = 0; i < starts.length; i++) {
            b.append(name(i)).append(": ").append(decode(rawValue(i)).trim()).append("\r\n");
        }
        return b.toString();
    }

    /** The matching fields byte-exact (all lines, terminators included) plus the blank line. */
    byte[] fields(List<String> wanted, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < starts.length; i++) {
            boolean match = false;
            for (String w : wanted) {
                if (nameIs(i, w)) {
                    match = true;
                    break;
                }
            }
            if (match != not) {
                out.write(raw, starts[i], ends[i] - starts[i]);
                if (raw[ends[i] - 1] != '\n') {
                    out.write('\r');
                    out.write('\n');
                }
            }
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** RFC 2047 decoding; text without encoded words comes back as is. */
    static String decode(String s) {
        if (s.indexOf("=?") < 0) {
            return s;
        }
        try {
            return DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return s;
        }
    }
}
