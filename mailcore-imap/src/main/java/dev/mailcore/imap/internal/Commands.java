package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.command.StatusItem;
import dev.mailcore.imap.internal.message.MessageParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command processors of the authenticated and not-authenticated states, and the dispatch of every command (the
 * selected-state message commands are in {@link MessageCommands}). Runs on the session's event loop; store calls go
 * through {@link ImapSession#storeCall}.
 */
final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private final ImapSession s;
    private final MessageCommands messages;

    Commands(ImapSession session) {
        this.s = session;
        this.messages = new MessageCommands(session);
    }

    void execute(String tag, ImapCommand c, AutoCloseable resources) {
        s.currentTag = tag;
        if (!(c instanceof ImapCommand.Append)) {
            ImapSession.closeQuietly(resources);
        }
        if (c instanceof ImapCommand.Capability) {
            s.out.line("* CAPABILITY " + s.capabilities());
            s.tagged(tag, "OK Capability completed.", true);
        } else if (c instanceof ImapCommand.Noop) {
            s.tagged(tag, "OK NOOP completed.", true);
        } else if (c instanceof ImapCommand.Logout) {
            s.logout(tag);
        } else if (c instanceof ImapCommand.Id) {
            s.out.line("* ID (\"name\" \"mailcore\")");
            s.tagged(tag, "OK ID completed.", true);
        } else if (c instanceof ImapCommand.StartTls) {
            s.startTls(tag);
        } else if (c instanceof ImapCommand.Login) {
            ImapCommand.Login login = (ImapCommand.Login) c;
            s.login(tag, login.user(), login.password());
        } else if (c instanceof ImapCommand.Authenticate) {
            ImapCommand.Authenticate a = (ImapCommand.Authenticate) c;
            s.authenticate(tag, a.mechanism(), a.initialResponse());
        } else if (c instanceof ImapCommand.Enable) {
            enable(tag, (ImapCommand.Enable) c);
        } else if (c instanceof ImapCommand.Select) {
            ImapCommand.Select select = (ImapCommand.Select) c;
            MailboxRef ref = ref(tag, select.mailbox());
            if (ref != null) {
                s.select(tag, select, ref, select.mailbox());
            }
        } else if (c instanceof ImapCommand.Create) {
            create(tag, (ImapCommand.Create) c);
        } else if (c instanceof ImapCommand.Delete) {
            delete(tag, (ImapCommand.Delete) c);
        } else if (c instanceof ImapCommand.Rename) {
            rename(tag, (ImapCommand.Rename) c);
        } else if (c instanceof ImapCommand.Subscribe) {
            subscribe(tag, ((ImapCommand.Subscribe) c).mailbox(), true);
        } else if (c instanceof ImapCommand.Unsubscribe) {
            subscribe(tag, ((ImapCommand.Unsubscribe) c).mailbox(), false);
        } else if (c instanceof ImapCommand.ListMailboxes) {
            new ListCommand(s).list(tag, (ImapCommand.ListMailboxes) c);
        } else if (c instanceof ImapCommand.Namespace) {
            s.out.line("* NAMESPACE ((\"\" \"/\")) NIL NIL");
            s.tagged(tag, "OK Namespace completed.", true);
        } else if (c instanceof ImapCommand.Status) {
            status(tag, (ImapCommand.Status) c);
        } else if (c instanceof ImapCommand.Append) {
            append(tag, (ImapCommand.Append) c, resources);
        } else if (c instanceof ImapCommand.Idle) {
            s.idle(tag);
        } else if (c instanceof ImapCommand.GetQuota) {
            getQuota(tag, ((ImapCommand.GetQuota) c).root());
        } else if (c instanceof ImapCommand.GetQuotaRoot) {
            getQuotaRoot(tag, ((ImapCommand.GetQuotaRoot) c).mailbox());
        } else if (c instanceof ImapCommand.SetQuota) {
            s.tagged(tag, "NO [NOPERM] Quota limits can't be changed over IMAP.", true);
        } else if (c instanceof ImapCommand.Check) {
            s.tagged(tag, "OK Check completed.", true);
        } else if (c instanceof ImapCommand.Close) {
            close(tag);
        } else if (c instanceof ImapCommand.Unselect) {
            s.unselect();
            s.tagged(tag, "OK Unselect completed.", true);
        } else {
            messages.execute(tag, c);
        }
    }

    // ------------------------------------------------------------------ names

    /** The store reference for a client's mailbox name; null after answering BAD/NO when it is not usable. */
    MailboxRef ref(String tag, String clientName) {
        String name = MailboxNameCodec.fromClient(clientName, s.utf8());
        if (name == null) {
            s.tagged(tag, "NO [CANNOT] Mailbox name is not valid mUTF-7", true);
            return null;
        }
        if (name.isEmpty() || !MailboxNames.isValid(name)) {
            s.tagged(tag, "NO [CANNOT] Invalid mailbox name", true);
            return null;
        }
        return new MailboxRef(s.user, name);
    }

    // ------------------------------------------------------------------ ENABLE

    private void enable(String tag, ImapCommand.Enable enable) {
        StringBuilder enabled = new StringBuilder("* ENABLED");
        for (String cap : enable.capabilities()) {
            switch (cap.toUpperCase(java.util.Locale.ROOT)) {
                case "IMAP4REV2":
                    if (!s.rev2) {
                        s.rev2 = true;
                        enabled.append(" IMAP4rev2");
                    }
                    break;
                case "CONDSTORE":
                    if (!s.condStore) {
                        s.enableCondStore();
                        enabled.append(" CONDSTORE");
                    }
                    break;
                case "QRESYNC":
                    if (!s.qresync) {
                        s.qresync = true;
                        s.enableCondStore();
                        enabled.append(" QRESYNC");
                    }
                    break;
                default:
                    break;
            }
        }
        s.out.line(enabled.toString());
        s.tagged(tag, "OK Enabled.", true);
    }

    // ------------------------------------------------------------------ CREATE, DELETE, RENAME, SUBSCRIBE

    private void create(String tag, ImapCommand.Create create) {
        String clientName = create.mailbox();
        while (clientName.length() > 1 && clientName.endsWith("/")) {
            clientName = clientName.substring(0, clientName.length() - 1); // RFC 9051 §6.3.4: trailing delimiter
        }
        MailboxRef ref = ref(tag, clientName);
        if (ref == null) {
            return;
        }
        if (!create.specialUse().isEmpty()) {
            s.tagged(tag, "NO [USEATTR] Special-use attributes can't be set on new mailboxes.", true);
            return;
        }
        if (ref.isInbox()) {
            s.tagged(tag, "NO [ALREADYEXISTS] Mailbox already exists", true);
            return;
        }
        String name = clientName;
        s.storeCall(() -> s.store().createMailbox(ref), info -> s.tagged(tag, "OK Create completed.", true),
                e -> s.failed(tag, e, name));
    }

    private void delete(String tag, ImapCommand.Delete delete) {
        MailboxRef ref = ref(tag, delete.mailbox());
        if (ref == null) {
            return;
        }
        if (ref.isInbox()) {
            s.tagged(tag, "NO [CANNOT] INBOX can't be deleted.", true);
            return;
        }
        if (s.view != null && s.view.ref.name().equals(ref.name())) {
            s.unselect();
            s.out.line("* OK [CLOSED] Mailbox closed.");
        }
        s.storeCall(() -> {
            if (s.store().mailbox(ref).isEmpty()) {
                throw new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox");
            }
            s.store().deleteMailbox(ref);
            return Boolean.TRUE;
        }, ok -> s.tagged(tag, "OK Delete completed.", true), e -> s.failed(tag, e, delete.mailbox()));
    }

    private void rename(String tag, ImapCommand.Rename rename) {
        MailboxRef from = ref(tag, rename.from());
        if (from == null) {
            return;
        }
        String toName = rename.to();
        while (toName.length() > 1 && toName.endsWith("/")) {
            toName = toName.substring(0, toName.length() - 1);
        }
        MailboxRef to = ref(tag, toName);
        if (to == null) {
            return;
        }

        if (to.isInbox()) {
            s.tagged(tag, "NO [ALREADYEXISTS] Mailbox already exists", true);
            return;
        }
        if (from.name().equals(to.name())) {
            s.tagged(tag, "NO [ALREADYEXISTS] Mailbox already exists", true);
            return;
        }
        if (s.view != null && !from.isInbox() && s.view.ref.name().equals(from.name())) {
            s.unselect(); // this session renames its selected mailbox: it is closed, as DELETE closes it
            s.out.line("* OK [CLOSED] Mailbox closed.");
        }
        s.storeCall(() -> {
            s.store().renameMailbox(from, to);
            return Boolean.TRUE;
        }, ok -> s.tagged(tag, "OK Rename completed.", true), e -> s.failed(tag, e, rename.from()));
    }

    private void subscribe(String tag, String mailbox, boolean subscribe) {
        MailboxRef ref = ref(tag, mailbox);
        if (ref == null) {
            return;
        }
        s.storeCall(() -> {
            s.store().setSubscribed(ref, subscribe);
            return Boolean.TRUE;
        }, ok -> s.tagged(tag, subscribe ? "OK Subscribe completed." : "OK Unsubscribe completed.", true),
                e -> s.failed(tag, e, mailbox));
    }

    // ------------------------------------------------------------------ STATUS

    private void status(String tag, ImapCommand.Status status) {
        MailboxRef ref = ref(tag, status.mailbox());
        if (ref == null) {
            return;
        }
        if (status.items().contains(StatusItem.HIGHESTMODSEQ)) {
            s.enableCondStore(); // a CONDSTORE enabling command (RFC 7162 §3.1)
        }
        s.storeCall(() -> statusLine(s, ref, status.mailbox(), status.items()),
                line -> {
                    s.out.line(line);
                    s.tagged(tag, "OK Status completed.", true);
                }, e -> s.failed(tag, e, status.mailbox()));
    }

    /** The {@code * STATUS} line of a mailbox; runs on the SPI executor. */
    static String statusLine(ImapSession s, MailboxRef ref, String clientName, List<StatusItem> items) {
        Store store = s.store();
        MailboxInfo info = store.mailbox(ref)
                .orElseThrow(() -> new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox"));
        StringBuilder b = new StringBuilder("* STATUS ")
                .append(ImapStrings.astring(MailboxNameCodec.toClient(ref.name(), s.utf8()), s.utf8())).append(" (");
        boolean first = true;
        for (StatusItem item : items) {
            if (!first) {
                b.append(' ');
            }
            first = false;
            b.append(item.name()).append(' ');
            switch (item) {
                case MESSAGES:
                    b.append(info.messages());
                    break;
                case RECENT: {
                    long above = s.recentTracker().peek(ref, info.uidValidity());
                    int recent = 0;
                    if (info.messages() > 0) {
                        for (MessageMeta m : store.messages(ref)) {
                            if (m.uid() > above) {
                                recent++;
                            }
                        }
                    }
                    b.append(recent);
                    break;
                }
                case UIDNEXT:
                    b.append(info.uidNext());
                    break;
                case UIDVALIDITY:
                    b.append(info.uidValidity());
                    break;
                case UNSEEN:
                    b.append(info.unseen());
                    break;
                case SIZE:
                    b.append(info.totalSize());
                    break;
                case DELETED:
                    b.append(info.deleted());
                    break;
                case HIGHESTMODSEQ:
                    b.append(Math.max(1, info.highestModSeq()));
                    break;
                case APPENDLIMIT:
                    b.append(s.config().maxMessageSize());
                    break;
                default:
                    b.append(0);
                    break;
            }
        }
        return b.append(')').toString();
    }

    // ------------------------------------------------------------------ APPEND

    /**
     * Parses what was just appended while its content is still at hand, so that the first FETCH of ENVELOPE or
     * BODYSTRUCTURE and SEARCH on header fields find the structure cached instead of reading the message again. A
     * message that cannot be parsed is simply left to be parsed on first use.
     */
    private void cacheStructure(MailboxRef ref, ImapCommand.Append append, List<AppendResult> done) {
        for (int i = 0; i < done.size(); i++) {
            AppendResult r = done.get(i);
            try {
                s.messageCache().put(ref.user(), ref.name(), r.uidValidity(), r.uid(),
                        MessageParser.parse(append.messages().get(i).content()));
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: structure of UID {} not cached at APPEND", s.id(), r.uid(), e);
            }
        }
    }

    private void append(String tag, ImapCommand.Append append, AutoCloseable resources) {
        MailboxRef ref = ref(tag, append.mailbox());
        if (ref == null) {
            ImapSession.closeQuietly(resources);
            return;
        }
        List<Flags> flags = new ArrayList<>();
        for (ImapCommand.AppendMessage m : append.messages()) {
            if (m.content().size() > s.config().maxMessageSize()) {
                ImapSession.closeQuietly(resources);
                s.tagged(tag, "NO [TOOBIG] Mail size is too large", true);
                return;
            }
            Flags f = parseFlags(m.flags());
            if (f == null) {
                ImapSession.closeQuietly(resources);
                s.bad(tag, "Invalid flags.");
                return;
            }
            flags.add(f);
        }
        Instant now = s.config().clock().instant();
        s.storeCall(() -> {
            try {
                Store store = s.store();
                MailboxInfo info = store.mailbox(ref).orElse(null);
                if (info == null) {
                    return null;
                }
                List<AppendResult> done = new ArrayList<>();
                try {
                    for (int i = 0; i < append.messages().size(); i++) {
                        ImapCommand.AppendMessage m = append.messages().get(i);
                        MessageSource content = m.content();
                        Instant date = m.internalDate() != null ? m.internalDate() : now;
                        done.add(store.append(ref, content, flags.get(i), date));
                    }
                } catch (RuntimeException e) {
                    if (!done.isEmpty()) { // MULTIAPPEND is all or nothing (RFC 3502)
                        List<Long> uids = new ArrayList<>();
                        for (AppendResult r : done) {
                            uids.add(r.uid());
                        }
                        try {
                            store.expunge(ref, uids);
                        } catch (RuntimeException undo) {
                            e.addSuppressed(undo);
                        }
                    }
                    throw e;
                }
                cacheStructure(ref, append, done);
                return done;
            } finally {
                ImapSession.closeQuietly(resources);
            }
        }, done -> {
            if (done == null) {
                s.tagged(tag, "NO [TRYCREATE] Mailbox doesn't exist: " + ImapSession.oneLine(append.mailbox()),
                        true);
                return;
            }
            List<Long> uids = new ArrayList<>();
            for (AppendResult r : done) {
                uids.add(r.uid());
            }
            long validity = done.isEmpty() ? 0 : done.get(0).uidValidity();
            s.tagged(tag, "OK [APPENDUID " + validity + " " + Sets.formatOrdered(uids) + "] Append completed.",
                    true);
        }, e -> {
            if (e instanceof StoreException && ((StoreException) e).error() == StoreError.NO_SUCH_MAILBOX) {
                s.tagged(tag, "NO [TRYCREATE] Mailbox doesn't exist: " + ImapSession.oneLine(append.mailbox()),
                        true);
            } else {
                s.failed(tag, e, append.mailbox());
            }
        }, resources);
    }

    /** Flags as written by a client; null when one is not a valid flag. {@code \Recent} is ignored. */
    static Flags parseFlags(List<String> written) {
        EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String f : written) {
            if (f.startsWith("\\")) {
                Flag flag = Flag.fromImapName(f);
                if (flag != null) {
                    system.add(flag);
                } else if (!f.equalsIgnoreCase("\\Recent")) {
                    return null;
                }
            } else if (ImapStrings.isAtom(f)) {
                keywords.add(f);
            } else {
                return null;
            }
        }
        return new Flags(system, keywords);
    }

    // ------------------------------------------------------------------ CLOSE

    private void close(String tag) {
        MailboxView v = s.view;
        if (v.readOnly) {
            s.unselect();
            s.tagged(tag, "OK Close completed.", true);
            return;
        }
        MailboxRef ref = v.ref;
        int count = v.count();
        long[] uids = new long[count];
        for (int i = 0; i < count; i++) {
            uids[i] = v.uidAt(i + 1);
        }
        s.unselect();
        s.storeCall(() -> {
            List<Long> deleted = new ArrayList<>();
            Set<Long> known = new java.util.HashSet<>();
            for (long u : uids) {
                known.add(u);
            }
            for (MessageMeta m : s.store().messages(ref)) {
                if (m.flags().contains(Flag.DELETED) && known.contains(m.uid())) {
                    deleted.add(m.uid());
                }
            }
            if (!deleted.isEmpty()) {
                s.store().expunge(ref, deleted);
            }
            return Boolean.TRUE;
        }, ok -> s.tagged(tag, "OK Close completed.", true), e -> s.failed(tag, e, ref.name()));
    }

    // ------------------------------------------------------------------ QUOTA

    /**
     * RFC 9208 §4.1.2. The store has one quota root per user, named {@code ""}; it exists only while the user has a
     * limit, since a QUOTA response needs at least one resource (RFC 9208 §5). Without limits the mailbox has no quota
     * root: {@code * QUOTAROOT mailbox} alone, as Dovecot answers. The mailbox need not exist.
     */
    private void getQuotaRoot(String tag, String mailbox) {
        MailboxRef ref = ref(tag, mailbox);
        if (ref == null) {
            return;
        }
        s.storeCall(() -> s.store().quota(s.user), quota -> {
            String line = quotaLine(quota);
            s.out.line("* QUOTAROOT " + ImapStrings.astring(mailbox, s.utf8()) + (line == null ? "" : " \"\""));
            if (line != null) {
                s.out.line(line);
            }
            s.tagged(tag, "OK Getquotaroot completed.", true);
        }, e -> s.failed(tag, e, mailbox));
    }

    /** RFC 9208 §4.1.1: the user's root {@code ""} while it has a limit; any other root does not exist. */
    private void getQuota(String tag, String root) {
        if (!root.isEmpty()) {
            s.tagged(tag, NO_QUOTA_ROOT, true);
            return;
        }
        s.storeCall(() -> s.store().quota(s.user), quota -> {
            String line = quotaLine(quota);
            if (line == null) {
                s.tagged(tag, NO_QUOTA_ROOT, true);
                return;
            }
            s.out.line(line);
            s.tagged(tag, "OK Getquota completed.", true);
        }, e -> s.failed(tag, e, null));
    }

    private static final String NO_QUOTA_ROOT = "NO [NONEXISTENT] Quota root doesn't exist.";

    /** The {@code * QUOTA ""} line; null when nothing is limited (an empty quota-list is not valid, RFC 9208 §5). */
    private static String quotaLine(QuotaUsage q) {
        List<String> resources = new ArrayList<>();
        if (q.bytesLimit() != QuotaUsage.UNLIMITED) {
            resources.add("STORAGE " + (q.bytes() + 1023) / 1024 + " " + q.bytesLimit() / 1024);
        }
        if (q.messagesLimit() != QuotaUsage.UNLIMITED) {
            resources.add("MESSAGE " + q.messages() + " " + q.messagesLimit());
        }
        return resources.isEmpty() ? null : "* QUOTA \"\" (" + String.join(" ", resources) + ")";
    }

    // ------------------------------------------------------------------ QRESYNC at SELECT

    /** RFC 7162 §3.2.5: VANISHED (EARLIER) for known UIDs that are gone, FETCH for messages changed since. */
    static void qresyncResponses(ImapSession s, ImapCommand.Qresync q, List<MessageMeta> messages) {
        MailboxView v = s.view;
        if (q.uidValidity() != v.uidValidity) {
            return;
        }
        long maxKnown = v.uidNext - 1;
        List<Long> vanished = new ArrayList<>();
        if (q.knownUids() != null) {
            Map<Long, Boolean> present = new HashMap<>();
            for (MessageMeta m : messages) {
                present.put(m.uid(), Boolean.TRUE);
            }
            for (SequenceSet.Range r : q.knownUids().ranges()) {
                long lo = r.low(maxKnown);
                long hi = Math.min(r.high(maxKnown), maxKnown);
                if (hi - lo > 1_000_000) {
                    hi = lo + 1_000_000;
                }
                for (long u = lo; u <= hi; u++) {
                    if (!present.containsKey(u)) {
                        vanished.add(u);
                    }
                }
            }
        } else {
            long next = 1;
            for (MessageMeta m : messages) {
                for (long u = next; u < m.uid() && vanished.size() < 1_000_000; u++) {
                    vanished.add(u);
                }
                next = m.uid() + 1;
            }
            for (long u = next; u <= maxKnown && vanished.size() < 1_000_000; u++) {
                vanished.add(u);
            }
        }
        if (!vanished.isEmpty()) {
            s.out.line("* VANISHED (EARLIER) " + Sets.format(vanished));
        }
        for (int i = 0; i < messages.size(); i++) {
            MessageMeta m = messages.get(i);
            if (m.modSeq() > q.modSeq()) {
                s.out.line("* " + (i + 1) + " FETCH (UID " + m.uid() + " FLAGS ("
                        + ImapSession.flagString(m.flags(), v.isRecent(i + 1) && !s.rev2) + ") MODSEQ ("
                        + m.modSeq() + "))");
            }
        }
    }
}
