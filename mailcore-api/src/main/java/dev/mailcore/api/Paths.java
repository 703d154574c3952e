package dev.mailcore.api;

/** Parsing of RFC 5321 {@code Path}: angle brackets and an optional (ignored) source route. */
public final class Paths {
    private Paths() {
    }

    /**
     * Parses {@code "<" [ A-d-l ":" ] Mailbox ">"} and returns the mailbox; the source route, if any, is validated and
     * dropped (RFC 5321 §4.1.2, §C).
     *
     * @throws AddressException on malformed input
     */
    public static MailAddress parsePath(String text) {
        if (text == null || text.length() < 3 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>') {
            throw new AddressException("path must be enclosed in <>");
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.startsWith("@")) {
            int colon = routeEnd(inner);
            String route = inner.substring(0, colon);
            for (String hop : route.split(",", -1)) {
                if (hop.length() < 2 || hop.charAt(0) != '@') {
                    throw new AddressException("malformed source route");
                }
                MailAddress.of("x", hop.substring(1)); // validates the domain
            }
            inner = inner.substring(colon + 1);
        }
        return MailAddress.parse(inner);
    }

    private static int routeEnd(String inner) {
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == ':') {
                return i;
            }
            if (c == '"') {
                break;
            }
        }
        throw new AddressException("source route without ':'");
    }
}
