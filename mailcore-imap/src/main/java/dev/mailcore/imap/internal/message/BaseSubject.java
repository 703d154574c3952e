package dev.mailcore.imap.internal.message;

/** The RFC 5256 §2.1 base subject extraction, and whether it found a reply or forward marker. */
final class BaseSubject {

    /** The base subject. */
    final String base;
    /** True when extraction removed a subj-refwd, a "(fwd)" trailer or a [fwd: ...] wrapper (RFC 5256 §3). */
    final boolean replyOrForward;

    private BaseSubject(String base, boolean replyOrForward) {
        this.base = base;
        this.replyOrForward = replyOrForward;
    }

    /** Extracts from the raw (possibly RFC 2047-encoded) Subject value; null is treated as empty. */
    static BaseSubject of(String rawSubject) {
        if (rawSubject == null) {
            return new BaseSubject("", false);
        }
        String s = normalizeSpace(HeaderBlock.decode(rawSubject));
        boolean reply = false;
        while (true) {
            // (2) trailers
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.length() >= 5 && s.regionMatches(true, s.length() - 5, "(fwd)", 0, 5)) {
                    s = s.substring(0, s.length() - 5);
                    reply = true;
                } else {
                    break;
                }
            }
            // (3), (4), (5)
            while (true) {
                if (s.startsWith(" ")) {
                    s = s.substring(1);
                    continue;
                }
                int leader = refwdLeader(s);
                if (leader > 0) {
                    s = s.substring(leader);
                    reply = true;
                    continue;
                }
                int blob = blob(s, 0);
                if (blob > 0 && hasNonSpace(s, blob)) {
                    s = s.substring(blob);
                    continue;
                }
                break;
            }
            // (6)
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                reply = true;
                continue;
            }
            return new BaseSubject(s, reply);
        }
    }

    /** Tabs and line breaks become spaces, runs of spaces one space. */
    static String normalizeSpace(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == '\t' || c == ' ') {
                if (!space) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString();
    }

    /** End of {@code *subj-blob subj-refwd} at the start, or 0 when there is none. */
    private static int refwdLeader(String s) {
        int p = 0;
        while (true) {
            int r = refwd(s, p);
            if (r > 0) {
                return r;
            }
            int b = blob(s, p);
            if (b == 0) {
                return 0;
            }
            p = b;
        }
    }

    /** End of {@code ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"} at {@code p}, or 0. */
    private static int refwd(String s, int p) {
        int q;
        if (s.regionMatches(true, p, "re", 0, 2)) {
            q = p + 2;
        } else if (s.regionMatches(true, p, "fwd", 0, 3)) {
            q = p + 3;
        } else if (s.regionMatches(true, p, "fw", 0, 2)) {
            q = p + 2;
        } else {
            return 0;
        }
        while (q < s.length() && s.charAt(q) == ' ') {
            q++;
        }
        int b = blob(s, q);
        if (b > 0) {
            q = b;
        }
        return q < s.length() && s.charAt(q) == ':' ? q + 1 : 0;
    }

    /** End of {@code "[" *BLOBCHAR "]" *WSP} at {@code p} (trailing spaces included), or 0. */
    private static int blob(String s, int p) {
        if (p >= s.length() || s.charAt(p) != '[') {
            return 0;
        }
        for (int i = p + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                return 0;
            }
            if (c == ']') {
                int q = i + 1;
                while (q < s.length() && s.charAt(q) == ' ') {
                    q++;
                }
                return q;
            }
        }
        return 0;
    }

    private static boolean hasNonSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) != ' ') {
                return true;
            }
        }
        return false;
    }
}
