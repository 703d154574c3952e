package dev.mailcore.server.cli;

import dev.mailcore.netty.TlsConfig;
import dev.mailcore.server.MailServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The standalone server's command-line flags. */
record Options(Map<String, Integer> ports, List<String[]> users, List<String> localDomains, String store,
               String bind, String hostname, String tlsCert, String tlsKey, String tlsPkcs12, String tlsPassword,
               Long maxMessageSize, boolean allowInsecureAuth, boolean demo, boolean help, boolean version,
               List<String> notices) {

    static final String DEMO_USER = "demo@example.com";
    static final String DEMO_PASSWORD = "demo";

    static final String HELP = """
            Usage: java -jar mailcore-server.jar [flags]

            Runs a mailcore mail server until SIGTERM or Ctrl-C. Binds 127.0.0.1 unless --bind is given.

            Listeners (any number; with none, SMTP on 2525):
              --smtp-port N           SMTP (MX-style, STARTTLS offered)
              --submission-port N     submission (STARTTLS, AUTH required before MAIL)
              --smtps-port N          submissions (implicit TLS, AUTH required)
              --imap-port N           IMAP (not available in this version: logged and ignored)
              --imaps-port N          IMAP over implicit TLS (not available yet)
              --pop3-port N           POP3 (not available in this version: logged and ignored)
              --pop3s-port N          POP3 over implicit TLS (not available yet)
              --demo                  all listeners on 2525/2587/2465 and the user demo@example.com:demo

            Users and mail:
              --user ADDRESS:PASSWORD a user who logs in with ADDRESS and gets mail for it (repeatable)
              --local-domain DOMAIN   accept mail for this domain too (repeatable; users' domains are local)
              --store memory          where mail is kept (memory is the only store in this version; maildir:DIR
                                      and JDBC URLs come with the durable stores)
              --max-message-size N    largest message in octets (default 36700160)

            Network and TLS:
              --bind ADDRESS          address to listen on (default 127.0.0.1)
              --hostname NAME         name in the greeting and Received headers
              --tls-cert FILE --tls-key FILE     PEM certificate chain and private key
              --tls-pkcs12 FILE [--tls-password PASSWORD]   PKCS#12 key store
                                      (default: a self-signed certificate for localhost made at start)
              --allow-insecure-auth   offer AUTH without TLS to non-loopback clients

              --help                  this text
              --version               the version
            """;

    static Options parse(String[] args) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<String[]> users = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        String store = "memory";
        String bind = null;
        String hostname = null;
        String tlsCert = null;
        String tlsKey = null;
        String pkcs12 = null;
        String tlsPassword = null;
        Long maxSize = null;
        boolean insecure = false;
        boolean demo = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                case "--demo" -> demo = true;
                case "--allow-insecure-auth" -> insecure = true;
                case "--smtp-port", "--submission-port", "--smtps-port", "--imap-port", "--imaps-port",
                        "--pop3-port", "--pop3s-port" -> {
                    String v = value != null ? value : next(args, ++i, flag);
                    ports.put(flag.substring(2, flag.length() - 5), port(v, flag));
                }
                case "--user" -> {
                    String v = value != null ? value : next(args, ++i, flag);
                    int colon = v.lastIndexOf(':');
                    if (colon <= 0 || colon == v.length() - 1) {
                        throw new IllegalArgumentException("--user wants ADDRESS:PASSWORD, got " + v);
                    }
                    users.add(new String[] {v.substring(0, colon), v.substring(colon + 1)});
                }
                case "--local-domain" -> domains.add(value != null ? value : next(args, ++i, flag));
                case "--store" -> store = value != null ? value : next(args, ++i, flag);
                case "--bind" -> bind = value != null ? value : next(args, ++i, flag);
                case "--hostname" -> hostname = value != null ? value : next(args, ++i, flag);
                case "--tls-cert" -> tlsCert = value != null ? value : next(args, ++i, flag);
                case "--tls-key" -> tlsKey = value != null ? value : next(args, ++i, flag);
                case "--tls-pkcs12" -> pkcs12 = value != null ? value : next(args, ++i, flag);
                case "--tls-password" -> tlsPassword = value != null ? value : next(args, ++i, flag);
                case "--max-message-size" -> {
                    String v = value != null ? value : next(args, ++i, flag);
                    try {
                        maxSize = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--max-message-size wants a number, got " + v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (!"memory".equals(store)) {
            throw new IllegalArgumentException("--store " + store
                    + " is not available in this version; use --store memory");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (demo) {
            ports.putIfAbsent("smtp", 2525);
            ports.putIfAbsent("submission", 2587);
            ports.putIfAbsent("smtps", 2465);
            users.add(new String[] {DEMO_USER, DEMO_PASSWORD});
        }
        for (String p : List.of("imap", "imaps", "pop3", "pop3s")) {
            if (ports.remove(p) != null) {
                notices.add("mailcore: --" + p + "-port ignored: " + p.toUpperCase(java.util.Locale.ROOT)
                        + " is not available in this version; serving SMTP only");
            }
        }
        if (ports.isEmpty() && !help && !version) {
            ports.put("smtp", 2525);
        }
        return new Options(ports, users, domains, store, bind, hostname, tlsCert, tlsKey, pkcs12, tlsPassword,
                maxSize, insecure, demo, help, version, notices);
    }

    MailServer.Builder toBuilder() {
        MailServer.Builder b = MailServer.builder();
        ports.forEach((name, port) -> {
            switch (name) {
                case "smtp" -> b.smtp(port);
                case "submission" -> b.submission(port);
                case "smtps" -> b.smtps(port);
                default -> throw new IllegalStateException(name);
            }
        });
        users.forEach(u -> b.user(u[0], u[1]));
        localDomains.forEach(b::localDomain);
        if (bind != null) {
            b.bindAddress(bind);
        }
        if (hostname != null) {
            b.hostname(hostname);
        }
        if (tlsCert != null) {
            b.tls(TlsConfig.pem(Path.of(tlsCert), Path.of(tlsKey)));
        } else if (tlsPkcs12 != null) {
            b.tls(TlsConfig.pkcs12(Path.of(tlsPkcs12), tlsPassword == null ? null : tlsPassword.toCharArray()));
        }
        if (maxMessageSize != null) {
            b.maxMessageSize(maxMessageSize);
        }
        b.allowInsecureAuth(allowInsecureAuth);
        return b;
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
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
