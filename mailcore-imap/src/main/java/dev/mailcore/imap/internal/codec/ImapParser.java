package dev.mailcore.imap.internal.codec;

import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.imap.internal.command.FetchItem;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ParsedCommand;
import dev.mailcore.imap.internal.command.Partial;
import dev.mailcore.imap.internal.command.SearchKey;
import dev.mailcore.imap.internal.command.Section;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.command.StatusItem;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The grammar of IMAP commands (RFC 9051, RFC 3501 and the extensions in {@link ImapCommand}): turns a complete
 * command ({@link CommandText}) into a {@link ParsedCommand}, or into an {@link ImapInput.Bad} whose text names what
 * was wrong ({@code a1 BAD Error in IMAP command FETCH: Invalid sequence set}). Pure: no I/O, no state.
 *
 * <p>Command names and keywords are case-insensitive; {@code INBOX} in any case is returned as {@code INBOX}; every
 * argument that is a string in the grammar may be quoted or a literal. Strings are decoded as UTF-8 (strictly), except
 * the strings of SEARCH, SORT and THREAD, which use the command's CHARSET.
 */
public final class ImapParser {

    /** The charsets named in a {@code BADCHARSET} response. */
    public static final String BADCHARSET = "[BADCHARSET (UTF-8 US-ASCII)]";

    private static final int MAX_SEARCH_DEPTH = 64;
    private static final long MAX_NUMBER = 0xFFFF_FFFFL;
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};

    private static final Set<String> COMMANDS = Set.of("CAPABILITY", "NOOP", "LOGOUT", "ID", "STARTTLS",
            "AUTHENTICATE", "LOGIN", "ENABLE", "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE",
            "UNSUBSCRIBE", "LIST", "LSUB", "NAMESPACE", "STATUS", "APPEND", "IDLE", "GETQUOTA", "GETQUOTAROOT",
            "SETQUOTA", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "SORT",
            "THREAD", "UID");
    private static final Set<String> UID_COMMANDS = Set.of("COPY", "MOVE", "FETCH", "STORE", "SEARCH", "SORT",
            "THREAD", "EXPUNGE");

    private ImapParser() {
    }

    /**
     * Parses one complete command. On success the {@link ParsedCommand#resources()} own the literals of {@code text};
     * otherwise the caller still owns them.
     */
    public static ImapInput parse(CommandText text) {
        String first = text.lines().get(0);
        int sp = first.indexOf(' ');
        String tag = sp < 0 ? first : first.substring(0, sp);
        if (!isTag(tag)) {
            return new ImapInput.Bad("* BAD Invalid tag", false);
        }
        if (sp < 0 || sp == first.length() - 1 && text.lines().size() == 1) {
            return new ImapInput.Bad(tag + " BAD Missing command", false);
        }
        Cursor c = new Cursor(text, sp + 1);
        String name;
        try {
            name = c.keyword();
        } catch (ParseError e) {
            return new ImapInput.Bad(tag + " BAD Missing command", false);
        }
        if (!COMMANDS.contains(name)) {
            return new ImapInput.Bad(tag + " BAD Unknown command", false);
        }
        String shown = name;
        try {
            ImapCommand command;
            if (name.equals("UID")) {
                c.sp();
                String sub;
                try {
                    sub = c.keyword();
                } catch (ParseError e) {
                    throw new ParseError("Missing UID command");
                }
                if (!UID_COMMANDS.contains(sub)) {
                    return new ImapInput.Bad(tag + " BAD Unknown command UID " + safe(sub),
                            false);
                }
                shown = "UID " + sub;
                command = parseCommand(sub, true, c);
            } else {
                command = parseCommand(name, false, c);
            }
            c.end();
            return new ImapInput.Command(new ParsedCommand(tag, command, text));
        } catch (ParseError e) {
            if (e.response != null) {
                return new ImapInput.Bad(tag + " " + e.response, false);
            }
            return new ImapInput.Bad(tag + " BAD Error in IMAP command " + shown + ": " + e.getMessage(), false);
        }
    }

    /**
     * Checks the start of a command before the decoder asks for its first literal: the tag and the command name.
     *
     * @return the response refusing the command, or null when it may go on
     */
    static String checkStart(String firstLine) {
        int sp = firstLine.indexOf(' ');
        String tag = sp < 0 ? firstLine : firstLine.substring(0, sp);
        if (!isTag(tag)) {
            return "* BAD Invalid tag";
        }
        if (sp < 0) {
            return tag + " BAD Missing command";
        }
        int end = sp + 1;
        while (end < firstLine.length() && isAtomChar(firstLine.charAt(end))) {
            end++;
        }
        String name = firstLine.substring(sp + 1, end).toUpperCase(Locale.ROOT);
        if (!COMMANDS.contains(name)) {
            return tag + " BAD Unknown command";
        }
        if (name.equals("UID")) {
            int s = end + 1;
            int e = s;
            while (e < firstLine.length() && isAtomChar(firstLine.charAt(e))) {
                e++;
            }
            if (end >= firstLine.length() || firstLine.charAt(end) != ' '
                    || !UID_COMMANDS.contains(firstLine.substring(s, e).toUpperCase(Locale.ROOT))) {
                return tag + " BAD Unknown command";
            }
        }
        return null;
    }

    /** True when {@code s} is a valid tag: one or more ASTRING-CHARs except {@code +}. */
    public static boolean isTag(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '+' || !(isAtomChar(ch) || ch == ']')) {
                return false;
            }
        }
        return true;
    }

    static boolean isAtomChar(char ch) {
        return ch > 0x20 && ch < 0x7f && "(){%*\"\\]".indexOf(ch) < 0;
    }

    // --------------------------------------------------------------------------------------------------- commands

    private static ImapCommand parseCommand(String name, boolean uid, Cursor c) {
        switch (name) {
            case "CAPABILITY":
                return new ImapCommand.Capability();
            case "NOOP":
                return new ImapCommand.Noop();
            case "LOGOUT":
                return new ImapCommand.Logout();
            case "STARTTLS":
                return new ImapCommand.StartTls();
            case "NAMESPACE":
                return new ImapCommand.Namespace();
            case "IDLE":
                return new ImapCommand.Idle();
            case "CHECK":
                return new ImapCommand.Check();
            case "CLOSE":
                return new ImapCommand.Close();
            case "UNSELECT":
                return new ImapCommand.Unselect();
            case "ID":
                return id(c);
            case "AUTHENTICATE":
                return authenticate(c);
            case "LOGIN": {
                c.sp();
                String user = c.astring();
                c.sp();
                return new ImapCommand.Login(user, c.astring());
            }
            case "ENABLE": {
                List<String> caps = new ArrayList<>();
                do {
                    c.sp();
                    caps.add(c.keyword());
                } while (!c.atEnd());
                return new ImapCommand.Enable(caps);
            }
            case "SELECT":
            case "EXAMINE":
                return select(c, name.equals("EXAMINE"));
            case "CREATE":
                return create(c);
            case "DELETE":
                c.sp();
                return new ImapCommand.Delete(c.mailbox());
            case "RENAME": {
                c.sp();
                String from = c.mailbox();
                c.sp();
                return new ImapCommand.Rename(from, c.mailbox());
            }
            case "SUBSCRIBE":
                c.sp();
                return new ImapCommand.Subscribe(c.mailbox());
            case "UNSUBSCRIBE":
                c.sp();
                return new ImapCommand.Unsubscribe(c.mailbox());
            case "LIST":
                return list(c);
            case "LSUB": {
                c.sp();
                String reference = c.mailbox();
                c.sp();
                return new ImapCommand.ListMailboxes(reference, List.of(c.listMailbox()), Set.of(), Set.of(),
                        List.of(), true);
            }
            case "STATUS": {
                c.sp();
                String mailbox = c.mailbox();
                c.sp();
                return new ImapCommand.Status(mailbox, statusItems(c));
            }
            case "APPEND":
                return append(c);
            case "GETQUOTA":
                c.sp();
                return new ImapCommand.GetQuota(c.astring());
            case "GETQUOTAROOT":
                c.sp();
                return new ImapCommand.GetQuotaRoot(c.mailbox());
            case "SETQUOTA":
                return setQuota(c);
            case "EXPUNGE":
                if (uid) {
                    c.sp();
                    return new ImapCommand.Expunge(c.sequenceSet());
                }
                return new ImapCommand.Expunge(null);
            case "SEARCH":
                return search(c, uid);
            case "FETCH":
                return fetch(c, uid);
            case "STORE":
                return store(c, uid);
            case "COPY":
            case "MOVE": {
                c.sp();
                SequenceSet set = c.sequenceSet();
                c.sp();
                String mailbox = c.mailbox();
                return name.equals("COPY") ? new ImapCommand.Copy(uid, set, mailbox)
                        : new ImapCommand.Move(uid, set, mailbox);
            }
            case "SORT":
                return sort(c, uid);
            case "THREAD":
                return thread(c, uid);
            default:
                throw new ParseError("Unknown command");
        }
    }

    private static ImapCommand id(Cursor c) {
        c.sp();
        if (c.peek() != '(') {
            c.nil("Expected a list or NIL");
            return new ImapCommand.Id(null);
        }
        c.expect('(');
        Map<String, String> fields = new LinkedHashMap<>();
        while (c.notClose()) {
            if (!fields.isEmpty()) {
                c.sp();
            }
            String key = c.string();
            c.sp();
            fields.put(key, c.nstring());
        }
        c.expect(')');
        return new ImapCommand.Id(Collections.unmodifiableMap(fields));
    }

    private static ImapCommand authenticate(Cursor c) {
        c.sp();
        String mechanism = c.keyword();
        String initial = null;
        if (!c.atEnd()) {
            c.sp();
            initial = c.base64();
        }
        return new ImapCommand.Authenticate(mechanism, initial);
    }

    private static ImapCommand select(Cursor c, boolean readOnly) {
        c.sp();
        String mailbox = c.mailbox();
        boolean condStore = false;
        ImapCommand.Qresync qresync = null;
        if (!c.atEnd()) {
            c.sp();
            c.expect('(');
            boolean first = true;
            while (first || c.peek() == ' ') {
                if (!first) {
                    c.sp();
                }
                first = false;
                String param = c.keyword();
                if (param.equals("CONDSTORE") && !condStore) {
                    condStore = true;
                } else if (param.equals("QRESYNC") && qresync == null) {
                    c.sp();
                    qresync = qresync(c);
                } else {
                    throw new ParseError("Unknown or repeated SELECT parameter " + safe(param));
                }
            }
            c.expect(')');
        }
        return new ImapCommand.Select(mailbox, readOnly, condStore, qresync);
    }

    private static ImapCommand.Qresync qresync(Cursor c) {
        c.expect('(');
        long uidValidity = c.nzNumber();
        c.sp();
        long modSeq = c.number64();
        SequenceSet knownUids = null;
        SequenceSet knownSequences = null;
        SequenceSet knownSequenceUids = null;
        if (c.peek() == ' ') {
            c.sp();
            if (c.peek() != '(') {
                knownUids = c.sequenceSet();
                if (c.peek() == ' ') {
                    c.sp();
                }
            }
            if (c.peek() == '(') {
                c.expect('(');
                knownSequences = c.sequenceSet();
                c.sp();
                knownSequenceUids = c.sequenceSet();
                c.expect(')');
            }
        }
        c.expect(')');
        if (knownUids != null && knownUids.saved() || knownSequences != null && knownSequences.saved()
                || knownSequenceUids != null && knownSequenceUids.saved()) {
            throw new ParseError("$ is not allowed in QRESYNC");
        }
        return new ImapCommand.Qresync(uidValidity, modSeq, knownUids, knownSequences, knownSequenceUids);
    }

    private static ImapCommand create(Cursor c) {
        c.sp();
        String mailbox = c.mailbox();
        List<String> use = new ArrayList<>();
        if (!c.atEnd()) {
            c.sp();
            c.expect('(');
            String param = c.keyword();
            if (!param.equals("USE")) {
                throw new ParseError("Unknown CREATE parameter " + safe(param));
            }
            c.sp();
            c.expect('(');
            while (c.notClose()) {
                if (!use.isEmpty()) {
                    c.sp();
                }
                if (c.peek() != '\\') {
                    throw new ParseError("Invalid special-use attribute");
                }
                use.add(c.flag());
            }
            c.expect(')');
            c.expect(')');
        }
        return new ImapCommand.Create(mailbox, use);
    }

    private static ImapCommand list(Cursor c) {
        c.sp();
        Set<ImapCommand.ListSelect> select = EnumSet.noneOf(ImapCommand.ListSelect.class);
        if (c.peek() == '(') {
            c.expect('(');
            while (c.notClose()) {
                if (!select.isEmpty()) {
                    c.sp();
                }
                String option = c.keyword();
                switch (option) {
                    case "SUBSCRIBED":
                        select.add(ImapCommand.ListSelect.SUBSCRIBED);
                        break;
                    case "REMOTE":
                        select.add(ImapCommand.ListSelect.REMOTE);
                        break;
                    case "RECURSIVEMATCH":
                        select.add(ImapCommand.ListSelect.RECURSIVEMATCH);
                        break;
                    case "SPECIAL-USE":
                        select.add(ImapCommand.ListSelect.SPECIAL_USE);
                        break;
                    default:
                        throw new ParseError("Unknown LIST selection option " + safe(option));
                }
            }
            c.expect(')');
            c.sp();
            if (select.contains(ImapCommand.ListSelect.RECURSIVEMATCH)
                    && !select.contains(ImapCommand.ListSelect.SUBSCRIBED)
                    && !select.contains(ImapCommand.ListSelect.SPECIAL_USE)) {
                throw new ParseError("RECURSIVEMATCH needs another selection option");
            }
        }
        String reference = c.mailbox();
        c.sp();
        List<String> patterns = new ArrayList<>();
        if (c.peek() == '(') {
            c.expect('(');
            do {
                if (!patterns.isEmpty()) {
                    c.sp();
                }
                patterns.add(c.listMailbox());
            } while (c.notClose());
            c.expect(')');
        } else {
            patterns.add(c.listMailbox());
        }
        Set<ImapCommand.ListReturn> returns = EnumSet.noneOf(ImapCommand.ListReturn.class);
        List<StatusItem> status = List.of();
        if (!c.atEnd()) {
            c.sp();
            if (!c.keyword().equals("RETURN")) {
                throw new ParseError("Expected RETURN");
            }
            c.sp();
            c.expect('(');
            boolean first = true;
            while (c.notClose()) {
                if (!first) {
                    c.sp();
                }
                first = false;
                String option = c.keyword();
                switch (option) {
                    case "SUBSCRIBED":
                        returns.add(ImapCommand.ListReturn.SUBSCRIBED);
                        break;
                    case "CHILDREN":
                        returns.add(ImapCommand.ListReturn.CHILDREN);
                        break;
                    case "SPECIAL-USE":
                        returns.add(ImapCommand.ListReturn.SPECIAL_USE);
                        break;
                    case "STATUS":
                        if (returns.contains(ImapCommand.ListReturn.STATUS)) {
                            throw new ParseError("STATUS given twice");
                        }
                        returns.add(ImapCommand.ListReturn.STATUS);
                        c.sp();
                        status = statusItems(c);
                        break;
                    default:
                        throw new ParseError("Unknown LIST return option " + safe(option));
                }
            }
            c.expect(')');
        }
        return new ImapCommand.ListMailboxes(reference, patterns, select, returns, status, false);
    }

    private static List<StatusItem> statusItems(Cursor c) {
        c.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            if (!items.isEmpty()) {
                c.sp();
            }
            String item = c.keyword();
            StatusItem parsed;
            try {
                parsed = StatusItem.valueOf(item);
            } catch (IllegalArgumentException e) {
                throw new ParseError("Unknown STATUS item " + safe(item));
            }
            if (!items.contains(parsed)) {
                items.add(parsed); // a repeated item is answered once
            }
        } while (c.notClose());
        c.expect(')');
        return items;
    }

    private static ImapCommand append(Cursor c) {
        c.sp();
        String mailbox = c.mailbox();
        List<ImapCommand.AppendMessage> messages = new ArrayList<>();
        do {
            c.sp();
            List<String> flags = List.of();
            Instant date = null;
            if (c.peek() == '(') {
                flags = c.flagList();
                c.sp();
            }
            if (c.peek() == '"') {
                date = c.dateTime();
                c.sp();
            }
            if (c.atEnd()) {
                throw new ParseError("Missing argument");
            }
            if (c.peek() != '{' && c.peek() != '~') {
                throw new ParseError("Expected a literal with the message");
            }
            messages.add(new ImapCommand.AppendMessage(flags, date, c.literal(true)));
        } while (!c.atEnd());
        return new ImapCommand.Append(mailbox, messages);
    }

    private static ImapCommand setQuota(Cursor c) {
        c.sp();
        String root = c.astring();
        c.sp();
        c.expect('(');
        Map<String, Long> limits = new LinkedHashMap<>();
        while (c.notClose()) {
            if (!limits.isEmpty()) {
                c.sp();
            }
            String resource = c.keyword();
            c.sp();
            long limit = c.number64();
            if (limits.put(resource, limit) != null) {
                throw new ParseError("Resource " + safe(resource) + " given twice");
            }
        }
        c.expect(')');
        return new ImapCommand.SetQuota(root, limits);
    }

    // ----------------------------------------------------------------------------------------------------- FETCH

    private static ImapCommand fetch(Cursor c, boolean uid) {
        c.sp();
        SequenceSet set = c.sequenceSet();
        c.sp();
        List<FetchItem> items = new ArrayList<>();
        if (c.peek() == '(') {
            c.expect('(');
            do {
                if (!items.isEmpty()) {
                    c.sp();
                }
                fetchAtt(c, items, false);
            } while (c.notClose());
            c.expect(')');
        } else {
            fetchAtt(c, items, true);
        }
        long changedSince = -1;
        boolean vanished = false;
        if (!c.atEnd()) {
            c.sp();
            c.expect('(');
            boolean first = true;
            while (first || c.peek() == ' ') {
                if (!first) {
                    c.sp();
                }
                first = false;
                String modifier = c.keyword();
                if (modifier.equals("CHANGEDSINCE") && changedSince < 0) {
                    c.sp();
                    changedSince = c.number64();
                } else if (modifier.equals("VANISHED") && !vanished) {
                    vanished = true;
                } else {
                    throw new ParseError("Unknown or repeated FETCH modifier " + safe(modifier));
                }
            }
            c.expect(')');
            if (vanished && (!uid || changedSince < 0)) {
                throw new ParseError("VANISHED needs UID FETCH and CHANGEDSINCE");
            }
        }
        return new ImapCommand.Fetch(uid, set, items, changedSince, vanished);
    }

    private static void fetchAtt(Cursor c, List<FetchItem> items, boolean macroAllowed) {
        String name = c.fetchName();
        switch (name) {
            case "ALL":
            case "FAST":
            case "FULL":
                if (!macroAllowed) {
                    throw new ParseError(name + " cannot be used in a list");
                }
                items.add(new FetchItem.Flags());
                items.add(new FetchItem.InternalDate());
                items.add(new FetchItem.Rfc822Size());
                if (!name.equals("FAST")) {
                    items.add(new FetchItem.Envelope());
                }
                if (name.equals("FULL")) {
                    items.add(new FetchItem.BodyStructure(false));
                }
                return;
            case "FLAGS":
                items.add(new FetchItem.Flags());
                return;
            case "INTERNALDATE":
                items.add(new FetchItem.InternalDate());
                return;
            case "RFC822.SIZE":
                items.add(new FetchItem.Rfc822Size());
                return;
            case "ENVELOPE":
                items.add(new FetchItem.Envelope());
                return;
            case "BODYSTRUCTURE":
                items.add(new FetchItem.BodyStructure(true));
                return;
            case "UID":
                items.add(new FetchItem.Uid());
                return;
            case "MODSEQ":
                items.add(new FetchItem.ModSeq());
                return;
            case "RFC822":
                items.add(new FetchItem.Rfc822(FetchItem.Rfc822Kind.FULL));
                return;
            case "RFC822.HEADER":
                items.add(new FetchItem.Rfc822(FetchItem.Rfc822Kind.HEADER));
                return;
            case "RFC822.TEXT":
                items.add(new FetchItem.Rfc822(FetchItem.Rfc822Kind.TEXT));
                return;
            case "BODY":
                if (c.peek() != '[') {
                    items.add(new FetchItem.BodyStructure(false));
                    return;
                }
                items.add(new FetchItem.Body(section(c), false, partial(c)));
                return;
            case "BODY.PEEK":
                items.add(new FetchItem.Body(section(c), true, partial(c)));
                return;
            case "BINARY":
            case "BINARY.PEEK": {
                List<Integer> part = binarySection(c);
                items.add(new FetchItem.Binary(part, name.equals("BINARY.PEEK"), partial(c)));
                return;
            }
            case "BINARY.SIZE":
                items.add(new FetchItem.BinarySize(binarySection(c)));
                return;
            default:
                throw new ParseError("Unknown FETCH item " + safe(name));
        }
    }

    private static Section section(Cursor c) {
        c.expect('[');
        if (c.atEnd()) {
            throw new ParseError("Missing ']'");
        }
        List<Integer> part = new ArrayList<>();
        Section.Text text = null;
        List<String> fields = List.of();
        if (c.peek() != ']') {
            String spec = c.sectionSpec();
            String[] pieces = spec.split("\\.", -1);
            int i = 0;
            while (i < pieces.length && !pieces[i].isEmpty() && Character.isDigit(pieces[i].charAt(0))) {
                part.add(partNumber(pieces[i]));
                i++;
            }
            if (i < pieces.length && pieces[i].isEmpty()) {
                throw new ParseError("Invalid section");
            }
            String rest = String.join(".", java.util.Arrays.asList(pieces).subList(i, pieces.length))
                    .toUpperCase(Locale.ROOT);
            switch (rest) {
                case "":
                    if (part.isEmpty()) {
                        throw new ParseError("Invalid section");
                    }
                    break;
                case "HEADER":
                    text = Section.Text.HEADER;
                    break;
                case "TEXT":
                    text = Section.Text.TEXT;
                    break;
                case "MIME":
                    if (part.isEmpty()) {
                        throw new ParseError("MIME needs a part number");
                    }
                    text = Section.Text.MIME;
                    break;
                case "HEADER.FIELDS":
                case "HEADER.FIELDS.NOT":
                    text = rest.endsWith(".NOT") ? Section.Text.HEADER_FIELDS_NOT : Section.Text.HEADER_FIELDS;
                    c.sp();
                    fields = headerList(c);
                    break;
                default:
                    throw new ParseError("Invalid section " + safe(spec));
            }
        }
        c.expect(']');
        return new Section(part, text, fields);
    }

    private static List<String> headerList(Cursor c) {
        c.expect('(');
        List<String> fields = new ArrayList<>();
        do {
            if (!fields.isEmpty()) {
                c.sp();
            }
            String field = c.astring();
            if (field.isEmpty()) {
                throw new ParseError("Empty header field name");
            }
            for (int i = 0; i < field.length(); i++) {
                char ch = field.charAt(i);
                if (ch <= 0x20 || ch >= 0x7f || ch == ':') {
                    throw new ParseError("Invalid header field name");
                }
            }
            fields.add(field);
        } while (c.notClose());
        c.expect(')');
        return fields;
    }

    private static List<Integer> binarySection(Cursor c) {
        c.expect('[');
        List<Integer> part = new ArrayList<>();
        if (c.peek() != ']') {
            for (String piece : c.sectionSpec().split("\\.", -1)) {
                part.add(partNumber(piece));
            }
        }
        c.expect(']');
        return part;
    }

    private static int partNumber(String s) {
        if (s.isEmpty() || s.length() > 9 || s.charAt(0) == '0') {
            throw new ParseError("Invalid part number");
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                throw new ParseError("Invalid part number");
            }
        }
        return Integer.parseInt(s);
    }

    private static Partial partial(Cursor c) {
        if (c.peek() != '<') {
            return null;
        }
        c.expect('<');
        long offset = c.number64();
        c.expect('.');
        long length = c.number64();
        c.expect('>');
        return new Partial(offset, length);
    }

    // ----------------------------------------------------------------------------------------------------- STORE

    private static ImapCommand store(Cursor c, boolean uid) {
        c.sp();
        SequenceSet set = c.sequenceSet();
        c.sp();
        long unchangedSince = -1;
        if (c.peek() == '(') {
            c.expect('(');
            String modifier = c.keyword();
            if (!modifier.equals("UNCHANGEDSINCE")) {
                throw new ParseError("Unknown STORE modifier " + safe(modifier));
            }
            c.sp();
            unchangedSince = c.number64();
            c.expect(')');
            c.sp();
        }
        FlagOperation operation = FlagOperation.REPLACE;
        if (c.peek() == '+') {
            operation = FlagOperation.ADD;
            c.expect('+');
        } else if (c.peek() == '-') {
            operation = FlagOperation.REMOVE;
            c.expect('-');
        }
        String item = c.fetchName();
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw new ParseError("Unknown STORE item " + safe(item));
        }
        c.sp();
        List<String> flags;
        if (c.peek() == '(') {
            flags = c.flagList();
        } else {
            flags = new ArrayList<>();
            flags.add(c.flag());
            while (c.peek() == ' ') {
                c.sp();
                flags.add(c.flag());
            }
        }
        return new ImapCommand.Store(uid, set, unchangedSince, operation, silent, flags);
    }

    // ---------------------------------------------------------------------------------------- SEARCH, SORT, THREAD

    private static ImapCommand search(Cursor c, boolean uid) {
        c.sp();
        Set<ImapCommand.SearchReturn> returns = null;
        String charset = null;
        if (c.peekKeyword("RETURN")) {
            c.keyword();
            c.sp();
            c.expect('(');
            returns = EnumSet.noneOf(ImapCommand.SearchReturn.class);
            boolean first = true;
            while (c.notClose()) {
                if (!first) {
                    c.sp();
                }
                first = false;
                String option = c.keyword();
                try {
                    returns.add(ImapCommand.SearchReturn.valueOf(option));
                } catch (IllegalArgumentException e) {
                    throw new ParseError("Unknown SEARCH return option " + safe(option));
                }
            }
            c.expect(')');
            c.sp();
        }
        if (c.peekKeyword("CHARSET")) {
            c.keyword();
            c.sp();
            charset = c.charset();
            c.sp();
        }
        return new ImapCommand.Search(uid, charset, returns, searchProgram(c));
    }

    private static ImapCommand sort(Cursor c, boolean uid) {
        c.sp();
        c.expect('(');
        List<ImapCommand.SortCriterion> criteria = new ArrayList<>();
        do {
            if (!criteria.isEmpty()) {
                c.sp();
            }
            String word = c.keyword();
            boolean reverse = false;
            if (word.equals("REVERSE")) {
                reverse = true;
                c.sp();
                word = c.keyword();
            }
            try {
                criteria.add(new ImapCommand.SortCriterion(ImapCommand.SortKey.valueOf(word), reverse));
            } catch (IllegalArgumentException e) {
                throw new ParseError("Unknown sort criterion " + safe(word));
            }
        } while (c.notClose());
        c.expect(')');
        c.sp();
        String charset = c.charset();
        c.sp();
        return new ImapCommand.Sort(uid, criteria, charset, searchProgram(c));
    }

    private static ImapCommand thread(Cursor c, boolean uid) {
        c.sp();
        String algorithm = c.keyword();
        ImapCommand.ThreadAlgorithm parsed;
        try {
            parsed = ImapCommand.ThreadAlgorithm.valueOf(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ParseError("Unknown threading algorithm " + safe(algorithm));
        }
        c.sp();
        String charset = c.charset();
        c.sp();
        return new ImapCommand.Thread(uid, parsed, charset, searchProgram(c));
    }

    /** One or more search keys up to the end of the command. */
    private static SearchKey searchProgram(Cursor c) {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(searchKey(c, 0));
        while (!c.atEnd()) {
            c.sp();
            keys.add(searchKey(c, 0));
        }
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }

    private static SearchKey searchKey(Cursor c, int depth) {
        if (depth > MAX_SEARCH_DEPTH) {
            throw new ParseError("Search keys nested too deeply");
        }
        int ch = c.peek();
        if (ch == '(') {
            c.expect('(');
            List<SearchKey> keys = new ArrayList<>();
            do {
                if (!keys.isEmpty()) {
                    c.sp();
                }
                keys.add(searchKey(c, depth + 1));
            } while (c.notClose());
            c.expect(')');
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        if (ch == '*' || ch == '$' || ch >= '0' && ch <= '9') {
            return new SearchKey.Sequence(c.sequenceSet());
        }
        if (ch < 0 || ch == ')') {
            throw new ParseError("Missing search key");
        }
        String key = c.keyword();
        switch (key) {
            case "ALL":
                return new SearchKey.All();
            case "ANSWERED":
                return new SearchKey.Flag("\\Answered", true);
            case "DELETED":
                return new SearchKey.Flag("\\Deleted", true);
            case "DRAFT":
                return new SearchKey.Flag("\\Draft", true);
            case "FLAGGED":
                return new SearchKey.Flag("\\Flagged", true);
            case "SEEN":
                return new SearchKey.Flag("\\Seen", true);
            case "UNANSWERED":
                return new SearchKey.Flag("\\Answered", false);
            case "UNDELETED":
                return new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT":
                return new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED":
                return new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN":
                return new SearchKey.Flag("\\Seen", false);
            case "KEYWORD":
            case "UNKEYWORD":
                c.sp();
                return new SearchKey.Flag(c.atom(), key.equals("KEYWORD"));
            case "RECENT":
                return new SearchKey.Recent();
            case "NEW":
                return new SearchKey.New();
            case "OLD":
                return new SearchKey.Old();
            case "BCC":
            case "CC":
            case "FROM":
            case "SUBJECT":
            case "TO":
                c.sp();
                return new SearchKey.Header(key, c.astring());
            case "HEADER": {
                c.sp();
                String field = c.astring();
                c.sp();
                return new SearchKey.Header(field, c.astring());
            }
            case "BODY":
                c.sp();
                return new SearchKey.Body(c.astring());
            case "TEXT":
                c.sp();
                return new SearchKey.Text(c.astring());
            case "BEFORE":
                c.sp();
                return new SearchKey.Date(false, SearchKey.Comparison.BEFORE, c.date());
            case "ON":
                c.sp();
                return new SearchKey.Date(false, SearchKey.Comparison.ON, c.date());
            case "SINCE":
                c.sp();
                return new SearchKey.Date(false, SearchKey.Comparison.SINCE, c.date());
            case "SENTBEFORE":
                c.sp();
                return new SearchKey.Date(true, SearchKey.Comparison.BEFORE, c.date());
            case "SENTON":
                c.sp();
                return new SearchKey.Date(true, SearchKey.Comparison.ON, c.date());
            case "SENTSINCE":
                c.sp();
                return new SearchKey.Date(true, SearchKey.Comparison.SINCE, c.date());
            case "LARGER":
                c.sp();
                return new SearchKey.Size(true, c.number64());
            case "SMALLER":
                c.sp();
                return new SearchKey.Size(false, c.number64());
            case "UID":
                c.sp();
                return new SearchKey.Uid(c.sequenceSet());
            case "NOT":
                c.sp();
                return new SearchKey.Not(searchKey(c, depth + 1));
            case "OR": {
                c.sp();
                SearchKey left = searchKey(c, depth + 1);
                c.sp();
                return new SearchKey.Or(left, searchKey(c, depth + 1));
            }
            case "MODSEQ":
                c.sp();
                if (c.peek() == '"') {
                    String entry = c.string();
                    if (!entry.toLowerCase(Locale.ROOT).startsWith("/flags/")) {
                        throw new ParseError("Invalid MODSEQ entry name");
                    }
                    c.sp();
                    String type = c.keyword();
                    if (!type.equals("PRIV") && !type.equals("SHARED") && !type.equals("ALL")) {
                        throw new ParseError("Invalid MODSEQ entry type");
                    }
                    c.sp();
                }
                return new SearchKey.ModSeq(c.number64());
            case "OLDER":
            case "YOUNGER":
                c.sp();
                return new SearchKey.Within(key.equals("OLDER"), c.nzNumber());
            default:
                throw new ParseError("Unknown search key " + safe(key));
        }
    }

    /** Client text shown in a response: at most 40 printable characters. */
    static String safe(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char ch = s.charAt(i);
            b.append(ch > 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }

    // --------------------------------------------------------------------------------------------------- errors

    /** A syntax error; {@code response} overrides the standard BAD text (after the tag) when not null. */
    static final class ParseError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String response;

        ParseError(String message) {
            this(message, null);
        }

        ParseError(String message, String response) {
            super(message, null, false, false);
            this.response = response;
        }
    }

    // --------------------------------------------------------------------------------------------------- cursor

    /** Reads tokens across the line segments and literals of one command. */
    private static final class Cursor {
        private final CommandText text;
        private int segment;
        private String line;
        private int pos;
        private Charset charset = StandardCharsets.UTF_8;

        Cursor(CommandText text, int pos) {
            this.text = text;
            this.line = text.lines().get(0);
            this.pos = pos;
        }

        /** False at {@code )}; true before anything else but the end, where a list is unterminated. */
        boolean notClose() {
            if (atEnd()) {
                throw new ParseError("Missing ')'");
            }
            return line.charAt(pos) != ')';
        }

        /** The next char, or -1 at the end of the segment. */
        int peek() {
            return pos < line.length() ? line.charAt(pos) : -1;
        }

        boolean atEnd() {
            return pos >= line.length();
        }

        void end() {
            if (!atEnd() || segment != text.lines().size() - 1) {
                throw new ParseError("Unexpected extra arguments");
            }
        }

        void sp() {
            if (atEnd()) {
                throw new ParseError("Missing argument");
            }
            if (line.charAt(pos) != ' ') {
                throw new ParseError("Expected a space at \"" + safe(line.substring(pos)) + "\"");
            }
            pos++;
        }

        void expect(char ch) {
            if (atEnd()) {
                throw new ParseError("Missing '" + ch + "'");
            }
            if (line.charAt(pos) != ch) {
                throw new ParseError("Expected '" + ch + "' at \"" + safe(line.substring(pos)) + "\"");
            }
            pos++;
        }

        String atom() {
            int start = pos;
            while (pos < line.length() && isAtomChar(line.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new ParseError(atEnd() ? "Missing argument" : "Invalid characters in atom");
            }
            return line.substring(start, pos);
        }

        String keyword() {
            return atom().toUpperCase(Locale.ROOT);
        }

        boolean peekKeyword(String word) {
            int end = pos + word.length();
            return line.regionMatches(true, pos, word, 0, word.length())
                    && (end == line.length() || line.charAt(end) == ' ');
        }

        /** A FETCH/STORE item name: letters, digits, dots and dashes, upper-cased. */
        String fetchName() {
            int start = pos;
            while (pos < line.length()) {
                char ch = line.charAt(pos);
                if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.'
                        || ch == '-') {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos == start) {
                throw new ParseError(atEnd() ? "Missing argument" : "Invalid item");
            }
            return line.substring(start, pos).toUpperCase(Locale.ROOT);
        }

        /** The text of a section spec up to a space or {@code ]}. */
        String sectionSpec() {
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != ']') {
                pos++;
            }
            return line.substring(start, pos);
        }

        void nil(String problem) {
            int start = pos;
            String word;
            try {
                word = keyword();
            } catch (ParseError e) {
                throw new ParseError(problem);
            }
            if (!word.equals("NIL")) {
                pos = start;
                throw new ParseError(problem);
            }
        }

        String astring() {
            int ch = peek();
            if (ch == '"' || ch == '{' || ch == '~') {
                return string();
            }
            int start = pos;
            while (pos < line.length() && (isAtomChar(line.charAt(pos)) || line.charAt(pos) == ']')) {
                pos++;
            }
            if (pos == start) {
                throw new ParseError(atEnd() ? "Missing argument" : "Invalid characters in atom");
            }
            return line.substring(start, pos);
        }

        String mailbox() {
            String name = astring();
            return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
        }

        /** A list-mailbox: list-chars (atom chars, wildcards, {@code ]}) or a string. */
        String listMailbox() {
            int ch = peek();
            if (ch == '"' || ch == '{' || ch == '~') {
                return string();
            }
            int start = pos;
            while (pos < line.length()) {
                char x = line.charAt(pos);
                if (isAtomChar(x) || x == ']' || x == '%' || x == '*') {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos == start) {
                throw new ParseError(atEnd() ? "Missing argument" : "Invalid mailbox pattern");
            }
            return line.substring(start, pos);
        }

        String string() {
            return decode(stringBytes());
        }

        String nstring() {
            int ch = peek();
            if (ch == 'N' || ch == 'n') {
                nil("Expected a string or NIL");
                return null;
            }
            return string();
        }

        byte[] stringBytes() {
            int ch = peek();
            if (ch == '"') {
                return quoted();
            }
            if (ch == '{' || ch == '~') {
                Literal literal = literal(false);
                if (literal.spooled()) {
                    throw new ParseError("String literal too long");
                }
                return literal.bytes();
            }
            throw new ParseError(atEnd() ? "Missing argument" : "Expected a string");
        }

        private byte[] quoted() {
            expect('"');
            byte[] out = new byte[16];
            int n = 0;
            while (true) {
                if (atEnd()) {
                    throw new ParseError("Unterminated quoted string");
                }
                char ch = line.charAt(pos++);
                if (ch == '"') {
                    break;
                }
                if (ch == '\\') {
                    if (atEnd()) {
                        throw new ParseError("Unterminated quoted string");
                    }
                    ch = line.charAt(pos++);
                    if (ch != '"' && ch != '\\') {
                        throw new ParseError("Invalid escape in quoted string");
                    }
                } else if (ch == 0 || ch == '\r') {
                    throw new ParseError("Invalid character in quoted string");
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = (byte) ch;
            }
            return java.util.Arrays.copyOf(out, n);
        }

        /** The literal whose header starts here; {@code binary} allows {@code literal8}. */
        Literal literal(boolean binary) {
            LiteralHeader header = LiteralHeader.find(line);
            if (header == null || header.start() != pos || segment >= text.literals().size()) {
                throw new ParseError("Invalid literal");
            }
            if (header.binary() && !binary) {
                throw new ParseError("literal8 is not allowed here");
            }
            Literal literal = text.literals().get(segment);
            if (literal.size() != header.size()) {
                throw new ParseError("Invalid literal");
            }
            segment++;
            line = text.lines().get(segment);
            pos = 0;
            return literal;
        }

        String decode(byte[] bytes) {
            if (charset.equals(StandardCharsets.UTF_8)) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw new ParseError("Invalid UTF-8 in a string");
                }
            }
            return new String(bytes, charset);
        }

        /** A CHARSET argument: upper-cased; switches the decoding of later strings to it. */
        String charset() {
            String name = astring();
            String upper = name.toUpperCase(Locale.ROOT);
            Charset cs;
            try {
                cs = Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new ParseError("Unsupported charset", "NO " + BADCHARSET + " Unsupported charset");
            }
            charset = cs.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : cs;
            return upper;
        }

        /** base64 text or {@code =} (SASL initial response). */
        String base64() {
            int start = pos;
            while (pos < line.length()) {
                char ch = line.charAt(pos);
                if (ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '+'
                        || ch == '/' || ch == '=') {
                    pos++;
                } else {
                    break;
                }
            }
            String s = line.substring(start, pos);
            if (s.isEmpty()) {
                throw new ParseError("Missing initial response");
            }
            if (!s.equals("=")) {
                int eq = s.indexOf('=');
                boolean padOk = eq < 0 || eq >= s.length() - 2 && s.substring(eq).chars().allMatch(x -> x == '=');
                if (s.length() % 4 != 0 || !padOk) {
                    throw new ParseError("Invalid base64 initial response");
                }
            }
            return s;
        }

        long digits(long max, String problem) {
            int start = pos;
            long value = 0;
            while (pos < line.length() && line.charAt(pos) >= '0' && line.charAt(pos) <= '9') {
                int d = line.charAt(pos) - '0';
                if (value > (max - d) / 10) {
                    throw new ParseError(problem);
                }
                value = value * 10 + d;
                pos++;
            }
            if (pos == start) {
                throw new ParseError(atEnd() ? "Missing argument" : problem);
            }
            return value;
        }

        long number() {
            return digits(MAX_NUMBER, "Invalid number");
        }

        long nzNumber() {
            long n = number();
            if (n == 0) {
                throw new ParseError("Invalid number 0");
            }
            return n;
        }

        long number64() {
            return digits(Long.MAX_VALUE, "Invalid number");
        }

        SequenceSet sequenceSet() {
            if (peek() == '$') {
                pos++;
                int next = peek();
                if (next != -1 && next != ' ' && next != ')') {
                    throw new ParseError("Invalid sequence set");
                }
                return SequenceSet.SAVED;
            }
            List<SequenceSet.Range> ranges = new ArrayList<>();
            while (true) {
                long from = seqNumber();
                long to = from;
                if (peek() == ':') {
                    pos++;
                    to = seqNumber();
                }
                ranges.add(new SequenceSet.Range(from, to));
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            int next = peek();
            if (next != -1 && next != ' ' && next != ')') {
                throw new ParseError("Invalid sequence set");
            }
            return new SequenceSet(ranges, false);
        }

        private long seqNumber() {
            if (peek() == '*') {
                pos++;
                return SequenceSet.STAR;
            }
            int ch = peek();
            if (ch < '0' || ch > '9') {
                throw new ParseError(atEnd() ? "Missing sequence set" : "Invalid sequence set");
            }
            long n = digits(MAX_NUMBER, "Invalid sequence set");
            if (n == 0) {
                throw new ParseError("Invalid sequence set");
            }
            return n;
        }

        String flag() {
            if (peek() == '\\') {
                pos++;
                if (atEnd() || !isAtomChar(line.charAt(pos))) {
                    throw new ParseError("Invalid flag");
                }
                return "\\" + atom();
            }
            if (atEnd() || !isAtomChar(line.charAt(pos))) {
                throw new ParseError(atEnd() ? "Missing flag" : "Invalid flag");
            }
            return atom();
        }

        List<String> flagList() {
            expect('(');
            List<String> flags = new ArrayList<>();
            while (notClose()) {
                if (!flags.isEmpty()) {
                    sp();
                }
                flags.add(flag());
            }
            expect(')');
            return flags;
        }

        /** A SEARCH date: {@code d-Mon-yyyy}, optionally quoted. */
        LocalDate date() {
            boolean quoted = peek() == '"';
            if (quoted) {
                pos++;
            }
            int day = (int) digitsUpTo(2, "Invalid date");
            expectDate('-');
            int month = month();
            expectDate('-');
            int year = (int) digitsExactly(4, "Invalid date");
            if (quoted) {
                expectDate('"');
            }
            try {
                return LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new ParseError("Invalid date");
            }
        }

        /** An APPEND date-time: {@code "dd-Mon-yyyy hh:mm:ss +hhmm"}, the day maybe space-padded. */
        Instant dateTime() {
            expect('"');
            if (peek() == ' ') {
                pos++;
            }
            int day = (int) digitsUpTo(2, "Invalid date-time");
            expectDateTime('-');
            int month = month();
            expectDateTime('-');
            int year = (int) digitsExactly(4, "Invalid date-time");
            expectDateTime(' ');
            int hour = (int) digitsExactly(2, "Invalid date-time");
            expectDateTime(':');
            int minute = (int) digitsExactly(2, "Invalid date-time");
            expectDateTime(':');
            int second = (int) digitsExactly(2, "Invalid date-time");
            expectDateTime(' ');
            int sign = peek() == '+' ? 1 : peek() == '-' ? -1 : 0;
            if (sign == 0) {
                throw new ParseError("Invalid date-time");
            }
            pos++;
            int zone = (int) digitsExactly(4, "Invalid date-time");
            expectDateTime('"');
            int zoneMinutes = zone % 100;
            if (zoneMinutes > 59) {
                throw new ParseError("Invalid date-time");
            }
            try {
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(sign * ((zone / 100) * 3600 + zoneMinutes * 60));
                return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, offset)
                        .toInstant();
            } catch (DateTimeException e) {
                throw new ParseError("Invalid date-time");
            }
        }

        private void expectDate(char ch) {
            if (peek() != ch) {
                throw new ParseError("Invalid date");
            }
            pos++;
        }

        private void expectDateTime(char ch) {
            if (peek() != ch) {
                throw new ParseError("Invalid date-time");
            }
            pos++;
        }

        private int month() {
            if (pos + 3 > line.length()) {
                throw new ParseError("Invalid month");
            }
            String m = line.substring(pos, pos + 3).toUpperCase(Locale.ROOT);
            for (int i = 0; i < MONTHS.length; i++) {
                if (MONTHS[i].equals(m)) {
                    pos += 3;
                    return i + 1;
                }
            }
            throw new ParseError("Invalid month");
        }

        private long digitsUpTo(int count, String problem) {
            int start = pos;
            long value = 0;
            while (pos < line.length() && pos - start < count && Character.isDigit(line.charAt(pos))
                    && line.charAt(pos) <= '9') {
                value = value * 10 + (line.charAt(pos) - '0');
                pos++;
            }
            if (pos == start) {
                throw new ParseError(problem);
            }
            return value;
        }

        private long digitsExactly(int count, String problem) {
            int start = pos;
            long value = digitsUpTo(count, problem);
            if (pos - start != count) {
                throw new ParseError(problem);
            }
            return value;
        }
    }
}
