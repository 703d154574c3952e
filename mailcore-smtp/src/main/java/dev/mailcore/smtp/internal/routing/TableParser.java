package dev.mailcore.smtp.internal.routing;

import dev.mailcore.api.MailcoreException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the two table formats the router understands. Both share the Postfix rules for logical lines: empty lines
 * and lines whose first non-blank character is {@code #} are ignored, and a line that starts with white space
 * continues the previous logical line. Every error names the file and the line where the entry starts.
 */
public final class TableParser {

    /** Receives one entry; may throw {@link MailcoreException}, which is reported with the file and line. */
    @FunctionalInterface
    public interface EntryHandler {
        void entry(String key, List<String> values);
    }

    private TableParser() {
    }

    /**
     * Parses {@code aliases(5)}: {@code name: member, member}. The name may be quoted ({@code "a b": x}); members
     * are separated by commas and may be quoted.
     */
    public static void parseAliases(Path file, EntryHandler handler) {
        for (LogicalLine line : logicalLines(file)) {
            try {
                String text = line.text();
                int colon;
                String name;
                if (text.startsWith("\"")) {
                    int close = closingQuote(text, 0);
                    if (close < 0) {
                        throw new MailcoreException("unterminated quoted alias name");
                    }
                    name = unquote(text.substring(0, close + 1));
                    colon = close + 1;
                    while (colon < text.length() && isBlank(text.charAt(colon))) {
                        colon++;
                    }
                    if (colon >= text.length() || text.charAt(colon) != ':') {
                        throw new MailcoreException("expected ':' after the alias name");
                    }
                } else {
                    colon = text.indexOf(':');
                    if (colon < 0) {
                        throw new MailcoreException("expected 'name: member, member...'");
                    }
                    name = text.substring(0, colon).trim();
                }
                if (name.isEmpty()) {
                    throw new MailcoreException("empty alias name");
                }
                List<String> members = new ArrayList<>();
                for (String m : splitOutsideQuotes(text.substring(colon + 1), ",")) {
                    String member = unquote(m.trim());
                    if (!member.isEmpty()) {
                        members.add(member);
                    }
                }
                if (members.isEmpty()) {
                    throw new MailcoreException("alias '" + name + "' has no members");
                }
                handler.entry(name, members);
            } catch (MailcoreException e) {
                throw new MailcoreException(file + ":" + line.number() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Parses Postfix {@code virtual(5)}: {@code pattern result}, where the result is a list of addresses separated by
     * commas and/or white space. A line with a pattern and no result is passed on with an empty list (a domain
     * declaration).
     */
    public static void parseVirtual(Path file, EntryHandler handler) {
        for (LogicalLine line : logicalLines(file)) {
            try {
                String text = line.text();
                int end = 0;
                while (end < text.length() && !isBlank(text.charAt(end))) {
                    end++;
                }
                String pattern = text.substring(0, end);
                List<String> targets = new ArrayList<>();
                for (String t : splitOutsideQuotes(text.substring(end), ", \t")) {
                    String target = t.trim();
                    if (!target.isEmpty()) {
                        targets.add(target);
                    }
                }
                handler.entry(pattern, targets);
            } catch (MailcoreException e) {
                throw new MailcoreException(file + ":" + line.number() + ": " + e.getMessage(), e);
            }
        }
    }

    private record LogicalLine(int number, String text) {
    }

    private static List<LogicalLine> logicalLines(Path file) {
        List<LogicalLine> result = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder current = null;
            int start = 0;
            int number = 0;
            String raw;
            while ((raw = reader.readLine()) != null) {
                number++;
                String stripped = raw.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                if (isBlank(raw.charAt(0))) {
                    if (current == null) {
                        throw new MailcoreException(file + ":" + number
                                + ": continuation line without an entry before it");
                    }
                    current.append(' ').append(stripped);
                } else {
                    if (current != null) {
                        result.add(new LogicalLine(start, current.toString()));
                    }
                    current = new StringBuilder(stripped);
                    start = number;
                }
            }
            if (current != null) {
                result.add(new LogicalLine(start, current.toString()));
            }
        } catch (IOException e) {
            throw new MailcoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Splits at any of the separator characters that is not inside double quotes. */
    private static List<String> splitOutsideQuotes(String s, String separators) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (!quoted && separators.indexOf(c) >= 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new MailcoreException("unterminated quoted string");
        }
        parts.add(current.toString());
        return parts;
    }

    /** Removes surrounding double quotes and backslash escapes from a wholly quoted token. */
    private static String unquote(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
