package dev.mailcore.imap.internal.message;

import java.util.ArrayList;
import java.util.List;

/** Message-IDs ({@code <left@right>}) in a header value, normalized as RFC 5256 §3 asks (quotes removed). */
final class MessageIds {

    private MessageIds() {
    }

    /** The valid message IDs in order, without angle brackets; an ID needs an {@code @}. */
    static List<String> parse(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        int i = 0;
        int n = value.length();
        while (i < n) {
            int lt = value.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            int gt = value.indexOf('>', lt + 1);
            if (gt < 0) {
                break;
            }
            int nextLt = value.indexOf('<', lt + 1);
            if (nextLt >= 0 && nextLt < gt) {
                i = nextLt;
                continue;
            }
            String id = normalize(value.substring(lt + 1, gt));
            if (id != null) {
                out.add(id);
            }
            i = gt + 1;
        }
        return out;
    }

    private static String normalize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == '\\' && quoted && i + 1 < s.length()) {
                b.append(s.charAt(++i));
                continue;
            }
            if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                continue;
            }
            b.append(c);
        }
        int at = b.indexOf("@");
        if (at <= 0 || at == b.length() - 1) {
            return null;
        }
        return b.toString();
    }
}
