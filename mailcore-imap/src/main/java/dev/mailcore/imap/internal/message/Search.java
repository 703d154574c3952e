package dev.mailcore.imap.internal.message;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.SearchKey;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** SEARCH evaluation, SORT (RFC 5256, RFC 5957) and THREAD (RFC 5256 ORDEREDSUBJECT and REFERENCES). */
public final class Search {

    private static final int CHEAP = 0;
    private static final int HEADER = 1;
    private static final int BODY = 2;

    private Search() {
    }

    /**
     * True when the candidate matches the key. Within AND (and the top-level list) keys on metadata are evaluated
     * first, then header keys (which parse the message), then body keys (which read it).
     */
    public static boolean matches(SearchKey key, SearchCandidate candidate, SearchContext context) {
        if (key instanceof SearchKey.And and) {
            List<SearchKey> keys = and.keys();
            int max = CHEAP;
            for (SearchKey k : keys) {
                int c = cost(k);
                if (c == CHEAP) {
                    if (!matches(k, candidate, context)) {
                        return false;
                    }
                } else {
                    max = Math.max(max, c);
                }
            }
            for (int level = HEADER; level <= max; level++) {
                for (SearchKey k : keys) {
                    if (cost(k) == level && !matches(k, candidate, context)) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (key instanceof SearchKey.Or or) {
            SearchKey a = or.left();
            SearchKey b = or.right();
            if (cost(b) < cost(a)) {
                SearchKey t = a;
                a = b;
                b = t;
            }
            return matches(a, candidate, context) || matches(b, candidate, context);
        }
        if (key instanceof SearchKey.Not not) {
            return !matches(not.key(), candidate, context);
        }
        if (key instanceof SearchKey.All) {
            return true;
        }
        MessageMeta meta = candidate.meta();
        if (key instanceof SearchKey.Flag f) {
            return hasFlag(candidate, f.flag()) == f.set();
        }
        if (key instanceof SearchKey.Recent) {
            return candidate.recent();
        }
        if (key instanceof SearchKey.New) {
            return candidate.recent() && !meta.flags().contains(Flag.SEEN);
        }
        if (key instanceof SearchKey.Old) {
            return !candidate.recent();
        }
        if (key instanceof SearchKey.Size s) {
            return s.larger() ? meta.size() > s.octets() : meta.size() < s.octets();
        }
        if (key instanceof SearchKey.Sequence s) {
            return s.set().saved() ? context.savedUids().test(meta.uid())
                    : s.set().contains(candidate.sequence(), context.maxSequence());
        }
        if (key instanceof SearchKey.Uid u) {
            return u.set().saved() ? context.savedUids().test(meta.uid())
                    : u.set().contains(meta.uid(), context.maxUid());
        }
        if (key instanceof SearchKey.ModSeq m) {
            return meta.modSeq() >= m.modSeq();
        }
        if (key instanceof SearchKey.Within w) {
            Instant limit = context.now().minusSeconds(w.seconds());
            return w.older() ? meta.internalDate().isBefore(limit) : !meta.internalDate().isBefore(limit);
        }
        if (key instanceof SearchKey.Date d) {
            LocalDate date;
            if (d.sent()) {
                ZonedDateTime sent = candidate.parsed().sentDate();
                if (sent == null) {
                    return false;
                }
                date = sent.toLocalDate();
            } else {
                date = meta.internalDate().atZone(context.zone()).toLocalDate();
            }
            switch (d.comparison()) {
                case BEFORE:
                    return date.isBefore(d.date());
                case ON:
                    return date.isEqual(d.date());
                default:
                    return !date.isBefore(d.date());
            }
        }
        if (key instanceof SearchKey.Header h) {
            return headerMatches(candidate.parsed(), h.field(), h.value(), context);
        }
        if (key instanceof SearchKey.Body b) {
            return candidate.parsed().bodyContains(b.value(), candidate.raw());
        }
        if (key instanceof SearchKey.Text t) {
            ParsedMessage p = candidate.parsed();
            return context.matcher(t.value()).in(p.headerText()) || p.bodyContains(t.value(), candidate.raw());
        }
        throw new IllegalArgumentException("unknown search key " + key);
    }

    private static boolean hasFlag(SearchCandidate c, String flag) {
        Flag f = Flag.fromImapName(flag);
        if (f != null) {
            return c.meta().flags().contains(f);
        }
        if (flag.equalsIgnoreCase("\\Recent")) {
            return c.recent();
        }
        return c.meta().flags().containsKeyword(flag);
    }

    private static boolean headerMatches(ParsedMessage p, String field, String value, SearchContext context) {
        List<String> values = p.headerValues(field);
        if (value.isEmpty()) {
            return !values.isEmpty() || (p instanceof ParsedMimeMessage m && m.hasHeader(field));
        }
        TextMatcher m = context.matcher(value);
        for (String v : values) {
            if (m.in(v)) {
                return true;
            }
        }
        return false;
    }

    /** How expensive a key is: metadata only, the parsed header, or the body. */
    static int cost(SearchKey k) {
        if (k instanceof SearchKey.Header || (k instanceof SearchKey.Date d && d.sent())) {
            return HEADER;
        }
        if (k instanceof SearchKey.Body || k instanceof SearchKey.Text) {
            return BODY;
        }
        if (k instanceof SearchKey.Not n) {
            return cost(n.key());
        }
        if (k instanceof SearchKey.Or o) {
            return Math.max(cost(o.left()), cost(o.right()));
        }
        if (k instanceof SearchKey.And a) {
            int c = CHEAP;
            for (SearchKey x : a.keys()) {
                c = Math.max(c, cost(x));
            }
            return c;
        }
        return CHEAP;
    }

    // ---- SORT ----

    /** The candidates in the order of the criteria (ties broken by sequence number, as RFC 5256 says). */
    public static List<SearchCandidate> sort(List<SearchCandidate> candidates, List<ImapCommand.SortCriterion> criteria) {
        int n = candidates.size();
        int k = criteria.size();
        Object[][] keys = new Object[n][];
        for (int i = 0; i < n; i++) {
            SearchCandidate c = candidates.get(i);
            Object[] row = new Object[k];
            for (int j = 0; j < k; j++) {
                row[j] = sortValue(c, criteria.get(j).key());
            }
            keys[i] = row;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            for (int j = 0; j < k; j++) {
                @SuppressWarnings({"unchecked", "rawtypes"})
                int r = ((Comparable) keys[a][j]).compareTo(keys[b][j]);
                if (r != 0) {
                    return criteria.get(j).reverse() ? -r : r;
                }
            }
            return Long.compare(candidates.get(a).sequence(), candidates.get(b).sequence());
        });
        List<SearchCandidate> out = new ArrayList<>(n);
        for (Integer i : order) {
            out.add(candidates.get(i));
        }
        return out;
    }

    private static Comparable<?> sortValue(SearchCandidate c, ImapCommand.SortKey key) {
        switch (key) {
            case ARRIVAL:
                return c.meta().internalDate();
            case SIZE:
                return c.meta().size();
            case DATE:
                return sentDate(c);
            case SUBJECT:
                return casemap(c.parsed().baseSubject());
            case FROM:
                return casemap(c.parsed().sortAddress("from"));
            case TO:
                return casemap(c.parsed().sortAddress("to"));
            case CC:
                return casemap(c.parsed().sortAddress("cc"));
            case DISPLAYFROM:
                return casemap(c.parsed().displayAddress("from"));
            case DISPLAYTO:
                return casemap(c.parsed().displayAddress("to"));
            default:
                throw new IllegalArgumentException("unknown sort key " + key);
        }
    }

    /** RFC 5256 §2.2 sent date: the Date header normalized to UTC, else the internal date. */
    static Instant sentDate(SearchCandidate c) {
        ZonedDateTime d = c.parsed().sentDate();
        return d == null ? c.meta().internalDate() : d.toInstant();
    }

    /** A comparison key approximating i;unicode-casemap: simple case folding. */
    static String casemap(String s) {
        return s == null ? "" : TextMatcher.fold(s);
    }

    // ---- THREAD ----

    /**
     * The THREAD response data (without {@code * THREAD }), e.g. {@code (2)(3 6 (4 23)(44 7 96))}, numbering each
     * message with {@code number} (sequence number or UID).
     */
    public static String thread(List<SearchCandidate> candidates, ImapCommand.ThreadAlgorithm algorithm,
                                ToLongFunction<SearchCandidate> number) {
        List<SearchCandidate> bySequence = new ArrayList<>(candidates);
        bySequence.sort(Comparator.comparingLong(SearchCandidate::sequence));
        List<Threads.Node> roots = algorithm == ImapCommand.ThreadAlgorithm.ORDEREDSUBJECT
                ? Threads.orderedSubject(bySequence)
                : Threads.references(bySequence);
        StringBuilder b = new StringBuilder(candidates.size() * 6);
        for (Threads.Node r : roots) {
            b.append('(');
            Threads.format(b, r, number);
            b.append(')');
        }
        return b.toString();
    }
}
