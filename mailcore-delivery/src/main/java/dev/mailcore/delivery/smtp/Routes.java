package dev.mailcore.delivery.smtp;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.SmtpReply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routing table of {@link SmtpTransport}: recipient domain → {@link Route}, like Postfix's {@code transport_maps}.
 * Lookup order for a domain {@code a.b.example}: the exact domain, then {@code .b.example}, then {@code .example}
 * (entries starting with a dot match subdomains only), then the wildcard {@code *}, then {@link Route#MX}.
 *
 * <pre>{@code
 * Routes routes = Routes.builder()
 *         .route("example.com", Route.smarthost("relay.example.net", 587))
 *         .route(".internal.example", Route.smarthost("10.0.0.5", 25))
 *         .route("*", Route.MX)
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Routes {
    private static final Pattern ENHANCED = Pattern.compile("([45])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+(.*))?");
    private static final Routes MX_ONLY = new Routes(Map.of());

    private final Map<String, Route> table;

    private Routes(Map<String, Route> table) {
        this.table = Map.copyOf(table);
    }

    /** No entries: every domain goes by MX. */
    public static Routes mxOnly() {
        return MX_ONLY;
    }

    /** Everything through one smarthost (Postfix's {@code relayhost}). */
    public static Routes smarthost(Route.Smarthost relay) {
        return builder().route("*", relay).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route for a recipient domain (any case; IDNs in either form). */
    public Route routeFor(String domain) {
        String d = normalize(domain);
        Route r = table.get(d);
        if (r != null) {
            return r;
        }
        int dot = d.indexOf('.');
        while (dot >= 0) {
            r = table.get(d.substring(dot));
            if (r != null) {
                return r;
            }
            dot = d.indexOf('.', dot + 1);
        }
        r = table.get("*");
        return r != null ? r : Route.MX;
    }

    /** The entries, pattern → route. */
    public Map<String, Route> entries() {
        return table;
    }

    /**
     * Parses a Postfix transport(5)-like table. One entry per line: {@code pattern  transport:nexthop}; {@code #}
     * starts a comment line; a line starting with white space continues the previous one. Patterns: a domain, a
     * {@code .domain} (its subdomains) or {@code *}. Transports:
     * <ul>
     *   <li>{@code smtp:} / {@code relay:} / {@code :} with an empty next hop: deliver by MX;</li>
     *   <li>{@code smtp:[host]}, {@code smtp:[host]:port}: that host, no MX lookup; {@code smtp:host[:port]}: the
     *       MX hosts of {@code host};</li>
     *   <li>{@code error:5.1.1 text} (or just text; 5.0.0 by default): refuse; a 4.x.x code defers;
     *       {@code retry:text}: defer (4.0.0);</li>
     *   <li>{@code discard:}: drop the message and report it delivered;</li>
     *   <li>{@code lmtp:[host]:port}, {@code lmtp:inet:host:port}: LMTP to an external store.</li>
     * </ul>
     *
     * @throws MailcoreException on a syntax error (with its line number)
     * @throws UncheckedIOException when the reader fails
     */
    public static Routes parse(Reader reader) {
        Builder b = builder();
        List<String[]> logical = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(reader)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && !logical.isEmpty()) {
                    String[] last = logical.get(logical.size() - 1);
                    last[0] = last[0] + " " + trimmed;
                } else {
                    logical.add(new String[] {trimmed, Integer.toString(number)});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String[] entry : logical) {
            String text = entry[0];
            int ws = indexOfWhitespace(text);
            if (ws < 0) {
                throw new MailcoreException("line " + entry[1] + ": missing transport after " + text);
            }
            String pattern = text.substring(0, ws);
            String action = text.substring(ws).strip();
            try {
                b.route(pattern, parseRoute(action));
            } catch (IllegalArgumentException e) {
                throw new MailcoreException("line " + entry[1] + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /**
     * Parses one right-hand side ({@code smtp:[relay.example]:587}, {@code error:5.1.1 gone}, ...), also usable for a
     * {@code --relayhost} option: a value without a transport prefix is read as a {@code smtp:} next hop.
     */
    public static Route parseRoute(String action) {
        String a = action.strip();
        int colon = a.indexOf(':');
        String transport;
        String nexthop;
        if (colon < 0 || a.startsWith("[")) {
            transport = "smtp";
            nexthop = a;
        } else {
            transport = a.substring(0, colon).toLowerCase(Locale.ROOT);
            nexthop = a.substring(colon + 1).strip();
            if (!transport.isEmpty() && !transport.matches("[a-z0-9_-]+")) {
                transport = "smtp";
                nexthop = a;
            }
        }
        switch (transport) {
            case "":
            case "smtp":
            case "relay":
                return nexthop.isEmpty() ? Route.MX : parseNexthop(nexthop);
            case "discard":
                return Route.DISCARD;
            case "lmtp":
                return parseLmtp(nexthop);
            case "error":
                return new Route.Refuse(errorReply(nexthop, 5));
            case "retry":
                return new Route.Refuse(errorReply(nexthop, 4));
            default:
                throw new IllegalArgumentException("unsupported transport " + transport + ":");
        }
    }

    private static Route parseLmtp(String nexthop) {
        String n = nexthop;
        if (n.regionMatches(true, 0, "unix:", 0, 5)) {
            throw new IllegalArgumentException("LMTP over UNIX-domain sockets is not supported: lmtp:" + nexthop);
        }
        if (n.regionMatches(true, 0, "inet:", 0, 5)) {
            n = n.substring(5);
        }
        Route r = n.isEmpty() ? null : parseNexthop(n.startsWith("[") ? n : "[" + hostPart(n) + "]" + portPart(n));
        if (!(r instanceof Route.Smarthost) || ((Route.Smarthost) r).port() == 0) {
            throw new IllegalArgumentException("lmtp: needs host:port, got lmtp:" + nexthop);
        }
        Route.Smarthost h = (Route.Smarthost) r;
        return new Route.Lmtp(h.host(), h.port());
    }

    private static String hostPart(String n) {
        int colon = n.lastIndexOf(':');
        return colon < 0 ? n : n.substring(0, colon);
    }

    private static String portPart(String n) {
        int colon = n.lastIndexOf(':');
        return colon < 0 ? "" : n.substring(colon);
    }

    private static Route parseNexthop(String nexthop) {
        String host;
        String rest;
        boolean useMx;
        if (nexthop.startsWith("[")) {
            int close = nexthop.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ] in " + nexthop);
            }
            host = nexthop.substring(1, close);
            rest = nexthop.substring(close + 1);
            useMx = false;
            if (host.regionMatches(true, 0, "ipv6:", 0, 5)) {
                host = host.substring(5);
            }
        } else {
            int colon = nexthop.lastIndexOf(':');
            host = colon < 0 ? nexthop : nexthop.substring(0, colon);
            rest = colon < 0 ? "" : nexthop.substring(colon);
            useMx = true;
        }
        int port = 0;
        if (!rest.isEmpty()) {
            if (!rest.startsWith(":") || !rest.substring(1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("bad port in " + nexthop);
            }
            port = Integer.parseInt(rest.substring(1));
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("bad host in " + nexthop);
        }
        return new Route.Smarthost(host, port, useMx, null, null);
    }

    private static SmtpReply errorReply(String text, int defaultClass) {
        Matcher m = ENHANCED.matcher(text);
        if (m.matches()) {
            int cls = Integer.parseInt(m.group(1));
            String rest = m.group(4) == null || m.group(4).isEmpty() ? "delivery refused by routing" : m.group(4);
            return SmtpReply.of(cls == 4 ? 450 : 550, m.group(1) + "." + m.group(2) + "." + m.group(3), rest);
        }
        String t = text.isEmpty() ? "delivery refused by routing" : text;
        return SmtpReply.of(defaultClass == 4 ? 450 : 550, defaultClass + ".0.0", t);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static String normalize(String domain) {
        String d = domain.strip();
        if (d.endsWith(".") && d.length() > 1) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.equals("*")) {
            return d;
        }
        boolean leadingDot = d.startsWith(".");
        String body = leadingDot ? d.substring(1) : d;
        if (!body.startsWith("[")) {
            try {
                body = IDN.toASCII(body, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                // keep as given
            }
        }
        return (leadingDot ? "." : "") + body.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Routes" + table;
    }

    /** Builds {@link Routes}. */
    public static final class Builder {
        private final Map<String, Route> table = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds or replaces an entry.
         *
         * @param pattern a domain, {@code .domain} (subdomains) or {@code *}
         */
        public Builder route(String pattern, Route route) {
            Objects.requireNonNull(route, "route");
            String p = normalize(Objects.requireNonNull(pattern, "pattern"));
            if (p.isEmpty() || p.equals(".")) {
                throw new IllegalArgumentException("empty route pattern");
            }
            table.put(p, route);
            return this;
        }

        /** Adds every entry of {@code other} (later entries replace earlier ones). */
        public Builder addAll(Routes other) {
            table.putAll(other.table);
            return this;
        }

        public Routes build() {
            return new Routes(table);
        }
    }
}
