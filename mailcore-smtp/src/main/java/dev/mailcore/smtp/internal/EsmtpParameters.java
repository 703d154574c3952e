package dev.mailcore.smtp.internal;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.MailParameters;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Parses the ESMTP parameters of MAIL FROM (SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH) and RCPT TO (NOTIFY, ORCPT). */
final class EsmtpParameters {
    /** RFC 3461 §4.4: ENVID is at most 100 characters. */
    private static final int MAX_ENVID = 100;
    /** RFC 3461 §4.2: ORCPT is at most 500 characters. */
    private static final int MAX_ORCPT = 500;

    private EsmtpParameters() {
    }

    /** The DSN parameters of one RCPT TO. */
    record RcptParameters(Set<DsnNotify> notifyOn, String orcpt) {
    }

    static MailParameters parseMail(Iterable<String> parameters, long maxMessageSize) {
        OptionalLong size = OptionalLong.empty();
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtpUtf8 = false;
        DsnReturn ret = null;
        String envid = null;
        String auth = null;
        Set<String> seen = new HashSet<>();
        for (String parameter : parameters) {
            int eq = parameter.indexOf('=');
            String keyword = (eq < 0 ? parameter : parameter.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : parameter.substring(eq + 1);
            checkKeyword(keyword, value, seen);
            switch (keyword) {
                case "SIZE":
                    if (value == null || value.isEmpty() || value.length() > 18
                            || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw bad("Bad message size syntax");
                    }
                    long declared = Long.parseLong(value);
                    if (declared > maxMessageSize) {
                        throw new ReplyException(552, "5.3.4", "Message size exceeds fixed limit");
                    }
                    size = OptionalLong.of(declared);
                    break;
                case "BODY":
                    body = value == null ? null : BodyType.fromKeyword(value);
                    if (body == null) {
                        throw bad("Unsupported BODY parameter");
                    }
                    break;
                case "SMTPUTF8":
                    if (value != null) {
                        throw bad("SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                    break;
                case "RET":
                    if ("FULL".equalsIgnoreCase(value)) {
                        ret = DsnReturn.FULL;
                    } else if ("HDRS".equalsIgnoreCase(value)) {
                        ret = DsnReturn.HDRS;
                    } else {
                        throw bad("Bad RET parameter syntax");
                    }
                    break;
                case "ENVID":
                    envid = value == null ? null : Xtext.decode(value);
                    if (envid == null || envid.isEmpty() || envid.length() > MAX_ENVID) {
                        throw bad("Bad ENVID parameter syntax");
                    }
                    break;
                case "AUTH":
                    if (value == null) {
                        throw bad("Bad AUTH parameter syntax");
                    }
                    if (!"<>".equals(value)) {
                        auth = Xtext.decode(value);
                        if (auth == null || auth.isEmpty()) {
                            throw bad("Bad AUTH parameter syntax");
                        }
                    }
                    break;
                default:
                    throw unsupported(keyword);
            }
        }
        return new MailParameters(size, body, smtpUtf8, ret, envid, auth, Map.of());
    }

    static RcptParameters parseRcpt(Iterable<String> parameters) {
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        String orcpt = null;
        Set<String> seen = new HashSet<>();
        for (String parameter : parameters) {
            int eq = parameter.indexOf('=');
            String keyword = (eq < 0 ? parameter : parameter.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : parameter.substring(eq + 1);
            checkKeyword(keyword, value, seen);
            switch (keyword) {
                case "NOTIFY":
                    notify = parseNotify(value);
                    break;
                case "ORCPT":
                    if (!validOrcpt(value)) {
                        throw bad("Bad ORCPT parameter syntax");
                    }
                    orcpt = value;
                    break;
                default:
                    throw unsupported(keyword);
            }
        }
        return new RcptParameters(notify, orcpt);
    }

    private static Set<DsnNotify> parseNotify(String value) {
        if (value == null || value.isEmpty()) {
            throw bad("Bad NOTIFY parameter syntax");
        }
        Set<DsnNotify> result = EnumSet.noneOf(DsnNotify.class);
        for (String item : value.split(",", -1)) {
            DsnNotify n;
            try {
                n = DsnNotify.valueOf(item.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("Bad NOTIFY parameter syntax");
            }
            if (!result.add(n)) {
                throw bad("Bad NOTIFY parameter syntax");
            }
        }
        if (result.contains(DsnNotify.NEVER) && result.size() > 1) {
            throw bad("Bad NOTIFY parameter syntax");
        }
        return result;
    }

    /** {@code addr-type ";" xtext}, addr-type an atom such as {@code rfc822} or {@code utf-8}. */
    private static boolean validOrcpt(String value) {
        if (value == null || value.length() > MAX_ORCPT) {
            return false;
        }
        int semi = value.indexOf(';');
        if (semi <= 0 || semi == value.length() - 1) {
            return false;
        }
        String type = value.substring(0, semi);
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        String address = value.substring(semi + 1);
        // utf-8-addr-xtext (RFC 6533) may carry UTF-8 and \x{..}; accept printable text without '=' there.
        if (type.equalsIgnoreCase("utf-8")) {
            return address.codePoints().allMatch(c -> c > 32 && c != 127 && c != '=');
        }
        return Xtext.decode(address) != null;
    }

    private static void checkKeyword(String keyword, String value, Set<String> seen) {
        if (keyword.isEmpty() || !keyword.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-') || keyword.charAt(0) == '-') {
            throw new ReplyException(555, "5.5.4", "Unsupported option: " + printable(keyword));
        }
        if (!seen.add(keyword)) {
            throw new ReplyException(555, "5.5.4", "Duplicate option: " + keyword);
        }
        if (value != null && (value.isEmpty() || value.codePoints().anyMatch(c -> c <= 32 || c == '=' || c == 127))) {
            throw bad("Bad " + keyword + " parameter syntax");
        }
    }

    private static ReplyException bad(String text) {
        return new ReplyException(501, "5.5.4", text);
    }

    private static ReplyException unsupported(String keyword) {
        return new ReplyException(555, "5.5.4", "Unsupported option: " + keyword);
    }

    /** Cuts and cleans client text echoed in a reply. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }
}
