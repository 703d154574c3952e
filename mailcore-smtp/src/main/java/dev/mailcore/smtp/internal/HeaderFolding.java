package dev.mailcore.smtp.internal;

import java.util.List;

/** Builds header fields folded (RFC 5322 §2.2.3) so that lines stay under 78 characters where possible. */
final class HeaderFolding {
    /** RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters excluding CRLF. */
    static final int SOFT_LIMIT = 78;

    private HeaderFolding() {
    }

    /**
     * {@code name: clause clause ...} + CRLF, joining clauses with a space while the line stays under the limit and
     * starting a continuation line (CRLF TAB) otherwise; a clause too long for a line of its own is folded at its
     * spaces. Clauses must not contain CR or LF.
     */
    static String fold(String name, List<String> clauses) {
        StringBuilder out = new StringBuilder(128);
        out.append(name).append(':');
        int lineLength = out.length();
        boolean lineEmpty = true;
        for (String clause : clauses) {
            if (clause.isEmpty()) {
                continue;
            }
            if (lineEmpty || lineLength + 1 + clause.length() < SOFT_LIMIT) {
                if (lineLength + 1 + clause.length() < SOFT_LIMIT) {
                    out.append(' ').append(clause);
                    lineLength += 1 + clause.length();
                    lineEmpty = false;
                    continue;
                }
            } else if (1 + clause.length() < SOFT_LIMIT) {
                out.append("\r\n\t").append(clause);
                lineLength = 1 + clause.length();
                continue;
            }
            // too long for any line: fold inside the clause at its spaces
            for (String word : clause.split(" ")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (lineEmpty || lineLength + 1 + word.length() < SOFT_LIMIT) {
                    out.append(' ').append(word);
                    lineLength += 1 + word.length();
                } else {
                    out.append("\r\n\t").append(word);
                    lineLength = 1 + word.length();
                }
                lineEmpty = false;
            }
        }
        return out.append("\r\n").toString();
    }

    /** A filter's header field, its value folded at spaces. */
    static String fold(String name, String value) {
        return fold(name, List.of(value));
    }
}
