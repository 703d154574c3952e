package dev.mailcore.imap.internal.message;

import dev.mailcore.imap.internal.ImapStrings;

import java.util.ArrayList;
import java.util.List;

/**
 * A lenient RFC 5322 address-list parser producing IMAP ENVELOPE addresses (RFC 9051 §7.5.2): display names stay as
 * written (encoded words are not decoded, quotes are removed), groups become a start marker {@code (NIL NIL "name"
 * NIL)} and an end marker {@code (NIL NIL NIL NIL)}.
 */
final class Addresses {

    /** Host written for an address without a domain, as Dovecot does. */
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";
    /** Mailbox written for an address without a local part. */
    static final String MISSING_MAILBOX = "MISSING_MAILBOX";

    /** One ENVELOPE address; a group start has only {@code mailbox}, a group end nothing. */
    record Address(String name, String adl, String mailbox, String host) {
        boolean isGroupMarker() {
            return host == null;
        }
    }

    private static final String SPECIALS = "()<>@,;:\\\".[]";

    private final String s;
    private int pos;
    /** The last comment {@link #domain()} skipped (an addr-spec's display name, as Dovecot uses it). */
    private String lastComment;

    private Addresses(String s) {
        this.s = s;
    }

    static List<Address> parse(String value) {
        if (value == null) {
            return List.of();
        }
        Addresses p = new Addresses(value);
        List<Address> out = new ArrayList<>(2);
        p.list(out, false);
        return out;
    }

    private void list(List<Address> out, boolean inGroup) {
        while (true) {
            skipCfws();
            if (pos >= s.length()) {
                return;
            }
            char c = s.charAt(pos);
            if (c == ',') {
                pos++;
                continue;
            }
            if (c == ';') {
                if (inGroup) {
                    pos++;
                    return;
                }
                pos++;
                continue;
            }
            int before = pos;
            address(out, inGroup);
            if (pos == before) {
                pos++; // never loop on junk
            }
        }
    }

    private void address(List<Address> out, boolean inGroup) {
        List<String> words = new ArrayList<>(3);
        StringBuilder local = new StringBuilder();
        String comment = null;
        while (true) {
            int c0 = pos;
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '(') {
                String cm = comment();
                if (comment == null) {
                    comment = cm.trim();
                }
                continue;
            }
            boolean spaced = pos > c0;
            if (pos >= s.length()) {
                break;
            }
            char c = s.charAt(pos);
            if (c == '<' || c == ':' || c == '@' || c == ',' || c == ';') {
                break;
            }
            if (c == '>') {
                pos++;
                continue;
            }
            String w;
            if (c == '"') {
                w = quoted();
                local.append(w);
            } else if (c == '.') {
                pos++;
                local.append('.');
                if (!words.isEmpty() && !spaced) {
                    words.set(words.size() - 1, words.get(words.size() - 1) + ".");
                } else {
                    words.add(".");
                }
                continue;
            } else {
                w = atom();
                if (w.isEmpty()) {
                    pos++;
                    continue;
                }
                local.append(w);
            }
            if (!words.isEmpty() && !spaced && words.get(words.size() - 1).endsWith(".")) {
                words.set(words.size() - 1, words.get(words.size() - 1) + w);
            } else {
                words.add(w);
            }
        }
        char c = pos < s.length() ? s.charAt(pos) : 0;
        String phrase = words.isEmpty() ? null : String.join(" ", words);
        if (c == ':' && !inGroup) {
            pos++;
            out.add(new Address(null, null, phrase == null ? "" : phrase, null));
            list(out, true);
            out.add(new Address(null, null, null, null));
            return;
        }
        if (c == ':') {
            pos++; // a group inside a group: ignore the name
            return;
        }
        if (c == '<') {
            pos++;
            angle(out, phrase);
            return;
        }
        if (c == '@') {
            pos++;
            lastComment = null;
            String domain = domain();
            skipTrailing();
            String name = lastComment != null && !lastComment.isBlank() ? lastComment.trim()
                    : comment != null && !comment.isEmpty() ? comment : null;
            out.add(new Address(name, null, local.length() == 0 ? MISSING_MAILBOX : local.toString(),
                    domain.isEmpty() ? MISSING_DOMAIN : domain));
            return;
        }
        if (local.length() > 0) {
            out.add(new Address(null, null, local.toString(), MISSING_DOMAIN));
        }
    }

    /** Skips white space and comments after an addr-spec, remembering the last comment. */
    private void skipTrailing() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                lastComment = comment();
            } else {
                return;
            }
        }
    }

    private void angle(List<Address> out, String phrase) {
        skipCfws();
        String adl = null;
        if (pos < s.length() && s.charAt(pos) == '@') {
            int colon = s.indexOf(':', pos);
            int close = s.indexOf('>', pos);
            if (colon > 0 && (close < 0 || colon < close)) {
                adl = s.substring(pos, colon).replaceAll("[\\s]", "");
                pos = colon + 1;
            }
        }
        StringBuilder local = new StringBuilder();
        while (pos < s.length()) {
            skipCfws();
            if (pos >= s.length()) {
                break;
            }
            char c = s.charAt(pos);
            if (c == '@' || c == '>') {
                break;
            }
            if (c == '"') {
                local.append(quoted());
            } else if (c == '.') {
                local.append('.');
                pos++;
            } else {
                String a = atom();
                if (a.isEmpty()) {
                    if (c == ',' || c == ';' || c == '<') {
                        break;
                    }
                    pos++;
                } else {
                    local.append(a);
                }
            }
        }
        String domain = "";
        if (pos < s.length() && s.charAt(pos) == '@') {
            pos++;
            domain = domain();
        }
        skipCfws();
        if (pos < s.length() && s.charAt(pos) == '>') {
            pos++;
        }
        if (local.length() == 0 && domain.isEmpty()) {
            if (phrase != null) {
                out.add(new Address(phrase, null, "", MISSING_DOMAIN)); // "Name <>"
            }
            return;
        }
        out.add(new Address(phrase, adl, local.length() == 0 ? MISSING_MAILBOX : local.toString(),
                domain.isEmpty() ? MISSING_DOMAIN : domain));
    }

    private String domain() {
        StringBuilder b = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '(') {
                lastComment = comment();
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
                continue;
            }
            if (c == ',' || c == ';' || c == '>' || c == '<' || c == '"') {
                break;
            }
            if (c == '[') {
                int close = s.indexOf(']', pos);
                int end = close < 0 ? s.length() : close + 1;
                b.append(s, pos, end);
                pos = end;
                continue;
            }
            b.append(c);
            pos++;
        }
        return b.toString();
    }

    private String atom() {
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || SPECIALS.indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return s.substring(start, pos);
    }

    private String quoted() {
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

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private void skipCfws() {
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

    private String comment() {
        StringBuilder b = new StringBuilder();
        pos = MimeFields.Lexer.readComment(s, pos, b);
        return b.toString();
    }

    /** The address list as ENVELOPE writes it: {@code ((...)(...))}, or NIL when empty. */
    static void write(StringBuilder out, List<Address> list) {
        if (list.isEmpty()) {
            out.append("NIL");
            return;
        }
        out.append('(');
        for (Address a : list) {
            out.append('(');
            str(out, a.name());
            out.append(' ');
            str(out, a.adl());
            out.append(' ');
            str(out, a.mailbox());
            out.append(' ');
            str(out, a.host());
            out.append(')');
        }
        out.append(')');
    }

    /** An nstring; NUL (never allowed in IMAP strings) is dropped. */
    static void str(StringBuilder out, String s) {
        if (s != null && s.indexOf('\0') >= 0) {
            s = s.replace("\0", "");
        }
        out.append(ImapStrings.string(s, false));
    }

    /** The first real (not group marker) address, or null. */
    static Address first(List<Address> list) {
        for (Address a : list) {
            if (!a.isGroupMarker()) {
                return a;
            }
        }
        return null;
    }
}
