package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.imap.internal.command.FetchItem;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.SearchKey;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.message.ParsedMessage;
import dev.mailcore.imap.internal.message.Search;
import dev.mailcore.imap.internal.message.SearchCandidate;
import dev.mailcore.imap.internal.message.SearchContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The selected-state message commands: FETCH, STORE, SEARCH, SORT, THREAD, COPY, MOVE and EXPUNGE. Sequence sets are
 * resolved against the session's {@link MailboxView} on the event loop; the store work and the response building run
 * on the SPI executor.
 */
final class MessageCommands {
    private final ImapSession s;

    MessageCommands(ImapSession session) {
        this.s = session;
    }

    void execute(String tag, ImapCommand c) {
        if (c instanceof ImapCommand.Fetch) {
            fetch(tag, (ImapCommand.Fetch) c);
        } else if (c instanceof ImapCommand.Store) {
            store(tag, (ImapCommand.Store) c);
        } else if (c instanceof ImapCommand.Search) {
            search(tag, (ImapCommand.Search) c);
        } else if (c instanceof ImapCommand.Sort) {
            ImapCommand.Sort sort = (ImapCommand.Sort) c;
            searchLike(tag, sort.uid(), sort.charset(), sort.key(), "SORT", sort, null);
        } else if (c instanceof ImapCommand.Thread) {
            ImapCommand.Thread thread = (ImapCommand.Thread) c;
            searchLike(tag, thread.uid(), thread.charset(), thread.key(), "THREAD", null, thread);
        } else if (c instanceof ImapCommand.Copy) {
            ImapCommand.Copy copy = (ImapCommand.Copy) c;
            copyOrMove(tag, copy.uid(), copy.set(), copy.mailbox(), false);
        } else if (c instanceof ImapCommand.Move) {
            ImapCommand.Move move = (ImapCommand.Move) c;
            copyOrMove(tag, move.uid(), move.set(), move.mailbox(), true);
        } else if (c instanceof ImapCommand.Expunge) {
            expunge(tag, ((ImapCommand.Expunge) c).uids());
        } else {
            s.bad(tag, "Unknown command.");
        }
    }

    // ------------------------------------------------------------------ sets

    /** The UIDs a set names, ascending; null after answering BAD for message numbers that do not exist. */
    private long[] resolve(String tag, String command, SequenceSet set, boolean uid) {
        MailboxView v = s.view;
        if (set.saved()) {
            if (s.savedSearch == null) {
                return new long[0];
            }
            long[] out = new long[s.savedSearch.length];
            int n = 0;
            for (long u : s.savedSearch) {
                if (v.msnOf(u) > 0) {
                    out[n++] = u;
                }
            }
            return Arrays.copyOf(out, n);
        }
        if (uid) {
            return v.uidsForUidSet(set);
        }
        if (!v.validSequences(set)) {
            if (v.count() == 0 && allStar(set)) {
                return new long[0];
            }
            s.bad(tag, "Error in IMAP command " + command + ": Invalid messageset");
            return null;
        }
        return v.uidsForSequences(set);
    }

    private static boolean allStar(SequenceSet set) {
        for (SequenceSet.Range r : set.ranges()) {
            if (r.from() != SequenceSet.STAR && r.to() != SequenceSet.STAR) {
                return false;
            }
        }
        return true;
    }

    private static Map<Long, MessageMeta> byUid(List<MessageMeta> metas, long[] wanted) {
        Set<Long> want = new HashSet<>();
        for (long u : wanted) {
            want.add(u);
        }
        Map<Long, MessageMeta> map = new HashMap<>();
        for (MessageMeta m : metas) {
            if (want.contains(m.uid())) {
                map.put(m.uid(), m);
            }
        }
        return map;
    }

    // ------------------------------------------------------------------ FETCH

    private void fetch(String tag, ImapCommand.Fetch f) {
        long[] uids = resolve(tag, "FETCH", f.set(), f.uid());
        if (uids == null) {
            return;
        }
        if (f.vanished() && (!f.uid() || !s.qresync || f.changedSince() < 0)) {
            s.refused(tag, "VANISHED needs UID FETCH, QRESYNC enabled and CHANGEDSINCE.");
            return;
        }
        MailboxView v = s.view;
        boolean modSeqItem = f.changedSince() >= 0;
        boolean setsSeen = false;
        for (FetchItem item : f.items()) {
            if (item instanceof FetchItem.ModSeq) {
                modSeqItem = true;
            }
            setsSeen |= FetchWriter.setsSeen(item);
        }
        if (modSeqItem) {
            s.enableCondStore();
        }
        setsSeen &= !v.readOnly;
        int[] msns = new int[uids.length];
        boolean[] recent = new boolean[uids.length];
        for (int i = 0; i < uids.length; i++) {
            msns[i] = v.msnOf(uids[i]);
            recent[i] = !s.rev2 && v.isRecent(msns[i]);
        }
        MailboxRef ref = v.ref;
        long uidValidity = v.uidValidity;
        long maxUid = v.maxUid();
        Responses out = s.out;
        boolean seen = setsSeen;
        boolean[] expungedSkipped = new boolean[1];
        FetchWriter writer = new FetchWriter(s, ref, uidValidity, f, modSeqItem);
        s.storeCall(() -> {
            Store store = s.store();
            List<MessageMeta> all = store.messages(ref);
            Map<Long, MessageMeta> metas = byUid(all, uids);
            List<MessageMeta> updated = List.of();
            if (seen) {
                List<Long> unseen = new ArrayList<>();
                for (long u : uids) {
                    MessageMeta m = metas.get(u);
                    if (m != null && !m.flags().contains(Flag.SEEN)) {
                        unseen.add(u);
                    }
                }
                if (!unseen.isEmpty()) {
                    updated = store.updateFlags(ref, unseen, FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
                    for (MessageMeta m : updated) {
                        metas.put(m.uid(), m);
                    }
                }
            }
            Set<Long> flagsChanged = new HashSet<>();
            for (MessageMeta m : updated) {
                flagsChanged.add(m.uid());
            }
            if (f.vanished()) {
                Set<Long> present = new HashSet<>();
                for (MessageMeta m : all) {
                    present.add(m.uid());
                }
                List<Long> gone = new ArrayList<>();
                for (SequenceSet.Range r : f.set().ranges()) {
                    long lo = r.low(maxUid);
                    long hi = Math.min(r.high(maxUid), maxUid);
                    for (long u = lo; u <= hi && gone.size() < 1_000_000; u++) {
                        if (!present.contains(u)) {
                            gone.add(u);
                        }
                    }
                }
                if (!gone.isEmpty()) {
                    out.line("* VANISHED (EARLIER) " + Sets.format(gone));
                }
            }
            for (int i = 0; i < uids.length && !out.abandoned(); i++) {
                MessageMeta m = metas.get(uids[i]);
                if (m == null || msns[i] == 0) {
                    expungedSkipped[0] |= msns[i] != 0;
                    continue;
                }
                if (f.changedSince() >= 0 && m.modSeq() <= f.changedSince()) {
                    continue;
                }
                writer.write(out, msns[i], m, recent[i], flagsChanged.contains(m.uid()));
                out.spill();
            }
            return updated;
        }, updated -> {
            for (MessageMeta m : updated) {
                v.seen(m.uid(), m.modSeq());
            }
            if (expungedSkipped[0] && !f.uid()) {
                // a message another session expunged, not yet announced (RFC 9051 §7.1, as Dovecot answers)
                s.tagged(tag, "OK [EXPUNGEISSUED] Some messages were already expunged.", false);
            } else {
                s.tagged(tag, "OK Fetch completed.", f.uid());
            }
        }, e -> {
            if (e instanceof FetchWriter.UnknownCte) {
                s.tagged(tag, "NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding.", f.uid());
            } else {
                s.failed(tag, e instanceof UncheckedIOException ? e.getCause() : e, null);
            }
        });
    }

    // ------------------------------------------------------------------ STORE

    private void store(String tag, ImapCommand.Store c) {
        MailboxView v = s.view;
        Flags flags = Commands.parseFlags(c.flags());
        if (flags == null) {
            s.bad(tag, "Error in IMAP command STORE: Invalid flags");
            return;
        }
        long[] uids = resolve(tag, "STORE", c.set(), c.uid());
        if (uids == null) {
            return;
        }
        if (v.readOnly) {
            s.tagged(tag, "NO [CANNOT] Mailbox is read-only.", c.uid());
            return;
        }
        if (c.unchangedSince() >= 0) {
            s.enableCondStore();
        }
        if (c.operation() != FlagOperation.REMOVE && v.keywords.addAll(flags.keywords())) {
            s.reporter(s.out).flags(v.keywords); // announce new keywords before they are used
        }
        List<Long> uidList = new ArrayList<>();
        for (long u : uids) {
            uidList.add(u);
        }
        MailboxRef ref = v.ref;
        long unchangedSince = c.unchangedSince() >= 0 ? c.unchangedSince() : Long.MAX_VALUE;
        s.storeCall(() -> s.store().updateFlags(ref, uidList, c.operation(), flags, unchangedSince), updated -> {
            Set<Long> considered = new HashSet<>();
            for (MessageMeta m : updated) {
                considered.add(m.uid());
                int msn = v.msnOf(m.uid());
                if (msn == 0) {
                    continue;
                }
                v.seen(m.uid(), m.modSeq());
                // RFC 7162 §3.1.3, §3.2.4: a CONDSTORE-aware client gets UID and MODSEQ, even for .SILENT
                if (c.silent() && !s.condStore) {
                    continue;
                }
                StringBuilder b = new StringBuilder("* ").append(msn).append(" FETCH (");
                if (c.uid() || s.condStore) {
                    b.append("UID ").append(m.uid());
                }
                if (!c.silent()) {
                    b.append(b.charAt(b.length() - 1) == '(' ? "" : " ").append("FLAGS (")
                            .append(ImapSession.flagString(m.flags(), !s.rev2 && v.isRecent(msn))).append(')');
                }
                if (s.condStore) {
                    b.append(" MODSEQ (").append(m.modSeq()).append(')');
                }
                s.out.line(b.append(')').toString());
            }
            List<Long> modified = new ArrayList<>();
            if (c.unchangedSince() >= 0) {
                for (long u : uids) {
                    if (!considered.contains(u)) {
                        int msn = v.msnOf(u);
                        if (msn > 0) {
                            modified.add(c.uid() ? u : msn);
                        }
                    }
                }
            }
            if (!modified.isEmpty()) {
                s.tagged(tag, "OK [MODIFIED " + Sets.format(modified) + "] Conditional store failed.", c.uid());
            } else {
                s.tagged(tag, "OK Store completed.", c.uid());
            }
        }, e -> s.failed(tag, e, null));
    }

    // ------------------------------------------------------------------ SEARCH, SORT, THREAD

    private void search(String tag, ImapCommand.Search c) {
        searchLike(tag, c.uid(), c.charset(), c.key(), "SEARCH", null, null, c);
    }

    private void searchLike(String tag, boolean uid, String charset, SearchKey key, String command,
                            ImapCommand.Sort sort, ImapCommand.Thread thread) {
        searchLike(tag, uid, charset, key, command, sort, thread, null);
    }

    private void searchLike(String tag, boolean uid, String charset, SearchKey key, String command,
                            ImapCommand.Sort sort, ImapCommand.Thread thread, ImapCommand.Search search) {
        // the parser refused charsets it cannot decode (ImapParser.BADCHARSET) and decoded the strings of the others
        boolean modSeqKey = hasModSeq(key);
        if (modSeqKey) {
            s.enableCondStore();
        }
        MailboxView v = s.view;
        int count = v.count();
        long[] uids = new long[count];
        boolean[] recent = new boolean[count];
        for (int i = 0; i < count; i++) {
            uids[i] = v.uidAt(i + 1);
            recent[i] = v.isRecent(i + 1);
        }
        long[] saved = s.savedSearch;
        Set<Long> savedSet = new HashSet<>();
        if (saved != null) {
            for (long u : saved) {
                savedSet.add(u);
            }
        }
        MailboxRef ref = v.ref;
        long uidValidity = v.uidValidity;
        long maxUid = v.maxUid();
        ZoneId zone = s.config().clock().getZone();
        SearchContext context = new SearchContext(count, maxUid, savedSet::contains, s.config().clock().instant(),
                zone);
        s.storeCall(() -> {
            Store store = s.store();
            Map<Long, MessageMeta> metas = byUid(store.messages(ref), uids);
            List<SearchCandidate> matched = new ArrayList<>();
            for (int i = 0; i < count && s.channel().isActive(); i++) { // nobody waits for a client gone
                MessageMeta m = metas.get(uids[i]);
                if (m == null) {
                    continue;
                }
                Candidate candidate = new Candidate(s, ref, uidValidity, i + 1, m, recent[i]);
                if (Search.matches(key, candidate, context)) {
                    matched.add(candidate);
                }
            }
            if (sort != null) {
                return Search.sort(matched, sort.criteria());
            }
            return matched;
        }, matched -> {
            if (thread != null) {
                s.out.line("* THREAD " + Search.thread(matched, thread.algorithm(),
                        cand -> uid ? cand.meta().uid() : cand.sequence()));
                s.tagged(tag, "OK Thread completed.", uid);
                return;
            }
            if (sort != null) {
                StringBuilder b = new StringBuilder("* SORT");
                long highestModSeq = 0;
                for (SearchCandidate cand : matched) {
                    b.append(' ').append(uid ? cand.meta().uid() : cand.sequence());
                    highestModSeq = Math.max(highestModSeq, cand.meta().modSeq());
                }
                if (modSeqKey && !matched.isEmpty()) {
                    b.append(" (MODSEQ ").append(highestModSeq).append(')'); // RFC 7162 §3.1.9
                }
                s.out.line(b.toString());
                s.tagged(tag, "OK Sort completed.", uid);
                return;
            }
            searchResponse(tag, uid, search, matched, modSeqKey);
        }, e -> s.failed(tag, e instanceof UncheckedIOException ? e.getCause() : e, null));
    }

    private void searchResponse(String tag, boolean uid, ImapCommand.Search c, List<SearchCandidate> matched,
                                boolean modSeqKey) {
        long[] numbers = new long[matched.size()];
        long[] matchedUids = new long[matched.size()];
        long highestModSeq = 0;
        for (int i = 0; i < matched.size(); i++) {
            SearchCandidate cand = matched.get(i);
            numbers[i] = uid ? cand.meta().uid() : cand.sequence();
            matchedUids[i] = cand.meta().uid();
            highestModSeq = Math.max(highestModSeq, cand.meta().modSeq());
        }
        Set<ImapCommand.SearchReturn> returns = c.returns();
        if (returns == null && !s.rev2) {
            StringBuilder b = new StringBuilder("* SEARCH");
            for (long n : numbers) {
                b.append(' ').append(n);
            }
            if (modSeqKey && numbers.length > 0) {
                b.append(" (MODSEQ ").append(highestModSeq).append(')');
            }
            s.out.line(b.toString());
            s.tagged(tag, "OK Search completed.", uid);
            return;
        }
        // rev2 without RETURN, and RETURN (), mean ALL (RFC 9051 §6.4.4, RFC 4731 §3.1)
        Set<ImapCommand.SearchReturn> r = returns == null || returns.isEmpty()
                ? Set.of(ImapCommand.SearchReturn.ALL) : returns;
        boolean save = r.contains(ImapCommand.SearchReturn.SAVE);
        boolean min = r.contains(ImapCommand.SearchReturn.MIN);
        boolean max = r.contains(ImapCommand.SearchReturn.MAX);
        boolean all = r.contains(ImapCommand.SearchReturn.ALL);
        boolean count = r.contains(ImapCommand.SearchReturn.COUNT);
        if (save) {
            if ((min || max) && !all && !count) {
                List<Long> keep = new ArrayList<>();
                if (matchedUids.length > 0) {
                    if (min) {
                        keep.add(matchedUids[0]);
                    }
                    if (max) {
                        keep.add(matchedUids[matchedUids.length - 1]);
                    }
                }
                s.savedSearch = keep.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
            } else {
                long[] sorted = matchedUids.clone();
                Arrays.sort(sorted);
                s.savedSearch = sorted;
            }
        }
        if (save && !min && !max && !all && !count) {
            s.tagged(tag, "OK Search completed.", uid);
            return;
        }
        StringBuilder b = new StringBuilder("* ESEARCH (TAG ").append(ImapStrings.quote(tag)).append(')');
        if (uid) {
            b.append(" UID");
        }
        if (numbers.length > 0) {
            long lo = Long.MAX_VALUE;
            long hi = 0;
            for (long n : numbers) {
                lo = Math.min(lo, n);
                hi = Math.max(hi, n);
            }
            if (min) {
                b.append(" MIN ").append(lo);
            }
            if (max) {
                b.append(" MAX ").append(hi);
            }
        }
        if (count) {
            b.append(" COUNT ").append(numbers.length);
        }
        if (all && numbers.length > 0) {
            b.append(" ALL ").append(Sets.format(numbers));
        }
        if (modSeqKey && numbers.length > 0) {
            b.append(" MODSEQ ").append(highestModSeq);
        }
        s.out.line(b.toString());
        s.tagged(tag, "OK Search completed.", uid);
    }

    private static boolean hasModSeq(SearchKey key) {
        if (key instanceof SearchKey.ModSeq) {
            return true;
        }
        if (key instanceof SearchKey.Not) {
            return hasModSeq(((SearchKey.Not) key).key());
        }
        if (key instanceof SearchKey.Or) {
            return hasModSeq(((SearchKey.Or) key).left()) || hasModSeq(((SearchKey.Or) key).right());
        }
        if (key instanceof SearchKey.And) {
            for (SearchKey k : ((SearchKey.And) key).keys()) {
                if (hasModSeq(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A message as SEARCH sees it; parses its content on first use (through the shared cache). */
    static final class Candidate implements SearchCandidate {
        private final ImapSession s;
        private final MailboxRef ref;
        private final long uidValidity;
        private final long sequence;
        private final MessageMeta meta;
        private final boolean recent;
        private ParsedMessage parsed;
        private MessageSource raw;

        Candidate(ImapSession s, MailboxRef ref, long uidValidity, long sequence, MessageMeta meta, boolean recent) {
            this.s = s;
            this.ref = ref;
            this.uidValidity = uidValidity;
            this.sequence = sequence;
            this.meta = meta;
            this.recent = recent;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public MessageMeta meta() {
            return meta;
        }

        @Override
        public boolean recent() {
            return recent;
        }

        @Override
        public ParsedMessage parsed() {
            if (parsed == null) {
                try {
                    parsed = s.messageCache().get(ref.user(), ref.name(), uidValidity, meta.uid(), this::raw);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return parsed;
        }

        @Override
        public MessageSource raw() {
            if (raw == null) {
                raw = s.store().content(ref, meta.uid());
            }
            return raw;
        }
    }

    // ------------------------------------------------------------------ COPY, MOVE, EXPUNGE

    private void copyOrMove(String tag, boolean uid, SequenceSet set, String mailbox, boolean move) {
        String command = move ? "MOVE" : "COPY";
        long[] uids = resolve(tag, command, set, uid);
        if (uids == null) {
            return;
        }
        MailboxView v = s.view;
        if (move && v.readOnly) {
            s.tagged(tag, "NO [CANNOT] Mailbox is read-only.", true);
            return;
        }
        MailboxRef target = s.commands.ref(tag, mailbox);
        if (target == null) {
            return;
        }
        if (move && target.name().equals(v.ref.name())) {
            s.tagged(tag, "NO [CANNOT] Can't move messages to the same mailbox.", true);
            return;
        }
        if (uids.length == 0) {
            s.tagged(tag, "OK No messages found.", true);
            return;
        }
        List<Long> uidList = new ArrayList<>();
        for (long u : uids) {
            uidList.add(u);
        }
        MailboxRef source = v.ref;
        s.storeCall(() -> {
            if (s.store().mailbox(target).isEmpty()) {
                return null;
            }
            return move ? s.store().move(source, uidList, target) : s.store().copy(source, uidList, target);
        }, result -> {
            if (result == null) {
                s.tagged(tag, "NO [TRYCREATE] Mailbox doesn't exist: " + ImapSession.oneLine(mailbox), true);
                return;
            }
            String copyUid = result.sourceUids().isEmpty() ? ""
                    : "[COPYUID " + result.targetUidValidity() + " " + Sets.formatOrdered(result.sourceUids()) + " "
                    + Sets.formatOrdered(result.targetUids()) + "] ";
            if (!move) {
                s.tagged(tag, "OK " + copyUid + "Copy completed.", true);
                return;
            }
            if (!copyUid.isEmpty()) {
                s.out.line("* OK " + copyUid + "Moved UIDs.");
            }
            reportExpunged(result.sourceUids());
            s.tagged(tag, "OK Move completed.", true);
        }, e -> {
            if (e instanceof StoreException && ((StoreException) e).error() == StoreError.NO_SUCH_MAILBOX) {
                s.tagged(tag, "NO [TRYCREATE] Mailbox doesn't exist: " + ImapSession.oneLine(mailbox), true);
            } else {
                s.failed(tag, e, mailbox);
            }
        });
    }

    private void reportExpunged(List<Long> uids) {
        MailboxView v = s.view;
        if (v == null) {
            return;
        }
        if (s.qresync) {
            List<Long> gone = new ArrayList<>();
            for (long u : uids) {
                if (v.remove(u) > 0) {
                    gone.add(u);
                }
            }
            if (!gone.isEmpty()) {
                s.out.line("* VANISHED " + Sets.format(gone));
            }
            return;
        }
        for (long u : uids) {
            int msn = v.remove(u);
            if (msn > 0) {
                s.out.line("* " + msn + " EXPUNGE");
            }
        }
    }

    private void expunge(String tag, SequenceSet uidSet) {
        MailboxView v = s.view;
        if (v.readOnly) {
            s.tagged(tag, "NO [CANNOT] Mailbox is read-only.", true);
            return;
        }
        long[] candidates = uidSet == null ? allUids(v) : resolve(tag, "EXPUNGE", uidSet, true);
        if (candidates == null) {
            return;
        }
        MailboxRef ref = v.ref;
        s.storeCall(() -> {
            Map<Long, MessageMeta> metas = byUid(s.store().messages(ref), candidates);
            List<Long> deleted = new ArrayList<>();
            for (long u : candidates) {
                MessageMeta m = metas.get(u);
                if (m != null && m.flags().contains(Flag.DELETED)) {
                    deleted.add(u);
                }
            }
            return deleted.isEmpty() ? List.<Long>of() : s.store().expunge(ref, deleted);
        }, removed -> {
            reportExpunged(removed);
            s.tagged(tag, "OK Expunge completed.", true);
        }, e -> s.failed(tag, e, null));
    }

    private static long[] allUids(MailboxView v) {
        long[] out = new long[v.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.uidAt(i + 1);
        }
        return out;
    }
}
