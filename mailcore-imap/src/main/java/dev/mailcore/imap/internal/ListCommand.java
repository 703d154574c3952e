package dev.mailcore.imap.internal;

import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ImapCommand.ListReturn;
import dev.mailcore.imap.internal.command.ImapCommand.ListSelect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code LIST} (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819) and SPECIAL-USE (RFC 6154), and
 * {@code LSUB} (RFC 3501 §6.3.9).
 */
final class ListCommand {
    private final ImapSession s;

    ListCommand(ImapSession session) {
        this.s = session;
    }

    void list(String tag, ImapCommand.ListMailboxes c) {
        boolean utf8 = s.utf8();
        if (!c.lsub() && c.patterns().size() == 1 && c.patterns().get(0).isEmpty() && c.select().isEmpty()) {
            s.out.line("* LIST (\\Noselect) \"/\" \"\"");
            s.tagged(tag, "OK List completed.", true);
            return;
        }
        List<NamePattern> patterns = new ArrayList<>();
        for (String p : c.patterns()) {
            patterns.add(compile(c.reference() + p));
        }
        boolean subscribedOnly = c.lsub() || c.select().contains(ListSelect.SUBSCRIBED);
        boolean recursive = c.select().contains(ListSelect.RECURSIVEMATCH);
        boolean specialOnly = c.select().contains(ListSelect.SPECIAL_USE);
        boolean showSubscribed = c.returns().contains(ListReturn.SUBSCRIBED) || c.select().contains(ListSelect.SUBSCRIBED);
        boolean status = c.returns().contains(ListReturn.STATUS) && !c.statusItems().isEmpty();
        String user = s.user;
        s.storeCall(() -> {
            List<MailboxInfo> boxes = s.store().mailboxes(user);
            Set<String> subscriptions = subscribedOnly || showSubscribed ? s.store().subscriptions(user) : Set.of();
            Map<String, MailboxInfo> existing = new TreeMap<>();
            for (MailboxInfo info : boxes) {
                existing.put(info.ref().name(), info);
            }
            Set<String> subscribed = new TreeSet<>();
            for (String name : subscriptions) {
                subscribed.add(new MailboxRef(user, name).name());
            }
            // every name that exists, or is a parent of one that exists
            Set<String> candidates = new TreeSet<>(ListCommand::compareNames);
            Set<String> all = subscribedOnly ? subscribed : existing.keySet();
            for (String name : all) {
                candidates.add(name);
                candidates.addAll(MailboxNames.parents(name));
            }
            List<String> lines = new ArrayList<>();
            for (String name : candidates) {
                String wire = MailboxNameCodec.toClient(name, utf8);
                if (!matchesAny(patterns, wire)) {
                    continue;
                }
                boolean exists = existing.containsKey(name);
                boolean hasChildren = hasChildren(existing.keySet(), name);
                boolean isSubscribed = subscribed.contains(name);
                boolean childSubscribed = hasChildren(subscribed, name);
                List<String> attrs = new ArrayList<>();
                String childInfo = null;
                if (subscribedOnly) {
                    if (!isSubscribed) {
                        if (c.lsub()) {
                            attrs.add("\\Noselect");
                        } else if (recursive && childSubscribed) {
                            childInfo = "(\"SUBSCRIBED\")";
                        } else {
                            continue;
                        }
                    }
                }
                if (!exists) {
                    if (c.lsub()) {
                        if (!attrs.contains("\\Noselect") && !isSubscribed) {
                            attrs.add("\\Noselect");
                        }
                    } else {
                        attrs.add(s.rev2 || !c.select().isEmpty() || !c.returns().isEmpty()
                                ? "\\NonExistent" : "\\Noselect");
                    }
                }
                if (!c.lsub()) {
                    attrs.add(hasChildren ? "\\HasChildren" : "\\HasNoChildren");
                    if (isSubscribed && showSubscribed) {
                        attrs.add("\\Subscribed");
                    }
                }
                MailboxInfo info = existing.get(name);
                if (info != null && !c.lsub()) {
                    attrs.addAll(new TreeSet<>(info.specialUse()));
                }
                if (specialOnly && (info == null || info.specialUse().isEmpty())) {
                    continue;
                }
                StringBuilder line = new StringBuilder(c.lsub() ? "* LSUB (" : "* LIST (")
                        .append(String.join(" ", attrs)).append(") \"/\" ")
                        .append(ImapStrings.astring(wire, utf8));
                if (childInfo != null) {
                    line.append(" (\"CHILDINFO\" ").append(childInfo).append(')');
                }
                lines.add(line.toString());
                if (status && exists) {
                    lines.add(Commands.statusLine(s, info.ref(), wire, c.statusItems()));
                }
            }
            return lines;
        }, lines -> {
            for (String line : lines) {
                s.out.line(line);
            }
            s.tagged(tag, c.lsub() ? "OK Lsub completed." : "OK List completed.", true);
        }, e -> s.failed(tag, e, null));
    }

    /** INBOX first, then by name. */
    private static int compareNames(String a, String b) {
        boolean ia = a.equals(MailboxRef.INBOX) || a.startsWith("INBOX/");
        boolean ib = b.equals(MailboxRef.INBOX) || b.startsWith("INBOX/");
        if (ia != ib) {
            return ia ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean hasChildren(Set<String> names, String parent) {
        for (String n : names) {
            if (MailboxNames.isDescendant(n, parent)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<NamePattern> patterns, String name) {
        for (NamePattern p : patterns) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A LIST pattern: {@code *} any, {@code %} any but the delimiter. INBOX is case-insensitive (RFC 9051 §5.1), so
     * as in Dovecot a pattern that starts like INBOX in any case ({@code inbox*}, {@code inb%}, {@code Inbox/*})
     * matches INBOX and its children; other names are matched case-sensitively.
     */
    record NamePattern(Pattern exact, Pattern inbox) {
        boolean matches(String name) {
            if (exact.matcher(name).matches()) {
                return true;
            }
            boolean inboxName = name.equals(MailboxRef.INBOX) || name.startsWith(MailboxRef.INBOX + "/");
            return inboxName && inbox != null && inbox.matcher(name).matches();
        }
    }

    static NamePattern compile(String pattern) {
        // the leading letters that spell a prefix of INBOX in any case, up to the first wildcard
        StringBuilder inbox = new StringBuilder(pattern);
        boolean differs = false;
        for (int i = 0; i < Math.min(5, pattern.length()); i++) {
            char ch = pattern.charAt(i);
            char want = MailboxRef.INBOX.charAt(i);
            if (ch == '*' || ch == '%' || Character.toUpperCase(ch) != want) {
                break;
            }
            differs |= ch != want;
            inbox.setCharAt(i, want);
        }
        return new NamePattern(regex(pattern), differs ? regex(inbox.toString()) : null);
    }

    private static Pattern regex(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*' || ch == '%') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
