package dev.mailcore.server.cli;

import dev.mailcore.api.store.Store;
import dev.mailcore.delivery.QueueCommands;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.server.MailServer;
import dev.mailcore.server.Service;

import java.io.PrintStream;

/**
 * {@code java -jar mailcore-server.jar [flags]}: runs a mail server until SIGTERM (exit status 0) or Ctrl-C.
 * {@code --help} lists the flags.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        configureLogging();
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /**
     * Parses the flags and runs the server; returns an exit status when it ends without being signalled (help,
     * usage errors), or -1 once the server runs and the process should stay alive until a signal.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("import") || args[0].equals("export"))) {
            return Transfer.run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("queue")) {
            return QueueCommands.run(java.util.Arrays.asList(args).subList(1, args.length), out, err);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("mailcore: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        if (options.help()) {
            out.print(Options.HELP);
            return 0;
        }
        if (options.version()) {
            out.println("mailcore " + version());
            return 0;
        }
        MailServer server;
        Store store = null;
        try {
            store = options.storeSettings().open();
            server = options.toBuilder().store(store).build().start();
        } catch (RuntimeException e) {
            err.println("mailcore: cannot start: " + e.getMessage());
            if (store != null) {
                store.close();
            }
            return 1;
        }
        Store opened = store;
        for (String notice : options.notices()) {
            out.println(notice);
        }
        // the hook goes in before "ready" is printed, so that a SIGTERM right after it still exits 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = 0;
            try {
                server.close();
                opened.close();
            } catch (RuntimeException e) {
                err.println("mailcore: error while stopping: " + e);
                status = 1;
            } finally {
                // SIGTERM is the normal way to stop this server: report success (0), not 143.
                Runtime.getRuntime().halt(status);
            }
        }, "mailcore-shutdown"));
        reloadOnHangup(server, options, err);
        printListeners(server, options, out);
        return -1;
    }

    private static void printListeners(MailServer server, Options options, PrintStream out) {
        for (Service service : Service.values()) {
            try {
                String name = service.listenerName() + (service.tlsMode() == TlsMode.IMPLICIT ? " (implicit TLS)" : "");
                out.println("mailcore: " + name + " listening on " + server.address(service));
            } catch (RuntimeException notConfigured) {
                // service not configured
            }
        }
        if (options.demo()) {
            out.println("mailcore: demo user " + Options.DEMO_USER + " password " + Options.DEMO_PASSWORD);
        }
        out.println("mailcore: ready (SIGTERM or Ctrl-C to stop)");
        out.flush();
    }

    /** SIGHUP reloads the routing files (aliases, virtual) and the access rules, keeping the old ones on errors. */
    private static void reloadOnHangup(MailServer server, Options options, PrintStream err) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                try {
                    server.reloadRouting();
                    if (options.accessRules() != null) {
                        options.accessRules().reload();
                    }
                    err.println("mailcore: configuration files reloaded");
                } catch (RuntimeException e) {
                    err.println("mailcore: reload failed, keeping the previous rules: " + e.getMessage());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            err.println("mailcore: SIGHUP reload not available on this JVM: " + e.getMessage());
        }
    }

    /** Defaults for slf4j-simple, the backend bundled in the standalone jar only; -D flags still win. */
    private static void configureLogging() {
        String p = "org.slf4j.simpleLogger.";
        setIfAbsent(p + "defaultLogLevel", "info");
        setIfAbsent(p + "showDateTime", "true");
        setIfAbsent(p + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent(p + "showThreadName", "false");
        setIfAbsent(p + "showShortLogName", "true");
        setIfAbsent(p + "log.io.netty", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
