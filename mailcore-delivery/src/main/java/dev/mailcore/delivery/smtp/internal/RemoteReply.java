package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.SmtpReply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply as received from a remote server: its code and text lines (after {@code "250-"} / {@code "250 "}).
 *
 * @param code  the three-digit code
 * @param lines the text of each line, possibly empty strings
 */
public record RemoteReply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    public RemoteReply {
        lines = List.copyOf(lines);
    }

    /** A 2xx reply. */
    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The enhanced status code the first line starts with (when its class matches the code), or {@code null}. */
    public String enhancedStatus() {
        if (lines.isEmpty()) {
            return null;
        }
        Matcher m = ENHANCED.matcher(lines.get(0));
        if (m.find() && m.group(1).charAt(0) - '0' == code / 100) {
            return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }
        return null;
    }

    /** The text without enhanced status codes, lines joined by a space. */
    public String text() {
        String enh = enhancedStatus();
        List<String> parts = new ArrayList<>();
        for (String line : lines) {
            String l = line;
            if (enh != null && l.startsWith(enh)) {
                l = l.substring(enh.length()).stripLeading();
            }
            if (!l.isEmpty()) {
                parts.add(l);
            }
        }
        return String.join(" ", parts);
    }

    /**
     * This reply as an outcome reply, the text prefixed like Postfix's: {@code host mx.example[192.0.2.1] said: 550
     * 5.1.1 User unknown (in reply to RCPT TO command)}. Without an enhanced status code the reply gets {@code X.0.0}.
     */
    public SmtpReply toOutcome(String peer, String command) {
        int c = code >= 200 && code <= 599 ? code : 451;
        String enh = enhancedStatus();
        String status = enh != null ? enh : (c / 100) + ".0.0";
        String said = code + (enh != null ? " " + enh : "") + (text().isEmpty() ? "" : " " + text());
        String text = "host " + peer + " said: " + said + (command == null ? "" : " (in reply to " + command
                + " command)");
        return SmtpReply.of(c, status, sanitize(text));
    }

    static String sanitize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            sb.append(ch == '\r' || ch == '\n' ? ' ' : ch);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
