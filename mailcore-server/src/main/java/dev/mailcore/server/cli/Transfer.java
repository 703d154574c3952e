package dev.mailcore.server.cli;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.maildir.MaildirImporter;
import dev.mailcore.store.transfer.MboxExporter;
import dev.mailcore.store.transfer.MboxImporter;
import dev.mailcore.store.transfer.TransferReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code import} and {@code export} subcommands: move mail between a store and mbox files or Maildir trees,
 * with the same {@code --store} (and {@code --config}) settings as the server.
 */
final class Transfer {
    static final String HELP = """
            Usage: java -jar mailcore-server.jar import --user ADDRESS (--mbox FILE [--mailbox NAME] | --maildir DIR)
                                                 [--store STORE | --config FILE]
                   java -jar mailcore-server.jar export --user ADDRESS --mailbox NAME --mbox FILE
                                                 [--store STORE | --config FILE]

            import --mbox   appends every message of an mbox (mboxrd) file to a mailbox (default INBOX), keeping
                            flags (Status, X-Status, X-Keywords) and dates
            import --maildir  imports a Maildir or Maildir++ tree (Dovecot, Courier): every folder, flags and
                            keywords
            export          writes a mailbox as an mboxrd file with its flags

            Stop the server first when the store is maildir or H2 (one process at a time).
            """;

    private Transfer() {
    }

    static int run(String command, String[] args, PrintStream out, PrintStream err) {
        Map<String, String> own = new LinkedHashMap<>();
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.startsWith("--") ? a.substring(2) : "";
            int eq = name.indexOf('=');
            String key = eq > 0 ? name.substring(0, eq) : name;
            if (key.equals("user") || key.equals("mbox") || key.equals("maildir") || key.equals("mailbox")) {
                String v = eq > 0 ? name.substring(eq + 1) : (i + 1 < args.length ? args[++i] : null);
                if (v == null) {
                    err.println("mailcore " + command + ": --" + key + " needs a value");
                    return 2;
                }
                own.put(key, v);
            } else if (key.equals("help")) {
                out.print(HELP);
                return 0;
            } else {
                rest.add(a);
            }
        }
        Options options;
        try {
            options = Options.parse(rest.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            err.println("mailcore " + command + ": " + e.getMessage());
            return 2;
        }
        String user = own.get("user");
        boolean ok = user != null && (command.equals("import")
                ? own.containsKey("mbox") != own.containsKey("maildir")
                : own.containsKey("mbox") && own.containsKey("mailbox"));
        if (!ok) {
            err.print(HELP);
            return 2;
        }
        try (Store store = options.storeSettings().open()) {
            if (command.equals("export")) {
                TransferReport r = new MboxExporter(store).exportTo(new MailboxRef(user, own.get("mailbox")),
                        Path.of(own.get("mbox")));
                out.println("mailcore export: " + r.transferred() + " message(s) written to " + own.get("mbox"));
                return 0;
            }
            if (own.containsKey("maildir")) {
                MaildirImporter.Result r = MaildirImporter.importInto(Path.of(own.get("maildir")), store, user);
                out.println("mailcore import: " + r.messages() + " message(s) in " + r.mailboxes()
                        + " mailbox(es) imported for " + user);
                r.skipped().forEach(s -> out.println("  skipped " + s));
                return 0;
            }
            MailboxRef target = new MailboxRef(user, own.getOrDefault("mailbox", MailboxRef.INBOX));
            TransferReport r = new MboxImporter(store).importFrom(Path.of(own.get("mbox")), target);
            out.println("mailcore import: " + r.transferred() + " message(s) imported into " + target.name()
                    + " of " + user);
            r.skipped().forEach(s -> out.println("  skipped message at " + s.position() + ": " + s.reason()));
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("mailcore " + command + ": " + e.getMessage());
            return 1;
        }
    }
}
