package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses raw RFC 5322 bytes once into a {@link ParsedMessage}: one streaming pass that reads line by line, keeps the
 * header bytes of the message (and of encapsulated messages) and only offsets, sizes and line counts of bodies. MIME
 * boundaries are found as Dovecot and RFC 2046 do (a line starting with {@code --boundary}, the innermost longest
 * match winning; the line break before a boundary belongs to the boundary). Never fails on malformed MIME: missing
 * or unterminated boundaries, truncated parts, headers without a blank line, bare LF line ends, 8-bit headers.
 * mime4j is used for RFC 2047 and transfer-encoding decoding; its tokenizer gives no byte offsets, so the structure
 * scan is done here.
 */
public final class MessageParser {

    /** Longest header kept per entity (bytes beyond it are still scanned, not kept). */
    static final int MAX_HEADER = 256 * 1024;
    /** Bytes of a body line kept for boundary detection. */
    private static final int BODY_LINE_KEEP = 1024;
    /** Nesting limit for multiparts and encapsulated messages; deeper structure is read as plain bodies. */
    private static final int MAX_DEPTH = 64;

    private final InputStream in;
    private final byte[] buf;
    private int bufPos;
    private int bufLen;
    private long pos;
    private boolean eof;

    // the current (peeked) line
    private byte[] line = new byte[1024];
    private int lineLen;
    private long lineStart;
    private int term;
    private boolean pending;
    private boolean lineTruncated;

    private int prevTerm;
    private long lfCount;

    private byte[][] boundaries = new byte[8][];
    private int depth;
    private int nesting;

    private MessageParser(InputStream in, long sizeHint) {
        this.in = in;
        this.buf = new byte[(int) Math.max(512, Math.min(32 * 1024, sizeHint + 1))];
    }

    /** Parses a whole message. Only I/O errors of the source fail. */
    public static ParsedMessage parse(MessageSource raw) throws IOException {
        try (InputStream in = raw.openStream()) {
            MessageParser p = new MessageParser(in, raw.size());
            MimePart root = p.entity(false, true);
            return new ParsedMimeMessage(root, p.pos);
        }
    }

    /** Parses bytes (tests, APPEND). */
    public static ParsedMessage parse(byte[] raw) {
        try {
            return parse(MessageSource.of(raw));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- line reading ----

    /** Reads the next line into {@link #line} keeping at most {@code keep} bytes; false at the end of input. */
    private boolean readLine(int keep) throws IOException {
        lineStart = pos;
        lineLen = 0;
        term = 0;
        lineTruncated = false;
        lastWasCr = false;
        boolean any = false;
        while (true) {
            // fast path: scan the buffer for LF
            if (bufPos < bufLen) {
                int start = bufPos;
                int end = bufLen;
                int lf = -1;
                for (int i = start; i < end; i++) {
                    if (buf[i] == '\n') {
                        lf = i;
                        break;
                    }
                }
                int stop = lf < 0 ? end : lf;
                append(buf, start, stop - start, keep);
                any = true;
                if (lf >= 0) {
                    boolean cr = lf > start ? buf[lf - 1] == '\r' : lastWasCr;
                    bufPos = lf + 1;
                    pos += lf + 1 - start;
                    if (cr) {
                        term = 2;
                        if (!lineTruncated && lineLen > 0 && line[lineLen - 1] == '\r') {
                            lineLen--;
                        }
                    } else {
                        term = 1;
                    }
                    return true;
                }
                lastWasCr = stop > start ? buf[stop - 1] == '\r' : lastWasCr;
                bufPos = end;
                pos += end - start;
            }
            if (eof) {
                return any;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                bufPos = bufLen = 0;
                return any;
            }
            bufPos = 0;
            bufLen = n;
        }
    }

    private boolean lastWasCr;

    private void append(byte[] src, int off, int len, int keep) {
        if (len == 0) {
            return;
        }
        int room = keep - lineLen;
        if (room <= 0) {
            lineTruncated = true;
            return;
        }
        int n = Math.min(room, len);
        if (n < len) {
            lineTruncated = true;
        }
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(src, off, line, lineLen, n);
        lineLen += n;
    }

    private boolean peek(int keep) throws IOException {
        if (!pending) {
            if (!readLine(keep)) {
                return false;
            }
            pending = true;
        }
        return true;
    }

    private void consume() {
        pending = false;
        prevTerm = term;
        if (term > 0) {
            lfCount++;
        }
    }

    private boolean blankLine() {
        return lineLen == 0 && term > 0;
    }

    /** The index of the boundary this line starts, -1 when none; the innermost longest prefix wins. */
    private int boundary() {
        if (depth == 0 || lineLen < 2 || line[0] != '-' || line[1] != '-') {
            return -1;
        }
        int best = -1;
        int bestLen = -1;
        for (int i = depth - 1; i >= 0; i--) {
            byte[] b = boundaries[i];
            if (b.length + 2 <= lineLen && b.length > bestLen && startsWith(b)) {
                best = i;
                bestLen = b.length;
            }
        }
        return best;
    }

    private boolean startsWith(byte[] b) {
        for (int k = 0; k < b.length; k++) {
            if (line[k + 2] != b[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean closing(int index) {
        int n = boundaries[index].length + 2;
        return lineLen >= n + 2 && line[n] == '-' && line[n + 1] == '-';
    }

    /** Where a body or header that a boundary line (the pending line) ends stops: before the preceding line break. */
    private long endBefore(long start) {
        return Math.max(start, lineStart - prevTerm);
    }

    // ---- structure ----

    /**
     * Parses one entity from the current position: its header, then its body, up to an enclosing boundary line (left
     * pending) or the end of input.
     *
     * @param digest  the parent is multipart/digest (default type message/rfc822)
     * @param message a message entity (top level or encapsulated): its header is kept
     */
    private MimePart entity(boolean digest, boolean message) throws IOException {
        MimePart p = new MimePart();
        nesting++;
        long start = pending ? lineStart : pos;
        p.headerOffset = start;
        byte[] hdr = new byte[message ? 1024 : 256];
        int hdrLen = 0;
        long bodyStart;
        while (true) {
            if (!peek(MAX_HEADER)) {
                bodyStart = pos;
                p.headerLength = pos - start;
                break;
            }
            if (boundary() >= 0) {
                long end = endBefore(start);
                p.headerLength = end - start;
                bodyStart = end;
                break;
            }
            if (blankLine()) {
                consume();
                bodyStart = pos;
                p.headerLength = pos - start;
                break;
            }
            int need = lineLen + term;
            if (hdrLen + need <= MAX_HEADER) {
                if (hdrLen + need > hdr.length) {
                    hdr = Arrays.copyOf(hdr, Math.max(hdr.length * 2, hdrLen + need));
                }
                System.arraycopy(line, 0, hdr, hdrLen, lineLen);
                hdrLen += lineLen;
                if (term == 2) {
                    hdr[hdrLen++] = '\r';
                }
                if (term > 0) {
                    hdr[hdrLen++] = '\n';
                }
            }
            consume();
        }
        HeaderBlock header = new HeaderBlock(hdr, hdrLen);
        contentFields(header, p);
        if (p.type == null && digest) {
            p.type = "message";
            p.subtype = "rfc822";
        }
        if (message) {
            p.header = header;
        }
        p.bodyOffset = bodyStart;
        long lf0 = lfCount;
        String type = p.lowerType();
        boolean deep = nesting > MAX_DEPTH;
        if (type.equals("multipart") && !deep) {
            String boundary = p.param("boundary");
            p.children = MimePart.NO_PARTS;
            if (boundary != null && !boundary.isEmpty()) {
                multipartBody(p, boundary.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                plainBody();
            }
        } else if (type.equals("message") && isEncapsulated(p.lowerSubtype()) && !deep) {
            p.message = entity(false, true);
        } else {
            plainBody();
        }
        if (pending) {
            long end = endBefore(bodyStart);
            p.bodyLength = end - bodyStart;
            p.lines = (int) (lfCount - lf0 - (end < lineStart && prevTerm > 0 ? 1 : 0));
        } else {
            p.bodyLength = pos - bodyStart;
            p.lines = (int) (lfCount - lf0);
        }
        nesting--;
        return p;
    }

    private static boolean isEncapsulated(String subtype) {
        return subtype.equals("rfc822") || subtype.equals("global");
    }

    /** Reads body lines up to a boundary line of an enclosing multipart (left pending) or the end. */
    private void plainBody() throws IOException {
        while (peek(BODY_LINE_KEEP)) {
            if (boundary() >= 0) {
                return;
            }
            consume();
        }
    }

    private void multipartBody(MimePart p, byte[] boundary) throws IOException {
        if (depth == boundaries.length) {
            boundaries = Arrays.copyOf(boundaries, depth * 2);
        }
        int mine = depth;
        boundaries[depth++] = boundary;
        boolean digest = p.lowerSubtype().equals("digest");
        List<MimePart> children = new ArrayList<>();
        boolean closed = false;
        while (peek(BODY_LINE_KEEP)) {
            int b = boundary();
            if (b < 0) {
                consume(); // preamble, or junk after a truncated part
                continue;
            }
            if (b != mine) {
                break; // an enclosing boundary: this multipart was not closed
            }
            if (closing(mine)) {
                consume();
                closed = true;
                break;
            }
            consume();
            children.add(entity(digest, false));
        }
        depth = mine;
        if (closed) {
            plainBody(); // epilogue
        }
        p.children = children.toArray(MimePart.NO_PARTS);
    }

    private static void contentFields(HeaderBlock h, MimePart p) {
        for (int i = 0; i < h.count(); i++) {
            if (!h.nameStartsWith(i, "Content-")) {
                continue;
            }
            if (h.nameIs(i, "Content-Type")) {
                if (p.type == null) {
                    MimeFields.contentType(h.rawValue(i), p);
                }
            } else if (h.nameIs(i, "Content-Transfer-Encoding")) {
                if (p.encoding == null) {
                    p.encoding = MimeFields.token(h.rawValue(i));
                }
            } else if (h.nameIs(i, "Content-ID")) {
                if (p.id == null) {
                    p.id = h.rawValue(i);
                }
            } else if (h.nameIs(i, "Content-Description")) {
                if (p.description == null) {
                    p.description = h.rawValue(i);
                }
            } else if (h.nameIs(i, "Content-Disposition")) {
                if (p.disposition == null) {
                    MimeFields.disposition(h.rawValue(i), p);
                }
            } else if (h.nameIs(i, "Content-Language")) {
                if (p.language == null) {
                    p.language = MimeFields.languages(h.rawValue(i));
                }
            } else if (h.nameIs(i, "Content-Location")) {
                if (p.location == null) {
                    p.location = h.rawValue(i);
                }
            } else if (h.nameIs(i, "Content-MD5")) {
                if (p.md5 == null) {
                    p.md5 = h.rawValue(i);
                }
            }
        }
    }
}
