package dev.mailcore.imap.internal.message;

import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/** A lenient RFC 5322 {@code date-time} parser (obsolete zones and two-digit years included). */
final class SentDates {

    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private SentDates() {
    }

    /** The date, or null when it cannot be understood. A missing or unknown zone is UTC (RFC 5256 §2.2). */
    static ZonedDateTime parse(String value) {
        if (value == null) {
            return null;
        }
        String[] t = tokens(value);
        int i = 0;
        if (i < t.length && t[i].length() >= 3 && Character.isLetter(t[i].charAt(0))
                && !isMonth(t[i]) && i + 1 < t.length) {
            i++; // day of week (with or without the comma)
        }
        if (i + 2 >= t.length) {
            return null;
        }
        int day;
        int month;
        String yearText;
        if (isNumber(t[i]) && isMonth(t[i + 1])) {
            day = Integer.parseInt(t[i]);
            month = month(t[i + 1]);
            yearText = t[i + 2];
        } else if (isMonth(t[i]) && isNumber(t[i + 1])) {
            month = month(t[i]);
            day = Integer.parseInt(t[i + 1]);
            yearText = t[i + 2];
        } else {
            return null;
        }
        if (!isNumber(yearText) || yearText.length() > 4) {
            return null;
        }
        int year = Integer.parseInt(yearText);
        if (yearText.length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (yearText.length() == 3) {
            year += 1900;
        }
        i += 3;
        int hour = 0;
        int minute = 0;
        int second = 0;
        if (i < t.length && t[i].indexOf(':') > 0) {
            String[] hms = t[i].split(":");
            try {
                hour = Integer.parseInt(hms[0]);
                minute = hms.length > 1 ? Integer.parseInt(hms[1]) : 0;
                second = hms.length > 2 ? Integer.parseInt(hms[2]) : 0;
            } catch (NumberFormatException e) {
                hour = minute = second = 0;
            }
            i++;
        }
        ZoneOffset zone = ZoneOffset.UTC;
        if (i < t.length) {
            zone = zone(t[i]);
        }
        try {
            if (second == 60) {
                second = 59;
            }
            return ZonedDateTime.of(year, month, day, hour, minute, second, 0, zone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset zone(String z) {
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() == 5 && isNumber(z.substring(1))) {
            int h = Integer.parseInt(z.substring(1, 3));
            int m = Integer.parseInt(z.substring(3));
            if (h > 18 || m > 59) {
                return ZoneOffset.UTC;
            }
            int secs = (h * 3600 + m * 60) * (z.charAt(0) == '-' ? -1 : 1);
            return ZoneOffset.ofTotalSeconds(secs);
        }
        switch (z.toUpperCase(Locale.ROOT)) {
            case "EDT":
                return ZoneOffset.ofHours(-4);
            case "EST":
            case "CDT":
                return ZoneOffset.ofHours(-5);
            case "CST":
            case "MDT":
                return ZoneOffset.ofHours(-6);
            case "MST":
            case "PDT":
                return ZoneOffset.ofHours(-7);
            case "PST":
                return ZoneOffset.ofHours(-8);
            default:
                return ZoneOffset.UTC; // UT, GMT, Z, military zones and unknown names
        }
    }

    private static boolean isMonth(String s) {
        return month(s) > 0;
    }

    private static int month(String s) {
        if (s.length() < 3) {
            return 0;
        }
        int i = MONTHS.indexOf(s.substring(0, 3).toLowerCase(Locale.ROOT));
        return i >= 0 && i % 3 == 0 ? i / 3 + 1 : 0;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Splits on white space, commas and hyphens between date parts; drops comments. */
    private static String[] tokens(String v) {
        java.util.List<String> out = new java.util.ArrayList<>(8);
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '(') {
                depth++;
                flush(cur, out);
                continue;
            }
            if (c == ')') {
                if (depth > 0) {
                    depth--;
                }
                continue;
            }
            if (depth > 0) {
                continue;
            }
            if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') {
                flush(cur, out);
            } else if ((c == '+' || c == '-') && cur.length() == 0) {
                cur.append(c);
            } else if (c == '-' && cur.length() > 0 && out.size() < 4 && cur.indexOf(":") < 0) {
                flush(cur, out); // 1-Jan-2020
            } else {
                cur.append(c);
            }
        }
        flush(cur, out);
        return out.toArray(new String[0]);
    }

    private static void flush(StringBuilder cur, java.util.List<String> out) {
        if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
        }
    }
}
