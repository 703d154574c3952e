package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.imap.internal.command.Section;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link ParsedMessage} made by {@link MessageParser}: the MIME tree with offsets and the kept headers. Derived
 * strings (ENVELOPE, BODYSTRUCTURE, base subject) are computed on first use and kept; racing threads may compute them
 * twice, which is harmless as they are immutable.
 */
final class ParsedMimeMessage implements ParsedMessage {

    private static final String EMPTY_BODYSTRUCTURE =
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)";

    private final MimePart root;
    private final long size;

    private String envelope;
    private String bodyStructure;
    private String body;
    private BaseSubject baseSubject;
    /** The parsed Date, {@link #NO_DATE} when there is none, null until computed. */
    private volatile Object sentDate;

    private static final Object NO_DATE = new Object();

    ParsedMimeMessage(MimePart root, long size) {
        this.root = root;
        this.size = size;
    }

    MimePart root() {
        return root;
    }

    @Override
    public long size() {
        return size;
    }

    // ---- ENVELOPE ----

    @Override
    public String envelope() {
        String e = envelope;
        if (e == null) {
            StringBuilder b = new StringBuilder(256);
            writeEnvelope(b, root.header);
            envelope = e = b.toString();
        }
        return e;
    }

    static void writeEnvelope(StringBuilder b, HeaderBlock h) {
        b.append('(');
        Addresses.str(b, h.first("Date"));
        b.append(' ');
        Addresses.str(b, h.first("Subject"));
        List<Addresses.Address> from = Addresses.parse(h.first("From"));
        b.append(' ');
        Addresses.write(b, from);
        List<Addresses.Address> sender = Addresses.parse(h.first("Sender"));
        b.append(' ');
        Addresses.write(b, sender.isEmpty() ? from : sender);
        List<Addresses.Address> replyTo = Addresses.parse(h.first("Reply-To"));
        b.append(' ');
        Addresses.write(b, replyTo.isEmpty() ? from : replyTo);
        b.append(' ');
        Addresses.write(b, Addresses.parse(h.first("To")));
        b.append(' ');
        Addresses.write(b, Addresses.parse(h.first("Cc")));
        b.append(' ');
        Addresses.write(b, Addresses.parse(h.first("Bcc")));
        b.append(' ');
        Addresses.str(b, h.first("In-Reply-To"));
        b.append(' ');
        Addresses.str(b, h.first("Message-ID"));
        b.append(')');
    }

    // ---- BODYSTRUCTURE ----

    @Override
    public String bodyStructure(boolean extensible) {
        String s = extensible ? bodyStructure : body;
        if (s == null) {
            StringBuilder b = new StringBuilder(256);
            writePart(b, root, extensible);
            s = b.toString();
            if (extensible) {
                bodyStructure = s;
            } else {
                body = s;
            }
        }
        return s;
    }

    private static void writePart(StringBuilder b, MimePart p, boolean ext) {
        b.append('(');
        if (p.isMultipart()) {
            if (p.children.length == 0) {
                b.append(EMPTY_BODYSTRUCTURE);
            }
            for (MimePart c : p.children) {
                writePart(b, c, ext);
            }
            b.append(' ');
            Addresses.str(b, p.subtype == null ? "x-unknown" : p.subtype);
            if (ext) {
                b.append(' ');
                writeParams(b, p.params);
                writeExtensionTail(b, p);
            }
            b.append(')');
            return;
        }
        boolean text = p.isText();
        if (p.isMessage() && "rfc822".equalsIgnoreCase(p.subtype)) {
            b.append("\"message\" \"rfc822\"");
        } else {
            Addresses.str(b, p.type == null ? "text" : p.type);
            b.append(' ');
            Addresses.str(b, p.subtype != null ? p.subtype : text ? "plain" : "unknown");
        }
        b.append(' ');
        if (text && p.param("charset") == null) {
            b.append('(');
            if (p.params != null) {
                writeParamList(b, p.params);
                b.append(' ');
            }
            b.append("\"charset\" \"us-ascii\")");
        } else {
            writeParams(b, p.params);
        }
        b.append(' ');
        Addresses.str(b, p.id);
        b.append(' ');
        Addresses.str(b, p.description);
        b.append(' ');
        Addresses.str(b, p.encoding == null ? "7bit" : p.encoding);
        b.append(' ').append(p.bodyLength);
        if (text) {
            b.append(' ').append(p.lines);
        } else if (p.isMessage()) {
            b.append(' ');
            writeEnvelope(b, p.message.header);
            b.append(' ');
            writePart(b, p.message, ext);
            b.append(' ').append(p.lines);
        }
        if (ext) {
            b.append(' ');
            Addresses.str(b, p.md5);
            writeExtensionTail(b, p);
        }
        b.append(')');
    }

    /** {@code SP disposition SP language SP location}. */
    private static void writeExtensionTail(StringBuilder b, MimePart p) {
        b.append(' ');
        if (p.disposition == null) {
            b.append("NIL");
        } else {
            b.append('(');
            Addresses.str(b, p.disposition);
            b.append(' ');
            writeParams(b, p.dispositionParams);
            b.append(')');
        }
        b.append(' ');
        if (p.language == null) {
            b.append("NIL");
        } else {
            b.append('(');
            for (int i = 0; i < p.language.length; i++) {
                if (i > 0) {
                    b.append(' ');
                }
                Addresses.str(b, p.language[i]);
            }
            b.append(')');
        }
        b.append(' ');
        Addresses.str(b, p.location);
    }

    private static void writeParams(StringBuilder b, String[] params) {
        if (params == null || params.length == 0) {
            b.append("NIL");
            return;
        }
        b.append('(');
        writeParamList(b, params);
        b.append(')');
    }

    private static void writeParamList(StringBuilder b, String[] params) {
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            Addresses.str(b, params[i]);
        }
    }

    // ---- sections ----

    /** The part a part number addresses (RFC 9051 §6.4.5), or null. */
    MimePart resolve(List<Integer> path) {
        MimePart cur = null;
        for (int n : path) {
            if (cur == null || cur.isMessage()) {
                MimePart msg = cur == null ? root : cur.message;
                if (msg.isMultipart()) {
                    if (n < 1 || n > msg.children.length) {
                        return null;
                    }
                    cur = msg.children[n - 1];
                } else {
                    if (n != 1) {
                        return null;
                    }
                    cur = msg;
                }
            } else if (cur.isMultipart()) {
                if (n < 1 || n > cur.children.length) {
                    return null;
                }
                cur = cur.children[n - 1];
            } else {
                return null;
            }
        }
        return cur;
    }

    @Override
    public SectionData section(Section section) {
        MimePart message;
        if (section.part().isEmpty()) {
            if (section.text() == null) {
                return new SectionData.Range(0, size);
            }
            if (section.text() == Section.Text.MIME) {
                return new SectionData.Absent();
            }
            message = root;
        } else {
            MimePart p = resolve(section.part());
            if (p == null) {
                return new SectionData.Absent();
            }
            if (section.text() == null) {
                return new SectionData.Range(p.bodyOffset, p.bodyLength);
            }
            if (section.text() == Section.Text.MIME) {
                return new SectionData.Range(p.headerOffset, p.headerLength);
            }
            if (!p.isMessage()) {
                return new SectionData.Absent();
            }
            message = p.message;
        }
        switch (section.text()) {
            case HEADER:
                return new SectionData.Range(message.headerOffset, message.headerLength);
            case TEXT:
                return new SectionData.Range(message.bodyOffset, message.bodyLength);
            case HEADER_FIELDS:
                return new SectionData.Bytes(message.header.fields(section.fields(), false));
            case HEADER_FIELDS_NOT:
                return new SectionData.Bytes(message.header.fields(section.fields(), true));
            default:
                return new SectionData.Absent();
        }
    }

    @Override
    public SectionData binary(List<Integer> part, MessageSource raw) {
        return decodeSection(part, raw, false);
    }

    @Override
    public SectionData binarySize(List<Integer> part, MessageSource raw) {
        return decodeSection(part, raw, true);
    }

    private SectionData decodeSection(List<Integer> path, MessageSource raw, boolean sizeOnly) {
        if (path.isEmpty()) {
            return sizeOnly ? new SectionData.Size(size) : new SectionData.Range(0, size);
        }
        MimePart p = resolve(path);
        if (p == null) {
            return new SectionData.Absent();
        }
        String enc = p.isMultipart() || p.isMessage() ? "8bit" : p.lowerEncoding();
        switch (enc) {
            case "7bit":
            case "8bit":
            case "binary":
                return sizeOnly ? new SectionData.Size(p.bodyLength)
                        : new SectionData.Range(p.bodyOffset, p.bodyLength);
            case "base64":
            case "quoted-printable":
                try (InputStream in = decoded(raw, p, enc)) {
                    if (sizeOnly) {
                        long n = 0;
                        byte[] buf = new byte[8192];
                        int r;
                        while ((r = in.read(buf)) >= 0) {
                            n += r;
                        }
                        return new SectionData.Size(n);
                    }
                    return new SectionData.Bytes(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            default:
                return new SectionData.UnknownEncoding();
        }
    }

    private static InputStream decoded(MessageSource raw, MimePart p, String enc) throws IOException {
        InputStream in = new RangeInputStream(raw.openStream(), p.bodyOffset, p.bodyLength);
        return decoder(in, enc);
    }

    static InputStream decoder(InputStream in, String enc) {
        switch (enc) {
            case "base64":
                return new ProgressingInputStream(new Base64InputStream(in, DecodeMonitor.SILENT));
            case "quoted-printable":
                return new ProgressingInputStream(new QuotedPrintableInputStream(in, DecodeMonitor.SILENT));
            default:
                return in;
        }
    }

    // ---- header values ----

    @Override
    public List<String> headerValues(String name) {
        return root.header.decodedValues(name);
    }

    @Override
    public String headerText() {
        return root.header.decodedText();
    }

    /** True when the top-level header has a field called {@code name}. */
    boolean hasHeader(String name) {
        return root.header.has(name);
    }

    // ---- body search ----

    @Override
    public boolean bodyContains(String needle, MessageSource raw) {
        TextMatcher m = new TextMatcher(needle);
        if (m.isEmpty()) {
            return true;
        }
        List<MimePart> texts = new ArrayList<>(2);
        List<HeaderBlock> headers = new ArrayList<>(0);
        collectText(root, texts, headers);
        for (HeaderBlock h : headers) {
            if (m.in(h.decodedText())) {
                return true; // the header of an encapsulated message is body text of its parent
            }
        }
        if (texts.isEmpty()) {
            return false;
        }
        try (InputStream in = raw.openStream()) {
            long at = 0;
            PartReader reader = new PartReader();
            for (MimePart p : texts) {
                if (p.bodyOffset < at) {
                    continue;
                }
                skipFully(in, p.bodyOffset - at);
                at = p.bodyOffset + p.bodyLength;
                RangeInputStream range = new RangeInputStream(in, 0, p.bodyLength, false);
                Charset cs = MimeFields.charset(p.param("charset"));
                m.reset();
                if (reader.contains(decoder(range, p.lowerEncoding()), cs == null ? StandardCharsets.UTF_8 : cs, m)) {
                    return true;
                }
                // skip what the decoder left of this part so the outer stream is at its end
                range.drain();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /**
     * Decodes the text of one part after another into characters for a {@link TextMatcher}, with one byte and one
     * character buffer for all of them (an {@link java.io.InputStreamReader} per part would allocate its own).
     */
    private static final class PartReader {
        private final ByteBuffer bytes = ByteBuffer.allocate(4096);
        private final CharBuffer chars = CharBuffer.allocate(4096);

        boolean contains(InputStream part, Charset charset, TextMatcher matcher) throws IOException {
            CharsetDecoder decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            bytes.clear();
            boolean end = false;
            while (!end) {
                int n = part.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    end = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
                CoderResult result;
                do {
                    chars.clear();
                    result = decoder.decode(bytes, chars, end);
                    if (feed(matcher)) {
                        return true;
                    }
                } while (result.isOverflow());
                bytes.compact();
            }
            chars.clear();
            decoder.flush(chars);
            return feed(matcher);
        }

        private boolean feed(TextMatcher matcher) {
            chars.flip();
            return matcher.feed(chars.array(), chars.remaining());
        }
    }

    private static void collectText(MimePart p, List<MimePart> out, List<HeaderBlock> headers) {
        if (p.isMultipart()) {
            for (MimePart c : p.children) {
                collectText(c, out, headers);
            }
        } else if (p.isMessage()) {
            headers.add(p.message.header);
            collectText(p.message, out, headers);
        } else if (p.isText()) {
            out.add(p);
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    return;
                }
                s = 1;
            }
            n -= s;
        }
    }

    // ---- SORT / THREAD values ----

    @Override
    public ZonedDateTime sentDate() {
        Object d = sentDate;
        if (d == null) {
            ZonedDateTime parsed = SentDates.parse(root.header.first("Date"));
            sentDate = d = parsed == null ? NO_DATE : parsed;
        }
        return d == NO_DATE ? null : (ZonedDateTime) d;
    }

    BaseSubject subject() {
        BaseSubject s = baseSubject;
        if (s == null) {
            baseSubject = s = BaseSubject.of(root.header.first("Subject"));
        }
        return s;
    }

    @Override
    public String baseSubject() {
        return subject().base;
    }

    /** True when the subject shows a reply or forward (RFC 5256 §3 REFERENCES). */
    boolean isReplyOrForward() {
        return subject().replyOrForward;
    }

    @Override
    public String sortAddress(String field) {
        Addresses.Address a = Addresses.first(Addresses.parse(root.header.first(field)));
        return a == null || a.mailbox() == null ? "" : a.mailbox();
    }

    @Override
    public String displayAddress(String field) {
        Addresses.Address a = Addresses.first(Addresses.parse(root.header.first(field)));
        if (a == null) {
            return "";
        }
        if (a.name() != null && !a.name().isBlank()) {
            return HeaderBlock.decode(a.name()).trim();
        }
        String host = a.host() == null || a.host().equals(Addresses.MISSING_DOMAIN) ? "" : "@" + a.host();
        return a.mailbox() + host;
    }

    @Override
    public String messageId() {
        List<String> ids = MessageIds.parse(root.header.first("Message-ID"));
        return ids.isEmpty() ? null : ids.get(0);
    }

    @Override
    public List<String> references() {
        List<String> refs = MessageIds.parse(root.header.first("References"));
        if (!refs.isEmpty()) {
            return refs;
        }
        List<String> reply = MessageIds.parse(root.header.first("In-Reply-To"));
        return reply.isEmpty() ? List.of() : List.of(reply.get(0));
    }

    @Override
    public String toString() {
        return "ParsedMessage[" + size + " octets, " + bodyStructure(true).toLowerCase(Locale.ROOT) + "]";
    }
}
