package dev.mailcore.imap.internal.command;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER). A list of keys on the
 * command line is an {@link And}.
 */
public sealed interface SearchKey {

    record All() implements SearchKey {
    }

    /**
     * {@code ANSWERED}, {@code DELETED}, {@code DRAFT}, {@code FLAGGED}, {@code SEEN}, {@code KEYWORD k} ({@code set} true)
     * and their {@code UN...} forms ({@code set} false). {@code flag} is the flag as written, e.g. {@code \Seen} or
     * {@code $Junk}.
     */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /** {@code RECENT} (rev1 only). */
    record Recent() implements SearchKey {
    }

    /** {@code NEW}: recent and not seen (rev1). */
    record New() implements SearchKey {
    }

    /** {@code OLD}: not recent (rev1). */
    record Old() implements SearchKey {
    }

    /**
     * {@code FROM}, {@code TO}, {@code CC}, {@code BCC}, {@code SUBJECT} (field is that name) and {@code HEADER field
     * value}: the decoded header field contains {@code value}, case-insensitively; an empty value matches every
     * message that has the field.
     */
    record Header(String field, String value) implements SearchKey {
    }

    /** {@code BODY}: the decoded body text contains the string. */
    record Body(String value) implements SearchKey {
    }

    /** {@code TEXT}: the header or the body contains the string. */
    record Text(String value) implements SearchKey {
    }

    /**
     * {@code BEFORE}/{@code ON}/{@code SINCE} (internal date, {@code sent} false) and {@code SENTBEFORE}/{@code SENTON}/
     * {@code SENTSINCE} (the Date header, {@code sent} true). Dates compare without time or time zone.
     */
    record Date(boolean sent, Comparison comparison, LocalDate date) implements SearchKey {
    }

    /** {@code LARGER n} ({@code larger} true) or {@code SMALLER n}. */
    record Size(boolean larger, long octets) implements SearchKey {
    }

    /** A bare sequence set (message sequence numbers). */
    record Sequence(SequenceSet set) implements SearchKey {
    }

    /** {@code UID set}. */
    record Uid(SequenceSet set) implements SearchKey {
    }

    /** {@code MODSEQ [entry type] n} (RFC 7162): MODSEQ at least {@code modSeq}; the entry is ignored. */
    record ModSeq(long modSeq) implements SearchKey {
    }

    /** {@code OLDER n} ({@code older} true) or {@code YOUNGER n} (RFC 5032), in seconds against the internal date. */
    record Within(boolean older, long seconds) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** All keys match: a parenthesised list, or the top-level list. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    enum Comparison { BEFORE, ON, SINCE }
}
