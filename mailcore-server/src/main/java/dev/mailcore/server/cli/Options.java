package dev.mailcore.server.cli;

import dev.mailcore.delivery.smtp.Route;
import dev.mailcore.delivery.smtp.Routes;
import dev.mailcore.delivery.smtp.SmarthostAuth;
import dev.mailcore.delivery.smtp.TlsPolicy;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.server.MailServer;
import dev.mailcore.smtp.policy.DnsDomainResolver;
import dev.mailcore.smtp.policy.RateLimits;
import dev.mailcore.smtp.policy.RelayControl;
import dev.mailcore.smtp.policy.ReloadableAccessRules;
import dev.mailcore.smtp.policy.SenderChecks;
import dev.mailcore.smtp.policy.SizeLimits;
import dev.mailcore.smtp.routing.Router;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The standalone server's settings, from command-line flags and from config files. A config file holds the same
 * settings as the flags, one per line, as {@code name = value} without the leading dashes ({@code smtp-port = 25},
 * {@code user = alice@example.com:secret}); {@code #} starts a comment; switches take {@code true}/{@code false}.
 * {@code --config FILE} reads a file at that point, so flags after it override it.
 */
final class Options {

    static final String DEMO_USER = "demo@example.com";
    static final String DEMO_PASSWORD = "demo";

    /** Settings that take no value. */
    private static final Set<String> SWITCHES = Set.of("help", "version", "demo", "allow-insecure-auth",
            "no-default-folders", "require-fqdn-helo", "check-sender-domain");
    /** Settings that take a value; those in {@link #REPEATABLE} may be given many times. */
    private static final Set<String> VALUED = Set.of("smtp-port", "submission-port", "smtps-port", "imap-port",
            "imaps-port", "pop3-port", "pop3s-port", "user", "local-domain", "store", "bind", "hostname", "tls-cert",
            "tls-key", "tls-pkcs12", "tls-password", "max-message-size", "config", "quota-bytes", "quota-messages",
            "folder", "alias-file", "virtual-file", "plus-separator", "postmaster", "relay-network", "relay-domain",
            "access-file", "sender-allow", "sender-deny", "rate-per-ip", "rate-per-user", "domain-size-limit",
            "max-recipients", "max-connections", "max-connections-per-ip", "max-transactions", "command-timeout",
            "data-timeout", "queue-dir", "relayhost", "relayhost-auth", "relayhost-auth-file", "transport-file",
            "smtp-tls-policy");
    private static final Set<String> REPEATABLE = Set.of("user", "local-domain", "folder", "relay-network",
            "relay-domain", "sender-allow", "sender-deny", "domain-size-limit");

    static final String HELP = """
            Usage: java -jar mailcore-server.jar [flags]

            Runs a mailcore mail server until SIGTERM or Ctrl-C. Binds 127.0.0.1 unless --bind is given.

            Listeners (any number; with none, SMTP on 2525):
              --smtp-port N           SMTP (MX-style, STARTTLS offered)
              --submission-port N     submission (STARTTLS, AUTH required before MAIL)
              --smtps-port N          submissions (implicit TLS, AUTH required)
              --imap-port N           IMAP (IMAP4rev2 and IMAP4rev1, STARTTLS offered)
              --imaps-port N          IMAP over implicit TLS
              --pop3-port N           POP3 (STLS offered)
              --pop3s-port N          POP3 over implicit TLS
              --demo                  SMTP 2525, submission 2587, submissions 2465, IMAP 2143, IMAPS 2993,
                                      POP3 2110, POP3S 2995 and the user demo@example.com:demo

            Users and mail:
              --user ADDRESS:PASSWORD a user who logs in with ADDRESS and gets mail for it (repeatable)
              --local-domain DOMAIN   accept mail for this domain too (repeatable; users' domains are local)
              --store STORE           where mail is kept: memory (default), maildir:DIR (Maildir++ under DIR,
                                      one directory per user) or a JDBC URL as is: jdbc:h2:file:DIR/mail
                                      (embedded H2) or jdbc:postgresql://HOST:PORT/DB?user=U&password=P
              --quota-bytes N         per-user storage limit in octets (default none)
              --quota-messages N      per-user message count limit (default none)
              --folder NAME[=\\USE]   folders made for each user on first use, with an RFC 6154 special-use
                                      attribute (repeatable; default Sent, Drafts, Trash, Junk, Archive)
              --no-default-folders    make no folders besides INBOX
              --max-message-size N    largest message in octets (default 36700160)

            Routing (Postfix-style files; reloaded on SIGHUP):
              --alias-file FILE       aliases(5): "name: member, member" (nested, groups, remote forwards)
              --virtual-file FILE     virtual(5): "user@domain target, ..." / "@domain catch-all" / "domain x"
              --plus-separator C      sub-addressing: user+tag@domain -> user (default "+", "" disables)
              --postmaster TARGET     where postmaster@ every local domain goes (default: first user)

            Relay control and checks (no open relay: only authenticated clients relay by default):
              --relay-network CIDR|HOST  clients that may relay without AUTH (repeatable)
              --relay-domain DOMAIN   domains we relay for as backup MX (repeatable)
              --access-file FILE      sendmail-style access rules: Connect:/From:/To: KEY  OK|RELAY|REJECT|
                                      DISCARD|DEFER|ERROR:"5xx x.y.z text" (reloaded on SIGHUP)
              --require-fqdn-helo     HELO/EHLO must be a fully-qualified name or an address literal
              --check-sender-domain   the MAIL FROM domain must resolve in DNS (451 4.4.3 on DNS trouble)
              --sender-allow X / --sender-deny X   sender address or domain lists (repeatable; allow wins)

            Outbound (relayed mail: authenticated senders, forwards, bounces):
              --queue-dir DIR         queue outbound mail durably in DIR and deliver it with retries and DSN
                                      bounces (without it, mail for other domains is refused)
              --relayhost HOST        send all outbound mail via this smarthost, e.g. [relay.example.net]:587
                                      (brackets: no MX lookup); default: MX lookup per recipient domain
              --relayhost-auth USER:PASSWORD   log in to the relay host with SMTP AUTH (only ever over TLS);
                                      the password is what follows the first colon
              --relayhost-auth-file FILE       the same, read from the first line of FILE (keeps the password
                                      off the command line; make FILE readable by the server only)
              --transport-file FILE   per-domain routes like Postfix transport(5): "example.com smtp:[mx]:25",
                                      "old.example error:5.1.1 gone", ".example.net lmtp:[127.0.0.1]:24"
              --smtp-tls-policy P     outbound STARTTLS: none, may (default), encrypt or verify

            Limits:
              --max-recipients N      recipients per message (default 1000; 452 4.5.3 beyond)
              --max-transactions N    messages per connection (default no limit; 421 4.7.0 beyond)
              --command-timeout S     seconds to wait for the next command (default 300, RFC 5321)
              --data-timeout S        seconds to wait for more message data (default 180)
              --max-connections N     open connections per listener (default 10000)
              --max-connections-per-ip N  per client IP and listener (default 100; loopback exempt)
              --rate-per-ip N         messages per minute per client IP (451 4.7.1 beyond)
              --rate-per-user N       messages per minute per authenticated user
              --domain-size-limit DOMAIN=N  largest message for recipients in DOMAIN (repeatable)

            Network and TLS:
              --bind ADDRESS          address to listen on (default 127.0.0.1)
              --hostname NAME         name in the greeting and Received headers
              --tls-cert FILE --tls-key FILE     PEM certificate chain and private key
              --tls-pkcs12 FILE [--tls-password PASSWORD]   PKCS#12 key store
                                      (default: a self-signed certificate for localhost made at start)
              --allow-insecure-auth   offer AUTH without TLS to non-loopback clients

            Subcommands: import (mbox or Maildir into the store) and export (a mailbox to mbox); see
              java -jar mailcore-server.jar import --help
              queue list|stats|flush|hold|release|delete|requeue --queue-dir DIR [ID...|ALL]  (like
              mailq/postqueue; works while the server runs)

              --config FILE           read settings from FILE: one "name = value" per line, names as the flags
                                      above without "--" (e.g. "smtp-port = 25"); later flags override it
              --help                  this text
              --version               the version
            """;

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> notices = new ArrayList<>();

    private Options() {
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (VALUED.contains(name) && value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            o.set(name, value, "--" + name);
        }
        o.finish();
        return o;
    }

    private void set(String name, String value, String where) {
        if (SWITCHES.contains(name)) {
            boolean on = value == null || parseBoolean(value, where);
            values.put(name, List.of(Boolean.toString(on)));
        } else if (VALUED.contains(name)) {
            if (value == null) {
                throw new IllegalArgumentException(where + " needs a value");
            }
            if (name.equals("relayhost-auth") && where.startsWith("--")) {
                notices.add("mailcore: --relayhost-auth on the command line is visible to other local users;"
                        + " --relayhost-auth-file or a config file keeps the password private");
            }
            if (name.equals("config")) {
                readConfig(Path.of(value));
            } else if (REPEATABLE.contains(name)) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                values.put(name, List.of(value));
            }
        } else {
            throw new IllegalArgumentException("unknown flag " + where);
        }
    }

    private void readConfig(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (n + 1);
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? null : line.substring(eq + 1).strip();
            if (name.equals("config")) {
                throw new IllegalArgumentException(where + ": config files do not include other config files");
            }
            try {
                set(name, value, where + ": " + name);
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
    }

    private void finish() {
        if (flag("demo")) {
            for (String[] p : new String[][] {{"smtp-port", "2525"}, {"submission-port", "2587"},
                    {"smtps-port", "2465"}, {"imap-port", "2143"}, {"imaps-port", "2993"}, {"pop3-port", "2110"},
                    {"pop3s-port", "2995"}}) {
                values.putIfAbsent(p[0], List.of(p[1]));
            }
            values.computeIfAbsent("user", k -> new ArrayList<>()).add(DEMO_USER + ":" + DEMO_PASSWORD);
        }
        ports(); // validates
        users();
        StoreSettings.validate(value("store", "memory"));
        storeSettings();
        Outbound outbound = outbound(); // validates
        if (outbound.queueDirectory() == null && (value("relayhost", null) != null
                || value("transport-file", null) != null)) {
            notices.add("mailcore: --relayhost and --transport-file take effect with --queue-dir only");
        }
        if ((value("tls-cert", null) == null) != (value("tls-key", null) == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        for (String n : List.of("max-message-size", "quota-bytes", "quota-messages", "rate-per-ip", "rate-per-user",
                "max-recipients", "max-connections", "max-connections-per-ip", "max-transactions",
                "command-timeout", "data-timeout")) {
            if (value(n, null) != null) {
                number(n);
            }
        }
    }

    boolean help() {
        return flag("help");
    }

    boolean version() {
        return flag("version");
    }

    boolean demo() {
        return flag("demo");
    }

    List<String> notices() {
        return notices;
    }

    /** Listener name ({@code smtp}, {@code submission}, {@code smtps}, {@code imap}, ...) to port; SMTP on 2525 when none given. */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s")) {
            String v = value(name + "-port", null);
            if (v != null) {
                ports.put(name, port(v, "--" + name + "-port"));
            }
        }
        if (ports.isEmpty()) {
            ports.put("smtp", 2525);
        }
        return ports;
    }

    /** The users as {address, password} pairs. */
    List<String[]> users() {
        List<String[]> users = new ArrayList<>();
        for (String v : values.getOrDefault("user", List.of())) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || colon == v.length() - 1) {
                throw new IllegalArgumentException("--user wants ADDRESS:PASSWORD, got " + v);
            }
            users.add(new String[] {v.substring(0, colon), v.substring(colon + 1)});
        }
        return users;
    }

    /** The store settings; {@link StoreSettings#open()} makes the store. */
    StoreSettings storeSettings() {
        long bytes = value("quota-bytes", null) == null ? Long.MAX_VALUE : number("quota-bytes");
        long messages = value("quota-messages", null) == null ? Long.MAX_VALUE : number("quota-messages");
        return new StoreSettings(value("store", "memory"), bytes, messages, !flag("no-default-folders"),
                values.getOrDefault("folder", List.of()));
    }

    MailServer.Builder toBuilder() {
        MailServer.Builder b = MailServer.builder();
        ports().forEach((name, port) -> {
            switch (name) {
                case "smtp" -> b.smtp(port);
                case "submission" -> b.submission(port);
                case "smtps" -> b.smtps(port);
                case "imap" -> b.imap(port);
                case "imaps" -> b.imaps(port);
                case "pop3" -> b.pop3(port);
                case "pop3s" -> b.pop3s(port);
                default -> throw new IllegalStateException(name);
            }
        });
        users().forEach(u -> b.user(u[0], u[1]));
        values.getOrDefault("local-domain", List.of()).forEach(b::localDomain);
        ifSet("bind", b::bindAddress);
        ifSet("hostname", b::hostname);
        Outbound outbound = outbound();
        if (outbound.queueDirectory() != null) {
            b.queue(outbound.queueDirectory());
        }
        ifSet("relayhost", b::relayHost);
        if (outbound.routes() != null || outbound.tlsPolicy() != null) {
            b.outboundSettings(t -> {
                if (outbound.routes() != null) {
                    t.routes(outbound.routes());
                }
                if (outbound.tlsPolicy() != null) {
                    t.tlsPolicy(outbound.tlsPolicy());
                }
            });
        }
        String cert = value("tls-cert", null);
        String pkcs12 = value("tls-pkcs12", null);
        if (cert != null) {
            b.tls(TlsConfig.pem(Path.of(cert), Path.of(value("tls-key", null))));
        } else if (pkcs12 != null) {
            String password = value("tls-password", null);
            b.tls(TlsConfig.pkcs12(Path.of(pkcs12), password == null ? null : password.toCharArray()));
        }
        if (value("max-message-size", null) != null) {
            b.maxMessageSize(number("max-message-size"));
        }
        b.allowInsecureAuth(flag("allow-insecure-auth"));
        b.routing(this::routing);
        policies(b);
        if (value("max-recipients", null) != null) {
            int max = (int) number("max-recipients");
            b.smtpSettings(s -> s.maxRecipients(max));
        }
        if (value("max-transactions", null) != null) {
            int max = (int) number("max-transactions");
            b.smtpSettings(s -> s.maxTransactionsPerConnection(max));
        }
        if (value("command-timeout", null) != null) {
            java.time.Duration t = java.time.Duration.ofSeconds(number("command-timeout"));
            b.smtpSettings(s -> s.commandTimeout(t));
        }
        if (value("data-timeout", null) != null) {
            java.time.Duration t = java.time.Duration.ofSeconds(number("data-timeout"));
            b.smtpSettings(s -> s.dataTimeout(t));
        }
        if (value("max-connections", null) != null) {
            b.maxConnections((int) number("max-connections"));
        }
        if (value("max-connections-per-ip", null) != null) {
            b.maxConnectionsPerIp((int) number("max-connections-per-ip"));
        }
        return b;
    }

    /**
     * The outbound settings.
     *
     * @param queueDirectory the queue's spool, or {@code null} (no queue: relayed mail is refused)
     * @param routes         the routes when they differ from what {@link MailServer.Builder#relayHost} alone gives
     *                       (a transport file, relay host credentials), or {@code null}
     * @param tlsPolicy      the outbound STARTTLS policy, or {@code null} for the default
     */
    record Outbound(Path queueDirectory, Routes routes, TlsPolicy tlsPolicy) {
    }

    /** The outbound settings; reads the transport file and the credentials file. */
    Outbound outbound() {
        String dir = value("queue-dir", null);
        String relayhost = value("relayhost", null);
        String transportFile = value("transport-file", null);
        String policy = value("smtp-tls-policy", null);
        Route.Smarthost relay = null;
        if (relayhost != null) {
            Route route;
            try {
                route = Routes.parseRoute(relayhost);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--relayhost " + relayhost + ": " + e.getMessage());
            }
            if (!(route instanceof Route.Smarthost s)) {
                throw new IllegalArgumentException("--relayhost wants a next hop like [relay.example.net]:587, got "
                        + relayhost);
            }
            relay = s;
        }
        SmarthostAuth auth = relayAuth();
        if (auth != null) {
            if (relay == null) {
                throw new IllegalArgumentException("--relayhost-auth needs --relayhost");
            }
            relay = relay.withAuth(auth);
        }
        Routes routes = null;
        if (transportFile != null) {
            try (Reader r = Files.newBufferedReader(Path.of(transportFile), StandardCharsets.UTF_8)) {
                routes = Routes.parse(r);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--transport-file " + transportFile + ": " + e.getMessage());
            }
        }
        if (routes != null && relay != null) {
            routes = Routes.builder().addAll(routes).route("*", relay).build();
        } else if (auth != null) {
            routes = Routes.smarthost(relay);
        }
        TlsPolicy tls = null;
        if (policy != null) {
            try {
                tls = TlsPolicy.parse(policy);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--smtp-tls-policy wants none, may, encrypt or verify, got "
                        + policy);
            }
        }
        return new Outbound(dir == null ? null : Path.of(dir), routes, tls);
    }

    /** The relay host's credentials from --relayhost-auth or --relayhost-auth-file; null when neither is set. */
    private SmarthostAuth relayAuth() {
        String inline = value("relayhost-auth", null);
        String file = value("relayhost-auth-file", null);
        if (inline != null && file != null) {
            throw new IllegalArgumentException("--relayhost-auth and --relayhost-auth-file exclude each other");
        }
        String text = inline;
        String flag = "--relayhost-auth";
        if (file != null) {
            flag = "--relayhost-auth-file " + file;
            try {
                text = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + flag + ": " + e.getMessage());
            }
        }
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            // never echo the value: it holds a password
            throw new IllegalArgumentException(flag + " wants USER:PASSWORD");
        }
        return new SmarthostAuth(text.substring(0, colon), text.substring(colon + 1));
    }

    private void routing(Router.Builder r) {
        ifSet("alias-file", f -> r.loadAliases(Path.of(f)));
        ifSet("virtual-file", f -> r.loadVirtual(Path.of(f)));
        ifSet("plus-separator", r::plusSeparator);
        ifSet("postmaster", r::postmaster);
    }

    /** The access rules from --access-file, kept so that SIGHUP can reload them; null when none. */
    ReloadableAccessRules accessRules() {
        return accessRules;
    }

    private ReloadableAccessRules accessRules;

    /** Policies in the recommended order: size, rate, access rules, sender checks, relay control. */
    private void policies(MailServer.Builder b) {
        List<String> sizes = values.getOrDefault("domain-size-limit", List.of());
        if (!sizes.isEmpty()) {
            SizeLimits.Builder sl = SizeLimits.builder();
            for (String entry : sizes) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--domain-size-limit wants DOMAIN=BYTES, got " + entry);
                }
                try {
                    sl.limit(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--domain-size-limit wants DOMAIN=BYTES, got " + entry);
                }
            }
            SizeLimits limits = sl.build();
            b.policy(limits).filter(limits);
        }
        if (value("rate-per-ip", null) != null || value("rate-per-user", null) != null) {
            RateLimits.Builder rl = RateLimits.builder();
            if (value("rate-per-ip", null) != null) {
                rl.messagesPerMinutePerIp((int) number("rate-per-ip"));
            }
            if (value("rate-per-user", null) != null) {
                rl.messagesPerMinutePerUser((int) number("rate-per-user"));
            }
            b.policy(rl.build());
        }
        String access = value("access-file", null);
        if (access != null) {
            accessRules = ReloadableAccessRules.load(Path.of(access));
            b.policy(accessRules);
        }
        List<String> allow = values.getOrDefault("sender-allow", List.of());
        List<String> deny = values.getOrDefault("sender-deny", List.of());
        if (flag("require-fqdn-helo") || flag("check-sender-domain") || !allow.isEmpty() || !deny.isEmpty()) {
            SenderChecks.Builder sc = SenderChecks.builder().allowAll(allow).denyAll(deny);
            if (flag("require-fqdn-helo")) {
                sc.requireFqdnHelo();
            }
            if (flag("check-sender-domain")) {
                sc.requireResolvableSenderDomain(DnsDomainResolver.builder().build());
            }
            b.policy(sc.build());
        }
        List<String> networks = values.getOrDefault("relay-network", List.of());
        List<String> relayDomains = values.getOrDefault("relay-domain", List.of());
        if (!networks.isEmpty() || !relayDomains.isEmpty()) {
            b.policy(RelayControl.builder().trustNetworks(networks).relayDomains(relayDomains).build());
        }
    }

    private void ifSet(String name, java.util.function.Consumer<String> action) {
        String v = value(name, null);
        if (v != null) {
            action.accept(v);
        }
    }

    private boolean flag(String name) {
        return Boolean.parseBoolean(value(name, "false"));
    }

    private String value(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? fallback : v.get(v.size() - 1);
    }

    private long number(String name) {
        String v = value(name, null);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " wants a number, got " + v);
        }
    }

    private static boolean parseBoolean(String v, String where) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(where + " wants true or false, got " + v);
        };
    }

    private static int port(String v, String flag) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " wants a port number 0-65535, got " + v);
        }
    }
}
