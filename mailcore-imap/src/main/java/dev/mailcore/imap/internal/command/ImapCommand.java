package dev.mailcore.imap.internal.command;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.FlagOperation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every IMAP command the server understands, parsed. Mailbox names are as sent by the client (IMAP4rev1 clients send
 * modified UTF-7 unless they enabled UTF8=ACCEPT; the session decodes them); strings are decoded from quoted/literal
 * syntax. Commands with a {@code uid} flag are the {@code UID ...} forms.
 */
public sealed interface ImapCommand {

    // ---- any state ----

    record Capability() implements ImapCommand {
    }

    record Noop() implements ImapCommand {
    }

    record Logout() implements ImapCommand {
    }

    /** {@code ID} (RFC 2971); {@code fields} is null for {@code ID NIL}. Keys as sent. */
    record Id(Map<String, String> fields) implements ImapCommand {
    }

    // ---- not authenticated ----

    record StartTls() implements ImapCommand {
    }

    /**
     * {@code AUTHENTICATE mechanism [initial-response]} (SASL-IR, RFC 4959).
     *
     * @param initialResponse the base64 text as sent; null when absent, {@code "="} for an empty response
     */
    record Authenticate(String mechanism, String initialResponse) implements ImapCommand {
    }

    record Login(String user, String password) implements ImapCommand {
    }

    // ---- authenticated ----

    /** {@code ENABLE} (RFC 5161); capability names upper-cased. */
    record Enable(List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    /**
     * {@code SELECT} or {@code EXAMINE} ({@code readOnly}), with the RFC 7162 parameters {@code (CONDSTORE)} and
     * {@code (QRESYNC (...))}; {@code qresync} is null when absent.
     */
    record Select(String mailbox, boolean readOnly, boolean condStore, Qresync qresync) implements ImapCommand {
    }

    /**
     * The QRESYNC parameter: {@code (uidvalidity modseq [known-uids] [(seq-match-data)])}. Optional parts are null.
     */
    record Qresync(long uidValidity, long modSeq, SequenceSet knownUids, SequenceSet knownSequences,
                   SequenceSet knownSequenceUids) {
    }

    /** {@code CREATE name [(USE (\Sent ...))]} (RFC 6154 CREATE-SPECIAL-USE). */
    record Create(String mailbox, List<String> specialUse) implements ImapCommand {
        public Create {
            specialUse = List.copyOf(specialUse);
        }
    }

    record Delete(String mailbox) implements ImapCommand {
    }

    record Rename(String from, String to) implements ImapCommand {
    }

    record Subscribe(String mailbox) implements ImapCommand {
    }

    record Unsubscribe(String mailbox) implements ImapCommand {
    }

    /**
     * {@code LIST} with LIST-EXTENDED (RFC 5258) selection and return options, LIST-STATUS (RFC 5819) and SPECIAL-USE
     * (RFC 6154), or {@code LSUB} ({@code lsub} true, no options).
     *
     * @param patterns    one or more mailbox patterns ({@code *} and {@code %} wildcards)
     * @param statusItems the items of {@code RETURN (STATUS (...))}; empty when not asked
     */
    record ListMailboxes(String reference, List<String> patterns, Set<ListSelect> select, Set<ListReturn> returns,
                         List<StatusItem> statusItems, boolean lsub) implements ImapCommand {
        public ListMailboxes {
            patterns = List.copyOf(patterns);
            select = Set.copyOf(select);
            returns = Set.copyOf(returns);
            statusItems = List.copyOf(statusItems);
        }
    }

    enum ListSelect { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    enum ListReturn { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }

    record Namespace() implements ImapCommand {
    }

    record Status(String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            items = List.copyOf(items);
        }
    }

    /** {@code APPEND} with one message, or several (MULTIAPPEND, RFC 3502). */
    record Append(String mailbox, List<AppendMessage> messages) implements ImapCommand {
        public Append {
            messages = List.copyOf(messages);
        }
    }

    /**
     * One message of an APPEND.
     *
     * @param flags        the flags as written (may be empty)
     * @param internalDate the date-time argument, or null when absent
     * @param content      the literal's bytes; valid until the {@link ParsedCommand}'s resources are released
     */
    record AppendMessage(List<String> flags, Instant internalDate, MessageSource content) {
        public AppendMessage {
            flags = List.copyOf(flags);
        }
    }

    /** {@code IDLE} (RFC 2177); the session then reads raw lines until {@code DONE}. */
    record Idle() implements ImapCommand {
    }

    /** {@code GETQUOTA root} (RFC 9208). */
    record GetQuota(String root) implements ImapCommand {
    }

    /** {@code GETQUOTAROOT mailbox}. */
    record GetQuotaRoot(String mailbox) implements ImapCommand {
    }

    /** {@code SETQUOTA root (resource limit ...)}; resource names upper-cased. */
    record SetQuota(String root, Map<String, Long> limits) implements ImapCommand {
        public SetQuota {
            limits = Map.copyOf(limits);
        }
    }

    // ---- selected ----

    record Check() implements ImapCommand {
    }

    record Close() implements ImapCommand {
    }

    record Unselect() implements ImapCommand {
    }

    /** {@code EXPUNGE}, or {@code UID EXPUNGE set} (RFC 4315) when {@code uids} is not null. */
    record Expunge(SequenceSet uids) implements ImapCommand {
    }

    /**
     * {@code [UID] SEARCH [RETURN (...)] [CHARSET c] keys}.
     *
     * @param charset the CHARSET argument upper-cased, or null
     * @param returns the ESEARCH return options (RFC 4731/5182); null when the command had no RETURN (plain SEARCH
     *                response in rev1), empty for {@code RETURN ()} (same as {@code ALL})
     */
    record Search(boolean uid, String charset, Set<SearchReturn> returns, SearchKey key) implements ImapCommand {
        public Search {
            returns = returns == null ? null : Set.copyOf(returns);
        }
    }

    enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE }

    /**
     * {@code [UID] FETCH set items [(CHANGEDSINCE n [VANISHED])]}.
     *
     * @param changedSince the CHANGEDSINCE modifier (RFC 7162), or -1
     */
    record Fetch(boolean uid, SequenceSet set, List<FetchItem> items, long changedSince, boolean vanished)
            implements ImapCommand {
        public Fetch {
            items = List.copyOf(items);
        }
    }

    /**
     * {@code [UID] STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] flags}.
     *
     * @param unchangedSince the UNCHANGEDSINCE modifier, or -1
     * @param flags          the flags as written (a parenthesised list or bare flags)
     */
    record Store(boolean uid, SequenceSet set, long unchangedSince, FlagOperation operation, boolean silent,
                 List<String> flags) implements ImapCommand {
        public Store {
            flags = List.copyOf(flags);
        }
    }

    record Copy(boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    /** {@code [UID] MOVE} (RFC 6851). */
    record Move(boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    /** {@code [UID] SORT (criteria) charset keys} (RFC 5256). */
    record Sort(boolean uid, List<SortCriterion> criteria, String charset, SearchKey key) implements ImapCommand {
        public Sort {
            criteria = List.copyOf(criteria);
        }
    }

    record SortCriterion(SortKey key, boolean reverse) {
    }

    /** RFC 5256 sort keys and RFC 5957 DISPLAYFROM/DISPLAYTO. */
    enum SortKey { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    /** {@code [UID] THREAD algorithm charset keys} (RFC 5256). */
    record Thread(boolean uid, ThreadAlgorithm algorithm, String charset, SearchKey key) implements ImapCommand {
    }

    enum ThreadAlgorithm { ORDEREDSUBJECT, REFERENCES }
}
