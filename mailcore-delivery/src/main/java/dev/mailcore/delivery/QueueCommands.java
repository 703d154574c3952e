package dev.mailcore.delivery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code queue} subcommands of the standalone server, without a {@code main}: the launcher forwards its
 * arguments to {@link #run}.
 *
 * <pre>
 * queue list     --queue-dir DIR            like mailq: id (* being retried, ! held), size, arrival, sender, then
 *                                           each unfinished recipient with its last error in parentheses
 * queue stats    --queue-dir DIR
 * queue flush    --queue-dir DIR [ID...]    retry now (all messages when no id is given)
 * queue hold     --queue-dir DIR ID...|ALL
 * queue release  --queue-dir DIR ID...|ALL
 * queue delete   --queue-dir DIR ID...|ALL  remove without notifying the sender
 * queue requeue  --queue-dir DIR ID...|ALL  retry now with the attempt counts reset
 * </pre>
 * {@code --queue-dir} is the server's flag for the same directory; {@code --spool} is accepted as an alias.
 */
public final class QueueCommands {
    private static final DateTimeFormatter ARRIVAL =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.ENGLISH);

    private QueueCommands() {
    }

    /** The usage text. */
    public static String usage() {
        return "usage: queue list|stats|flush|hold|release|delete|requeue --queue-dir DIR [ID...|ALL]";
    }

    /**
     * Runs one subcommand.
     *
     * @param args the arguments after {@code queue}: the subcommand, {@code --queue-dir DIR} (or {@code --spool
     *             DIR}), ids
     * @return the exit status: 0 done, 1 some id was not found or the spool failed, 2 bad usage
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String verb = null;
        Path spool = null;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String flag = a.startsWith("--queue-dir") ? "--queue-dir" : a.startsWith("--spool") ? "--spool" : null;
            if (flag != null && a.equals(flag)) {
                if (i + 1 >= args.size()) {
                    err.println(flag + " needs a directory");
                    err.println(usage());
                    return 2;
                }
                spool = Path.of(args.get(++i));
            } else if (flag != null && a.startsWith(flag + "=")) {
                spool = Path.of(a.substring(flag.length() + 1));
            } else if (a.startsWith("--")) {
                err.println("unknown flag " + a);
                err.println(usage());
                return 2;
            } else if (verb == null) {
                verb = a.toLowerCase(Locale.ROOT);
            } else {
                ids.add(a);
            }
        }
        if (verb == null || spool == null) {
            err.println(usage());
            return 2;
        }
        QueueAdmin admin = new QueueAdmin(spool);
        try {
            switch (verb) {
                case "list":
                    out.print(formatList(admin.list(), ZoneId.systemDefault()));
                    List<String> corrupt = admin.corrupt();
                    if (!corrupt.isEmpty()) {
                        out.println(corrupt.size() + " unreadable queue file" + (corrupt.size() == 1 ? "" : "s")
                                + " moved to " + spool.resolve("corrupt") + ": " + String.join(" ", corrupt));
                    }
                    return 0;
                case "stats":
                    out.print(formatStats(admin.stats()));
                    return 0;
                case "flush":
                    if (ids.isEmpty()) {
                        admin.flush();
                        out.println("flushed the queue");
                        return 0;
                    }
                    return each(admin, verb, ids, out, err);
                case "hold":
                case "release":
                case "delete":
                case "requeue":
                    if (ids.isEmpty()) {
                        err.println(usage());
                        return 2;
                    }
                    return each(admin, verb, ids, out, err);
                default:
                    err.println("unknown queue command: " + verb);
                    err.println(usage());
                    return 2;
            }
        } catch (IOException | RuntimeException e) {
            err.println("queue " + verb + ": " + e.getMessage());
            return 1;
        }
    }

    private static int each(QueueAdmin admin, String verb, List<String> ids, PrintStream out, PrintStream err)
            throws IOException {
        List<String> targets = new ArrayList<>();
        if (ids.size() == 1 && ids.get(0).equals("ALL")) {
            admin.list().forEach(e -> targets.add(e.id()));
        } else {
            targets.addAll(ids);
        }
        int status = 0;
        int done = 0;
        for (String id : targets) {
            boolean found;
            switch (verb) {
                case "flush":
                    found = admin.flush(id);
                    break;
                case "hold":
                    found = admin.hold(id);
                    break;
                case "release":
                    found = admin.release(id);
                    break;
                case "delete":
                    found = admin.delete(id);
                    break;
                default:
                    found = admin.requeue(id);
                    break;
            }
            if (found) {
                done++;
            } else {
                err.println(id + ": no such message in the queue");
                status = 1;
            }
        }
        out.println(verb + ": " + done + " message" + (done == 1 ? "" : "s"));
        return status;
    }

    /** The queue listed as Postfix's {@code mailq} does. */
    public static String formatList(List<QueueEntry> entries, ZoneId zone) {
        if (entries.isEmpty()) {
            return "Mail queue is empty\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-17s %8s %-20s  %s%n", "-Queue ID-", "--Size--",
                "----Arrival Time----", "-Sender/Recipient-------"));
        long bytes = 0;
        for (QueueEntry e : entries) {
            bytes += e.size();
            boolean retried = e.recipients().stream().anyMatch(r -> r.state() == RecipientState.State.DEFERRED);
            String mark = e.held() ? "!" : retried ? "*" : "";
            String sender = e.sender().isNull() ? "MAILER-DAEMON" : e.sender().address().orElseThrow().toString();
            sb.append(String.format(Locale.ROOT, "%-17s %8d %-20s  %s%n", e.id() + mark, e.size(),
                    ARRIVAL.format(e.arrival().atZone(zone)), sender));
            String lastError = null;
            for (RecipientState r : e.recipients()) {
                if (r.state().isFinal()) {
                    continue;
                }
                String error = r.lastReply() == null ? null : r.lastReply().toString();
                if (error != null && !error.equals(lastError)) {
                    sb.append('(').append(error).append(')').append(System.lineSeparator());
                }
                lastError = error;
                sb.append(" ".repeat(49)).append(r.address()).append(System.lineSeparator());
            }
            sb.append(System.lineSeparator());
        }
        long kbytes = (bytes + 1023) / 1024;
        sb.append("-- ").append(kbytes).append(" Kbytes in ").append(entries.size())
                .append(entries.size() == 1 ? " Request." : " Requests.").append(System.lineSeparator());
        return sb.toString();
    }

    /** The statistics, one {@code name: value} per line. */
    public static String formatStats(QueueStats s) {
        String nl = System.lineSeparator();
        String oldest = s.oldest() == null ? "-"
                : s.oldest() + " (" + human(Duration.between(s.oldest(), Instant.now())) + " ago)";
        return "messages: " + s.messages() + nl
                + "held: " + s.held() + nl
                + "recipients pending: " + s.pending() + nl
                + "recipients deferred: " + s.deferred() + nl
                + "bytes: " + s.bytes() + nl
                + "oldest: " + oldest + nl
                + "delivered since start: " + s.delivered() + nl
                + "deferrals since start: " + s.deferrals() + nl
                + "bounced since start: " + s.bounced() + nl;
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172800) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
