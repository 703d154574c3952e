package dev.mailcore.pop3.internal;

import io.netty.buffer.ByteBuf;

/**
 * How a stored message goes on the POP3 wire, and its size there.
 *
 * <p>The wire form is the message with CRLF line ends: an LF not preceded by CR gets a CR inserted (a CR not
 * followed by LF is left alone), and a message that does not end in LF gets a final CRLF so that the terminating
 * {@code .CRLF} starts a line. The octet count POP3 reports (LIST, STAT, the RETR {@code +OK} line) is the size of that
 * form: what the client receives once it removed the byte-stuffing dots and the terminator, as Dovecot counts (RFC
 * 1939 §11: the size with CRLF line ends; stuffing is not counted). For a message stored with clean CRLF line ends
 * and a final CRLF it equals the stored size.
 */
public final class WireFormat {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte DOT = '.';
    private static final byte[] CRLF = {CR, LF};
    private static final byte[] TERMINATOR = {DOT, CR, LF};

    private WireFormat() {
    }

    /** The UIDL of a message: Dovecot's default {@code %08Xu%08Xv} (UID then UIDVALIDITY, upper-case hex). */
    public static String uidl(long uid, long uidValidity) {
        return hex8(uid) + hex8(uidValidity);
    }

    private static String hex8(long value) {
        String hex = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        return hex.length() >= 8 ? hex : "00000000".substring(hex.length()) + hex;
    }

    /** Counts the wire size of content fed to it in pieces. */
    public static final class SizeCounter {
        private long size;
        private long bareLineFeeds;
        private boolean previousCr;
        private int last = -1;

        public void update(byte[] bytes, int offset, int length) {
            boolean prevCr = previousCr;
            long bare = 0;
            for (int i = offset, end = offset + length; i < end; i++) {
                byte c = bytes[i];
                if (c == LF && !prevCr) {
                    bare++;
                }
                prevCr = c == CR;
            }
            previousCr = prevCr;
            bareLineFeeds += bare;
            size += length;
            if (length > 0) {
                last = bytes[offset + length - 1];
            }
        }

        /** The wire size of all content fed so far. */
        public long wireSize() {
            return size + bareLineFeeds + (size > 0 && last != LF ? 2 : 0);
        }
    }

    /**
     * Turns content fed in pieces into its dot-stuffed wire form, optionally only the header and the first lines of
     * the body (TOP). One instance per response; not thread-safe.
     */
    public static final class Stuffer {
        /** Body lines still to send; negative for the whole message. */
        private long bodyLinesLeft;
        private final boolean top;
        private boolean atLineStart = true;
        private boolean previousCr;
        private boolean inHeader = true;
        private boolean lineEmpty = true;
        private boolean done;
        private int last = -1;

        /** @param topLines the body lines to send (TOP), or a negative number for the whole message (RETR) */
        public Stuffer(long topLines) {
            this.top = topLines >= 0;
            this.bodyLinesLeft = topLines;
        }

        /** Whether a TOP response has all it needs: further content is ignored. */
        public boolean done() {
            return done;
        }

        /** Appends the wire form of {@code bytes[offset, offset+length)} to {@code out}. */
        public void write(byte[] bytes, int offset, int length, ByteBuf out) {
            if (done || length == 0) {
                return;
            }
            int end = offset + length;
            int run = offset;
            boolean lineStart = atLineStart;
            boolean prevCr = previousCr;
            int i = offset;
            for (; i < end; i++) {
                byte c = bytes[i];
                if (c == LF) {
                    if (!prevCr) {
                        out.writeBytes(bytes, run, i - run);
                        out.writeByte(CR);
                        run = i;
                    }
                    lineStart = true;
                    prevCr = false;
                    if (top && endOfLine()) {
                        i++;
                        break;
                    }
                    lineEmpty = true;
                    continue;
                }
                if (lineStart && c == DOT) {
                    out.writeBytes(bytes, run, i + 1 - run);
                    out.writeByte(DOT);
                    run = i + 1;
                }
                lineStart = false;
                prevCr = c == CR;
                if (c != CR) {
                    lineEmpty = false;
                }
            }
            out.writeBytes(bytes, run, i - run);
            atLineStart = lineStart;
            previousCr = prevCr;
            if (i > offset) {
                last = bytes[i - 1];
            }
        }

        /** A line ended (TOP only): whether the response is now complete. */
        private boolean endOfLine() {
            if (inHeader) {
                if (lineEmpty) {
                    inHeader = false;
                    done = bodyLinesLeft == 0;
                }
            } else {
                bodyLinesLeft--;
                done = bodyLinesLeft <= 0;
            }
            return done;
        }

        /** Appends what ends the response: CRLF when the content did not end a line, then {@code .CRLF}. */
        public void finish(ByteBuf out) {
            if (last != -1 && last != LF) {
                out.writeBytes(CRLF);
            }
            out.writeBytes(TERMINATOR);
        }
    }
}
