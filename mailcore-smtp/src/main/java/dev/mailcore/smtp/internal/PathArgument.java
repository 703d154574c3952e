package dev.mailcore.smtp.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The argument of MAIL and RCPT: {@code FROM:<path> [params]} or {@code TO:<path> [params]}, with at most one space
 * tolerated after the colon.
 *
 * @param path       the path including its angle brackets
 * @param parameters the ESMTP parameters as given ({@code KEYWORD[=value]})
 */
record PathArgument(String path, List<String> parameters) {

    /**
     * Splits the argument.
     *
     * @param argument     what follows the verb and one space
     * @param prefix       {@code FROM:} or {@code TO:}
     * @param syntaxError  the reply when the prefix is missing
     * @param addressError the reply when the path is malformed
     */
    static PathArgument parse(String argument, String prefix, ReplyException syntaxError,
                              ReplyException addressError) {
        if (argument.length() < prefix.length() || !argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw syntaxError;
        }
        int start = prefix.length();
        if (start < argument.length() && argument.charAt(start) == ' ') {
            start++;
        }
        if (start >= argument.length() || argument.charAt(start) != '<') {
            throw addressError;
        }
        int end = closingBracket(argument, start + 1);
        if (end < 0) {
            throw addressError;
        }
        String path = argument.substring(start, end + 1);
        List<String> parameters = new ArrayList<>();
        int i = end + 1;
        if (i < argument.length() && argument.charAt(i) != ' ') {
            throw addressError;
        }
        while (i < argument.length()) {
            while (i < argument.length() && argument.charAt(i) == ' ') {
                i++;
            }
            int next = argument.indexOf(' ', i);
            if (next < 0) {
                next = argument.length();
            }
            if (next > i) {
                parameters.add(argument.substring(i, next));
            }
            i = next;
        }
        return new PathArgument(path, List.copyOf(parameters));
    }

    /** Index of the {@code >} closing the path, skipping quoted strings; -1 when there is none. */
    private static int closingBracket(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                return i;
            } else if (c == ' ' || c == '<') {
                return -1;
            }
        }
        return -1;
    }
}
