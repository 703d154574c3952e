package dev.mailcore.smtp.internal.policy;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Domain name helpers shared by the policies: normalisation and parent-domain walks. */
public final class Domains {
    private Domains() {
    }

    /**
     * The comparable form of a domain: lower case, A-labels for an IDN, without a trailing dot. Address literals
     * ({@code [192.0.2.1]}) are only lower-cased.
     */
    public static String normalize(String domain) {
        String d = domain.trim();
        if (d.endsWith(".") && d.length() > 1) {
            d = d.substring(0, d.length() - 1);
        }
        d = d.toLowerCase(Locale.ROOT);
        if (d.startsWith("[")) {
            return d;
        }
        for (int i = 0; i < d.length(); i++) {
            if (d.charAt(i) >= 0x80) {
                try {
                    return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    return d;
                }
            }
        }
        return d;
    }

    /**
     * The domain itself followed by its parent domains, most specific first: {@code a.b.example} gives {@code
     * a.b.example}, {@code b.example}, {@code example}. An address literal gives only itself.
     */
    public static List<String> selfAndParents(String normalizedDomain) {
        List<String> out = new ArrayList<>(4);
        out.add(normalizedDomain);
        if (normalizedDomain.startsWith("[")) {
            return out;
        }
        int dot = normalizedDomain.indexOf('.');
        while (dot >= 0 && dot < normalizedDomain.length() - 1) {
            out.add(normalizedDomain.substring(dot + 1));
            dot = normalizedDomain.indexOf('.', dot + 1);
        }
        return out;
    }

    /** Whether {@code name} is syntactically a host name: dot-separated LDH labels of 1–63
     * characters (underscore tolerated), the last not all digits. */
    public static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false; // an all-numeric last label is an IP address (or part of one), not a name
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                        || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }
}
