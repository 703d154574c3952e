package dev.mailcore.store.transfer;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What importer and exporter share about the mboxrd format: From_ lines, escaping, the flag header fields. */
final class Mbox {
    static final String STATUS = "Status";
    static final String X_STATUS = "X-Status";
    static final String X_KEYWORDS = "X-Keywords";
    static final String NO_SENDER = "MAILER-DAEMON";

    private static final byte[] FROM_ = "From ".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec"};

    private Mbox() {
    }

    /** Whether the line starts with "From " (a From_ line, or, after '>' quoting, a body line to (un)escape). */
    static boolean startsWithFrom(byte[] line, int offset) {
        if (line.length - offset < FROM_.length) {
            return false;
        }
        for (int i = 0; i < FROM_.length; i++) {
            if (line[offset + i] != FROM_[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the line is {@code >*From } : one to escape on export ({@code >From } and deeper: also to unescape). */
    static boolean isQuotedFrom(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] == '>') {
            i++;
        }
        return startsWithFrom(line, i);
    }

    /** The date of a From_ line in asctime form, such as {@code Thu Jan  1 00:00:00 2026} (always UTC). */
    static String asctime(Instant instant) {
        return ASCTIME.format(instant);
    }

    /**
     * The date of a From_ line ({@code From sender Wed Nov 25 02:29:36 2026}, perhaps with a numeric zone before or
     * after the year; without one it is UTC), or {@code null} when it has none that parses.
     */
    static Instant parseFromLineDate(byte[] line) {
        String[] t = new String(line, StandardCharsets.ISO_8859_1).trim().split("[ \t]+");
        for (int i = 1; i + 3 < t.length; i++) {
            if (index(DAYS, t[i]) < 0 || index(MONTHS, t[i + 1]) < 0) {
                continue;
            }
            try {
                int month = index(MONTHS, t[i + 1]) + 1;
                int day = Integer.parseInt(t[i + 2]);
                LocalTime time = parseTime(t[i + 3]);
                Integer year = null;
                ZoneOffset zone = ZoneOffset.UTC;
                for (int j = i + 4; j < t.length && j < i + 6; j++) {
                    if (t[j].matches("\\d{4}")) {
                        year = Integer.parseInt(t[j]);
                    } else if (t[j].matches("[+-]\\d{4}")) {
                        int v = Integer.parseInt(t[j].substring(1));
                        int seconds = (v / 100 * 3600 + v % 100 * 60) * (t[j].charAt(0) == '-' ? -1 : 1);
                        zone = ZoneOffset.ofTotalSeconds(seconds);
                    }
                }
                if (year == null || time == null) {
                    return null;
                }
                return LocalDateTime.of(LocalDate.of(year, month, day), time).toInstant(zone);
            } catch (NumberFormatException | DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static LocalTime parseTime(String s) {
        String[] p = s.split(":");
        if (p.length < 2 || p.length > 3) {
            return null;
        }
        return LocalTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length == 3 ? Integer.parseInt(p[2]) : 0);
    }

    private static int index(String[] names, String token) {
        if (token.length() != 3) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(token)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The header field name of a line when it starts a field ({@code Name:}), else {@code null}. Field names are
     * printable ASCII without colon (RFC 5322 §2.2); white space before the colon is tolerated (obsolete syntax).
     */
    static String fieldName(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] > ' ' && line[i] < 127 && line[i] != ':') {
            i++;
        }
        int end = i;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (end == 0 || i >= line.length || line[i] != ':') {
            return null;
        }
        return new String(line, 0, end, StandardCharsets.US_ASCII);
    }

    /** The value of a field line (after the colon), as ISO-8859-1 text. */
    static String fieldValue(byte[] line) {
        int colon = 0;
        while (line[colon] != ':') {
            colon++;
        }
        return new String(line, colon + 1, line.length - colon - 1, StandardCharsets.ISO_8859_1);
    }

    static boolean isContinuation(byte[] line) {
        return line.length > 0 && (line[0] == ' ' || line[0] == '\t');
    }

    static boolean isFlagField(String name) {
        return STATUS.equalsIgnoreCase(name) || X_STATUS.equalsIgnoreCase(name) || X_KEYWORDS.equalsIgnoreCase(name);
    }
}
