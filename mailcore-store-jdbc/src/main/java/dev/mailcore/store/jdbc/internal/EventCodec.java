package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreEvent;

import dev.mailcore.api.store.Flags;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@code NOTIFY mailcore_events} message: one store event, tab-separated fields (mailbox names
 * cannot hold control characters; user names are escaped to be sure):
 * <pre>
 * 1 TAB scope TAB node TAB kind TAB user TAB mailbox TAB uidvalidity TAB fromModSeq TAB toModSeq TAB uids TAB oldName
 * </pre>
 * The scope is the database schema the sender works in: stores in other schemas of the same database share the
 * channel and ignore each other's notices.
 * Kinds: {@code A} added and {@code F} flags changed (the messages' metadata in the uids field, entries {@code
 * uid:modseq:size:seconds:nanos:flagmask:keyword+keyword} separated by commas), {@code X} expunged (UIDs as {@code
 * 1:5,7}), {@code C} created, {@code D} deleted, {@code N} renamed (oldName set). When that would make the payload
 * longer than {@link #MAX_BYTES} (PostgreSQL's limit is 8000), {@code a}, {@code f} and {@code x} say the same without
 * the list: the receiver reads the rows (or expunge records) of the mailbox whose MODSEQ lies in {@code (fromModSeq,
 * toModSeq]}.
 */
final class EventCodec {
    static final int MAX_BYTES = 7900;

    /** A decoded payload. {@code uids} is empty for a resync notice. */
    record Notice(String scope, String node, char kind, String user, String mailbox, long uidValidity, long fromModSeq,
                  long toModSeq, String list, String oldName) {
        /** The UIDs of an {@code X} notice. */
        List<Long> uids() {
            return parseRanges(list);
        }

        /** The messages of an {@code A} or {@code F} notice. */
        List<MessageMeta> metas() {
            return parseMetas(list);
        }

        boolean resync() {
            return Character.isLowerCase(kind);
        }
    }

    private EventCodec() {
    }

    static String encode(String scope, String node, StoreEvent e) {
        return "1\t" + escape(scope) + '\t' + encode(node, e);
    }

    private static String encode(String node, StoreEvent e) {
        String user = e.mailbox().user();
        String name = e.mailbox().name();
        if (e instanceof StoreEvent.MessagesAdded a) {
            return messages(node, 'A', user, name, a.uidValidity(), a.messages());
        }
        if (e instanceof StoreEvent.FlagsChanged f) {
            return messages(node, 'F', user, name, f.uidValidity(), f.messages());
        }
        if (e instanceof StoreEvent.MessagesExpunged x) {
            String full = join(node, 'X', user, name, x.uidValidity(), x.modSeq() - 1, x.modSeq(), ranges(x.uids()),
                    "");
            return fits(full) ? full : join(node, 'x', user, name, x.uidValidity(), x.modSeq() - 1, x.modSeq(), "", "");
        }
        if (e instanceof StoreEvent.MailboxCreated) {
            return join(node, 'C', user, name, 0, 0, 0, "", "");
        }
        if (e instanceof StoreEvent.MailboxDeleted) {
            return join(node, 'D', user, name, 0, 0, 0, "", "");
        }
        StoreEvent.MailboxRenamed r = (StoreEvent.MailboxRenamed) e;
        return join(node, 'N', user, name, 0, 0, 0, "", r.from().name());
    }

    private static String messages(String node, char kind, String user, String name, long uidValidity,
                                   List<MessageMeta> metas) {
        long min = Long.MAX_VALUE;
        long max = 0;
        StringBuilder list = new StringBuilder();
        for (MessageMeta m : metas) {
            min = Math.min(min, m.modSeq());
            max = Math.max(max, m.modSeq());
            if (list.length() <= MAX_BYTES) {
                if (list.length() > 0) {
                    list.append(',');
                }
                list.append(m.uid()).append(':').append(m.modSeq()).append(':').append(m.size()).append(':')
                        .append(m.internalDate().getEpochSecond()).append(':').append(m.internalDate().getNano())
                        .append(':').append(FlagCodec.mask(m.flags())).append(':');
                boolean first = true;
                for (String k : m.flags().keywords()) {
                    if (!first) {
                        list.append('+');
                    }
                    first = false;
                    list.append(escape(k));
                }
            }
        }
        String full = join(node, kind, user, name, uidValidity, min - 1, max, list.toString(), "");
        return fits(full) ? full
                : join(node, Character.toLowerCase(kind), user, name, uidValidity, min - 1, max, "", "");
    }

    private static boolean fits(String payload) {
        return payload.length() * 3 <= MAX_BYTES || payload.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    private static String join(String node, char kind, String user, String mailbox, long uidValidity, long from,
                               long to, String uids, String oldName) {
        return node + '\t' + kind + '\t' + escape(user) + '\t' + escape(mailbox) + '\t' + uidValidity + '\t'
                + from + '\t' + to + '\t' + uids + '\t' + escape(oldName);
    }

    static Notice decode(String payload) {
        String[] f = payload.split("\t", -1);
        if (f.length != 11 || !"1".equals(f[0]) || f[3].length() != 1) {
            throw new IllegalArgumentException("not a mailcore event: " + payload);
        }
        return new Notice(unescape(f[1]), f[2], f[3].charAt(0), unescape(f[4]), unescape(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]), Long.parseLong(f[8]), f[9], unescape(f[10]));
    }

    /** Ascending UIDs as IMAP-style ranges: {@code 1:3,7}. */
    static String ranges(List<Long> uids) {
        List<Long> sorted = new ArrayList<>(uids);
        sorted.sort(null);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            long start = sorted.get(i);
            long end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) <= end + 1) {
                end = sorted.get(++i);
            }
            i++;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end != start) {
                sb.append(':').append(end);
            }
        }
        return sb.toString();
    }

    static List<Long> parseRanges(String s) {
        List<Long> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String part : s.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                out.add(Long.parseLong(part));
            } else {
                long a = Long.parseLong(part.substring(0, colon));
                long b = Long.parseLong(part.substring(colon + 1));
                for (long u = a; u <= b; u++) {
                    out.add(u);
                }
            }
        }
        return out;
    }

    static List<MessageMeta> parseMetas(String s) {
        List<MessageMeta> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String entry : s.split(",")) {
            String[] f = entry.split(":", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException("bad message entry: " + entry);
            }
            List<String> keywords = new ArrayList<>();
            if (!f[6].isEmpty()) {
                for (String k : f[6].split("\\+")) {
                    keywords.add(unescape(k));
                }
            }
            Flags flags = FlagCodec.decode(Integer.parseInt(f[5]), String.join(" ", keywords));
            out.add(new MessageMeta(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Instant.ofEpochSecond(Long.parseLong(f[3]), Long.parseLong(f[4])), flags));
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c < 0x20 || c == ',' || c == ':' || c == '+') {
                sb.append('%').append(String.format("%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The mailbox a notice is about. */
    static MailboxRef ref(Notice n) {
        return new MailboxRef(n.user(), n.mailbox());
    }
}
