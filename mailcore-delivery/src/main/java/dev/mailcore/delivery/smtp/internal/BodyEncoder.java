package dev.mailcore.delivery.smtp.internal;

import io.netty.buffer.ByteBuf;

/**
 * Turns message bytes into what goes on the wire, block by block: every bare LF becomes CRLF and, for DATA, a dot
 * at the start of a line is doubled (RFC 5321 §4.5.2). State carries over block boundaries. A bare CR is kept.
 */
public final class BodyEncoder {
    private final boolean dotStuff;
    private final boolean fixLineEnds;
    private boolean lineStart = true;
    private boolean afterCr;

    /** @param dotStuff true for DATA, false for BDAT */
    public BodyEncoder(boolean dotStuff) {
        this(dotStuff, true);
    }

    /**
     * @param dotStuff    true for DATA, false for BDAT
     * @param fixLineEnds false to copy bytes unchanged (BODY=BINARYMIME over BDAT)
     */
    public BodyEncoder(boolean dotStuff, boolean fixLineEnds) {
        this.dotStuff = dotStuff;
        this.fixLineEnds = fixLineEnds;
    }

    /** Encodes {@code len} bytes of {@code in} from {@code off} into {@code out}. */
    public void encode(byte[] in, int off, int len, ByteBuf out) {
        int end = off + len;
        if (!fixLineEnds && !dotStuff) {
            out.writeBytes(in, off, len);
            return;
        }
        for (int i = off; i < end; i++) {
            byte b = in[i];
            if (b == '\n') {
                if (!afterCr && fixLineEnds) {
                    out.writeByte('\r');
                }
                out.writeByte('\n');
                lineStart = true;
                afterCr = false;
            } else {
                if (b == '.' && lineStart && dotStuff) {
                    out.writeByte('.');
                }
                out.writeByte(b);
                lineStart = false;
                afterCr = b == '\r';
            }
        }
    }

    /**
     * Ends the DATA content: a CRLF if the message did not end with a line end, then {@code .CRLF}. Not for BDAT.
     */
    public void finishData(ByteBuf out) {
        if (afterCr) {
            out.writeByte('\n');
        } else if (!lineStart) {
            out.writeByte('\r').writeByte('\n');
        }
        out.writeByte('.').writeByte('\r').writeByte('\n');
        lineStart = true;
        afterCr = false;
    }
}
