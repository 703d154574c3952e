package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.imap.internal.command.FetchItem;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.Partial;
import dev.mailcore.imap.internal.command.Section;
import dev.mailcore.imap.internal.message.ParsedMessage;
import dev.mailcore.imap.internal.message.SectionData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes the {@code * n FETCH (...)} response of one message (RFC 9051 §7.5.2): the items in the order asked, {@code
 * UID} first for UID FETCH, message data as literals read from the store ({@code BODY[]} without parsing, parts at the
 * byte ranges the parsed MIME tree gives). Runs on the SPI executor.
 */
final class FetchWriter {
    private static final DateTimeFormatter INTERNAL_DATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    /** BINARY of a part with an unknown Content-Transfer-Encoding. */
    static final class UnknownCte extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownCte() {
            super("unknown content-transfer-encoding", null, false, false);
        }
    }

    private final ImapSession s;
    private final MailboxRef ref;
    private final long uidValidity;
    private final ImapCommand.Fetch fetch;
    private final boolean modSeq;
    private final ZoneId zone;
    private final boolean hasUid;
    private final boolean hasFlags;
    private final boolean hasModSeq;

    FetchWriter(ImapSession s, MailboxRef ref, long uidValidity, ImapCommand.Fetch fetch, boolean modSeq) {
        this.s = s;
        this.ref = ref;
        this.uidValidity = uidValidity;
        this.fetch = fetch;
        this.modSeq = modSeq;
        this.zone = s.config().clock().getZone();
        boolean uid = false;
        boolean flags = false;
        boolean ms = false;
        for (FetchItem item : fetch.items()) {
            uid |= item instanceof FetchItem.Uid;
            flags |= item instanceof FetchItem.Flags;
            ms |= item instanceof FetchItem.ModSeq;
        }
        this.hasUid = uid;
        this.hasFlags = flags;
        this.hasModSeq = ms;
    }

    /** Whether fetching {@code item} sets {@code \Seen}. */
    static boolean setsSeen(FetchItem item) {
        if (item instanceof FetchItem.Body) {
            return !((FetchItem.Body) item).peek();
        }
        if (item instanceof FetchItem.Binary) {
            return !((FetchItem.Binary) item).peek();
        }
        if (item instanceof FetchItem.Rfc822) {
            return ((FetchItem.Rfc822) item).kind() != FetchItem.Rfc822Kind.HEADER;
        }
        return false;
    }

    void write(Responses out, int msn, MessageMeta meta, boolean recent, boolean flagsChanged) {
        Message message = new Message(meta);
        out.text("* ").text(Integer.toString(msn)).text(" FETCH (");
        boolean first = true;
        // RFC 7162 §3.2.4: a FETCH that sets \Seen tells a CONDSTORE-aware client the UID and MODSEQ too
        boolean condStoreFlags = flagsChanged && s.condStore;
        if ((fetch.uid() || condStoreFlags) && !hasUid) {
            out.text("UID ").text(Long.toString(meta.uid()));
            first = false;
        }
        for (FetchItem item : fetch.items()) {
            if (!first) {
                out.text(" ");
            }
            first = false;
            item(out, item, meta, recent, message);
        }
        if (flagsChanged && !hasFlags) {
            out.text(first ? "" : " ").text("FLAGS (").text(ImapSession.flagString(meta.flags(), recent)).text(")");
            first = false;
        }
        if ((modSeq || condStoreFlags) && !hasModSeq) {
            out.text(first ? "" : " ").text("MODSEQ (").text(Long.toString(meta.modSeq())).text(")");
        }
        out.line(")");
    }

    private void item(Responses out, FetchItem item, MessageMeta meta, boolean recent, Message message) {
        if (item instanceof FetchItem.Flags) {
            out.text("FLAGS (").text(ImapSession.flagString(meta.flags(), recent)).text(")");
        } else if (item instanceof FetchItem.Uid) {
            out.text("UID ").text(Long.toString(meta.uid()));
        } else if (item instanceof FetchItem.InternalDate) {
            out.text("INTERNALDATE \"").text(INTERNAL_DATE.format(meta.internalDate().atZone(zone))).text("\"");
        } else if (item instanceof FetchItem.Rfc822Size) {
            out.text("RFC822.SIZE ").text(Long.toString(meta.size()));
        } else if (item instanceof FetchItem.ModSeq) {
            out.text("MODSEQ (").text(Long.toString(meta.modSeq())).text(")");
        } else if (item instanceof FetchItem.Envelope) {
            out.text("ENVELOPE ").text(message.parsed().envelope());
        } else if (item instanceof FetchItem.BodyStructure) {
            boolean ext = ((FetchItem.BodyStructure) item).extensible();
            out.text(ext ? "BODYSTRUCTURE " : "BODY ").text(message.parsed().bodyStructure(ext));
        } else if (item instanceof FetchItem.Rfc822) {
            FetchItem.Rfc822Kind kind = ((FetchItem.Rfc822) item).kind();
            switch (kind) {
                case HEADER:
                    out.text("RFC822.HEADER ");
                    data(out, message, message.parsed().section(new Section(List.of(), Section.Text.HEADER,
                            List.of())), null);
                    break;
                case TEXT:
                    out.text("RFC822.TEXT ");
                    data(out, message, message.parsed().section(new Section(List.of(), Section.Text.TEXT,
                            List.of())), null);
                    break;
                default:
                    out.text("RFC822 ");
                    data(out, message, new SectionData.Range(0, meta.size()), null);
                    break;
            }
        } else if (item instanceof FetchItem.Body) {
            FetchItem.Body body = (FetchItem.Body) item;
            out.text("BODY[").text(sectionSpec(body.section())).text("]");
            if (body.partial() != null) {
                out.text("<").text(Long.toString(body.partial().offset())).text(">");
            }
            out.text(" ");
            SectionData data = body.section().equals(Section.WHOLE) ? new SectionData.Range(0, meta.size())
                    : message.parsed().section(body.section());
            data(out, message, data, body.partial());
        } else if (item instanceof FetchItem.Binary) {
            FetchItem.Binary binary = (FetchItem.Binary) item;
            out.text("BINARY[").text(part(binary.part())).text("]");
            if (binary.partial() != null) {
                out.text("<").text(Long.toString(binary.partial().offset())).text(">");
            }
            out.text(" ");
            SectionData data = message.parsed().binary(binary.part(), message.raw());
            if (data instanceof SectionData.UnknownEncoding) {
                throw new UnknownCte();
            }
            data(out, message, data, binary.partial(), true);
        } else if (item instanceof FetchItem.BinarySize) {
            FetchItem.BinarySize size = (FetchItem.BinarySize) item;
            out.text("BINARY.SIZE[").text(part(size.part())).text("] ");
            SectionData data = message.parsed().binarySize(size.part(), message.raw());
            if (data instanceof SectionData.UnknownEncoding) {
                throw new UnknownCte();
            } else if (data instanceof SectionData.Size) {
                out.text(Long.toString(((SectionData.Size) data).octets()));
            } else if (data instanceof SectionData.Bytes) {
                out.text(Integer.toString(((SectionData.Bytes) data).data().length));
            } else if (data instanceof SectionData.Range) {
                out.text(Long.toString(((SectionData.Range) data).length()));
            } else {
                out.text("NIL");
            }
        }
    }

    private void data(Responses out, Message message, SectionData data, Partial partial) {
        data(out, message, data, partial, false);
    }

    private void data(Responses out, Message message, SectionData data, Partial partial, boolean binary) {
        if (data instanceof SectionData.Bytes) {
            byte[] bytes = ((SectionData.Bytes) data).data();
            long from = 0;
            long length = bytes.length;
            if (partial != null) {
                from = Math.min(partial.offset(), bytes.length);
                length = Math.min(partial.length(), bytes.length - from);
            }
            literalHeader(out, length, binary && hasNul(bytes, (int) from, (int) length));
            out.bytes(bytes, (int) from, (int) length);
        } else if (data instanceof SectionData.Range) {
            SectionData.Range range = (SectionData.Range) data;
            long from = range.offset();
            long length = range.length();
            if (partial != null) {
                long skip = Math.min(partial.offset(), length);
                from += skip;
                length = Math.min(partial.length(), length - skip);
            }
            copy(out, message.raw(), from, length, binary);
        } else {
            out.text("NIL");
        }
    }

    private static boolean hasNul(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static void literalHeader(Responses out, long length, boolean literal8) {
        out.text(literal8 ? "~{" : "{").text(Long.toString(length)).text("}\r\n");
    }

    /** Copies {@code length} octets at {@code from} of the raw message as a literal. */
    private static void copy(Responses out, MessageSource raw, long from, long length, boolean binary) {
        byte[] data = new byte[(int) Math.min(length, 64 * 1024)];
        try (InputStream in = raw.openStream()) {
            long skipped = 0;
            while (skipped < from) {
                long n = in.skip(from - skipped);
                if (n <= 0) {
                    if (in.read() < 0) {
                        break;
                    }
                    n = 1;
                }
                skipped += n;
            }
            if (binary) {
                // a literal8 only when the octets contain NUL: read them first
                byte[] all = in.readNBytes((int) length);
                literalHeader(out, all.length, hasNul(all, 0, all.length));
                out.bytes(all);
                return;
            }
            literalHeader(out, length, false);
            long left = length;
            while (left > 0) {
                if (out.abandoned()) {
                    return; // the client left: the rest of a large literal is neither read nor written
                }
                int n = in.read(data, 0, (int) Math.min(data.length, left));
                if (n < 0) {
                    break;
                }
                out.bytes(data, 0, n);
                left -= n;
                out.spill();
            }
            while (left > 0) { // the store delivered fewer octets than it said: keep the literal's length
                int n = (int) Math.min(data.length, left);
                java.util.Arrays.fill(data, 0, n, (byte) ' ');
                out.bytes(data, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sectionSpec(Section section) {
        StringBuilder b = new StringBuilder(part(section.part()));
        if (section.text() == null) {
            return b.toString();
        }
        if (b.length() > 0) {
            b.append('.');
        }
        switch (section.text()) {
            case HEADER:
                b.append("HEADER");
                break;
            case HEADER_FIELDS:
                b.append("HEADER.FIELDS (").append(fields(section.fields())).append(')');
                break;
            case HEADER_FIELDS_NOT:
                b.append("HEADER.FIELDS.NOT (").append(fields(section.fields())).append(')');
                break;
            case TEXT:
                b.append("TEXT");
                break;
            default:
                b.append("MIME");
                break;
        }
        return b.toString();
    }

    private static String fields(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(ImapStrings.astring(n.toUpperCase(Locale.ROOT), false));
        }
        return b.toString();
    }

    static String part(List<Integer> part) {
        StringBuilder b = new StringBuilder();
        for (Integer p : part) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(p);
        }
        return b.toString();
    }

    /** One message's content, read and parsed at most once per FETCH response. */
    private final class Message {
        private final MessageMeta meta;
        private MessageSource raw;
        private ParsedMessage parsed;

        Message(MessageMeta meta) {
            this.meta = meta;
        }

        MessageSource raw() {
            if (raw == null) {
                raw = s.store().content(ref, meta.uid());
            }
            return raw;
        }

        ParsedMessage parsed() {
            if (parsed == null) {
                try {
                    parsed = s.messageCache().get(ref.user(), ref.name(), uidValidity, meta.uid(), this::raw);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return parsed;
        }
    }
}
