package dev.mailcore.api;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An RFC 5321 mailbox ({@code local-part@domain}), including quoted local parts, address literals and, for SMTPUTF8
 * (RFC 6531), UTF-8 local parts and internationalised domain names.
 *
 * <p>The local part is kept exactly as given (case preserved; quoting removed, so {@code "abc"@x} and {@code abc@x}
 * are the same address, as RFC 5321 §2.4 says). The domain compares case-insensitively and an IDN compares equal to
 * its A-label form. {@link #toString()} renders the address with the minimal quoting it needs.
 */
public final class MailAddress {
    /** RFC 5321 §4.5.3.1.1. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 §4.5.3.1.2. */
    public static final int MAX_DOMAIN_OCTETS = 255;

    private final String localPart;
    private final String domain;
    private final String comparableDomain;

    private MailAddress(String localPart, String domain) {
        this.localPart = localPart;
        this.domain = domain;
        this.comparableDomain = comparable(domain);
    }

    /**
     * Parses a {@code Mailbox} as RFC 5321 §4.1.2 defines it, extended by RFC 6531 (UTF-8 is accepted; see {@link
     * #requiresSmtpUtf8()}).
     *
     * @throws AddressException if the text is not a valid mailbox
     */
    public static MailAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new AddressException("empty address");
        }
        int at = localPartEnd(text);
        if (at >= text.length() || text.charAt(at) != '@') {
            throw new AddressException("missing @domain in " + printable(text));
        }
        String local = decodeLocalPart(text.substring(0, at));
        String domain = text.substring(at + 1);
        checkDomain(domain);
        return new MailAddress(local, domain);
    }

    /**
     * Creates an address from an unquoted local part and a domain (or address literal in brackets).
     *
     * @throws AddressException if either part is invalid
     */
    public static MailAddress of(String localPart, String domain) {
        if (localPart == null || localPart.isEmpty()) {
            throw new AddressException("empty local part");
        }
        checkWritable(localPart);
        checkLocalLength(localPart);
        checkDomain(domain);
        return new MailAddress(localPart, domain);
    }

    /** The local part, unquoted, case preserved. */
    public String localPart() {
        return localPart;
    }

    /** The domain as given (an IDN U-label form stays in that form), or an address literal with its brackets. */
    public String domain() {
        return domain;
    }

    /** The domain in lower case and, for an IDN, in A-label form: the form to compare and look up. */
    public String normalizedDomain() {
        return comparableDomain;
    }

    /** Whether the domain is an address literal such as {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** Whether the address contains non-ASCII characters and so needs SMTPUTF8 to travel. */
    public boolean requiresSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The local part as it must appear on the wire: a dot-string when possible, else a quoted string. */
    public String quotedLocalPart() {
        if (isDotString(localPart)) {
            return localPart;
        }
        StringBuilder sb = new StringBuilder(localPart.length() + 2).append('"');
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** This address with the local part changed (for sub-addressing, aliases). */
    public MailAddress withLocalPart(String newLocalPart) {
        return of(newLocalPart, domain);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAddress other && localPart.equals(other.localPart)
                && comparableDomain.equals(other.comparableDomain);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + comparableDomain.hashCode();
    }

    /** The address in RFC 5321 form, {@code local@domain}, with the local part quoted only when needed. */
    @Override
    public String toString() {
        return quotedLocalPart() + "@" + domain;
    }

    // ---- parsing helpers ----

    private static int localPartEnd(String text) {
        if (text.charAt(0) != '"') {
            int at = text.indexOf('@');
            return at < 0 ? text.length() : at;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new AddressException("unterminated quoted local part");
    }

    private static String decodeLocalPart(String raw) {
        if (raw.isEmpty()) {
            throw new AddressException("empty local part");
        }
        String decoded;
        if (raw.charAt(0) == '"') {
            StringBuilder sb = new StringBuilder(raw.length());
            for (int i = 1; i < raw.length() - 1; i++) {
                char c = raw.charAt(i);
                if (c == '\\') {
                    char next = raw.charAt(++i);
                    if (next < 32 || next > 126) {
                        throw new AddressException("invalid quoted pair in local part");
                    }
                    sb.append(next);
                } else if (c == '"' || isControl(c)) {
                    throw new AddressException("invalid character in quoted local part");
                } else {
                    sb.append(c);
                }
            }
            decoded = sb.toString();
            checkWritable(decoded);
            if (decoded.isEmpty()) {
                throw new AddressException("empty quoted local part");
            }
        } else {
            if (!isDotString(raw)) {
                throw new AddressException("invalid local part " + printable(raw));
            }
            decoded = raw;
        }
        checkLocalLength(decoded);
        return decoded;
    }

    /** Rejects what neither a dot-string nor a quoted string can carry: controls and unpaired surrogates. */
    private static void checkWritable(String local) {
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (isControl(c)) {
                throw new AddressException("control character in local part");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < local.length()
                        && Character.isLowSurrogate(local.charAt(i + 1))) {
                    i++;
                } else {
                    throw new AddressException("unpaired surrogate in local part");
                }
            }
        }
    }

    /** C0 controls (including TAB), DEL and C1 controls. */
    private static boolean isControl(char c) {
        return c < 32 || c >= 127 && c <= 159;
    }

    private static void checkLocalLength(String local) {
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
            throw new AddressException("local part longer than " + MAX_LOCAL_PART_OCTETS + " octets");
        }
    }

    /** RFC 5321 Dot-string with RFC 6531 UTF-8 atext. */
    static boolean isDotString(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.') {
            return false;
        }
        int prev = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (Character.getType(c) == Character.SURROGATE) {
                return false; // unpaired surrogate
            }
            if (c == '.') {
                if (prev == '.') {
                    return false;
                }
            } else if (!isAtext(c)) {
                return false;
            }
            prev = c;
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isAtext(int c) {
        if (c >= 0x80) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c) && !Character.isSpaceChar(c);
        }
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static void checkDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw new AddressException("empty domain");
        }
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN_OCTETS) {
            throw new AddressException("domain longer than " + MAX_DOMAIN_OCTETS + " octets");
        }
        if (domain.charAt(0) == '[') {
            checkAddressLiteral(domain);
            return;
        }
        int start = 0;
        while (true) {
            int dot = domain.indexOf('.', start);
            int end = dot < 0 ? domain.length() : dot;
            checkLabel(domain, start, end);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        if (!isAscii(domain)) {
            checkIdn(domain);
        }
    }

    private static void checkLabel(String domain, int start, int end) {
        if (end == start) {
            throw new AddressException("empty label in domain " + printable(domain));
        }
        if (end - start > 63) {
            throw new AddressException("domain label longer than 63 characters");
        }
        if (domain.charAt(start) == '-' || domain.charAt(end - 1) == '-') {
            throw new AddressException("domain label starts or ends with '-'");
        }
        for (int i = start; i < end; ) {
            int c = domain.codePointAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c >= 0x80 && isIdnLetter(c);
            if (!ok) {
                throw new AddressException("invalid character in domain " + printable(domain));
            }
            i += Character.charCount(c);
        }
    }

    private static boolean isIdnLetter(int c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    /** An IDN must convert to A-labels that respect the DNS limits. */
    private static void checkIdn(String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new AddressException("invalid internationalised domain " + printable(domain));
        }
        if (ascii.length() > MAX_DOMAIN_OCTETS) {
            throw new AddressException("domain longer than " + MAX_DOMAIN_OCTETS + " octets in A-label form");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new AddressException("invalid label in internationalised domain " + printable(domain));
            }
        }
    }

    private static void checkAddressLiteral(String literal) {
        if (literal.length() < 3 || literal.charAt(literal.length() - 1) != ']') {
            throw new AddressException("malformed address literal");
        }
        String inner = literal.substring(1, literal.length() - 1);
        if (AddressLiterals.isIpv4(inner)) {
            return;
        }
        int colon = inner.indexOf(':');
        if (colon <= 0) {
            throw new AddressException("malformed address literal " + printable(literal));
        }
        String tag = inner.substring(0, colon);
        String content = inner.substring(colon + 1);
        if (tag.equalsIgnoreCase("IPv6")) {
            if (!AddressLiterals.isIpv6(content)) {
                throw new AddressException("malformed IPv6 address literal");
            }
            return;
        }
        // General-address-literal: Standardized-tag ":" 1*dcontent (RFC 5321 §4.1.3)
        if (!tag.matches("[A-Za-z0-9-]*[A-Za-z0-9]") || content.isEmpty()) {
            throw new AddressException("malformed address literal");
        }
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') {
                throw new AddressException("malformed address literal");
            }
        }
    }

    private static String comparable(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (isAscii(lower) || lower.startsWith("[")) {
            return lower;
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }
}
