package dev.mailcore.pop3.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * POP3 inbound framing: emits one {@link Pop3Line} per line. A line ends in CRLF or, as Dovecot accepts, a bare LF.
 * Bad input never makes it throw: an over-long line is skipped as it arrives and reported once as {@link
 * Pop3Line.Problem#TOO_LONG}; a line that is not UTF-8 is reported as {@link Pop3Line.Problem#BAD_ENCODING}.
 *
 * <p>Memory stays bounded: at most one line of {@code maxLineLength} octets is kept while lines are being decoded;
 * while {@link #setPaused paused} it stops reading from the socket (auto-read off) and keeps what it already has.
 * All methods are called on the channel's event loop.
 */
public final class Pop3Decoder extends ChannelInboundHandlerAdapter {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** Octets buffered while paused before the channel stops reading. */
    static final int PAUSED_BUFFER_LIMIT = 16 * 1024;

    private final int maxLineLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private Runnable inputListener = () -> { };

    private ChannelHandlerContext ctx;
    private ByteBuf buffer;
    private boolean paused;
    /** Auto-read was turned off because too much arrived while paused. */
    private boolean readingStopped;
    private boolean delivering;
    private int readDepth;
    private boolean skipping;
    private String skippedPrefix;

    /** @param maxLineLength longest line accepted, in octets including CRLF */
    public Pop3Decoder(int maxLineLength) {
        if (maxLineLength < 3) {
            throw new IllegalArgumentException("maxLineLength must be at least 3: " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
    }

    /** Runs on the event loop whenever octets arrive (the session re-arms its autologout timer). */
    public void onInput(Runnable listener) {
        this.inputListener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseBuffer();
        super.channelInactive(ctx);
    }

    /**
     * While paused nothing is emitted, and once more than {@link #PAUSED_BUFFER_LIMIT} octets are buffered the
     * channel stops reading (auto-read off; not at once, which would cost two system calls per paused command);
     * unpausing emits what is buffered (followed by one
     * {@code channelReadComplete} when called outside of a read) and reads again.
     */
    public void setPaused(boolean paused) {
        if (this.paused == paused) {
            return;
        }
        this.paused = paused;
        if (!paused && readingStopped && ctx != null) {
            readingStopped = false;
            ctx.channel().config().setAutoRead(true);
        }
        if (!paused && readDepth == 0 && !delivering && ctx != null) {
            if (deliver()) {
                ctx.fireChannelReadComplete();
            }
        }
    }

    /** Pauses and stops reading from the socket at once (STLS: nothing may be read before TLS is in place). */
    public void pauseAndStopReading() {
        setPaused(true);
        if (!readingStopped && ctx != null) {
            readingStopped = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /** Octets received but not yet emitted as lines (PIPELINING: flush only when this is 0). */
    public int pendingBytes() {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    /** Drops input received but not yet decoded (STLS); returns how many octets were dropped. */
    public int discardPending() {
        int n = pendingBytes();
        releaseBuffer();
        skipping = false;
        skippedPrefix = null;
        return n;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            if (!in.isReadable()) {
                return;
            }
            inputListener.run();
            if (buffer == null) {
                buffer = ctx.alloc().buffer(Math.max(256, in.readableBytes()));
            }
            buffer.writeBytes(in);
        } finally {
            ReferenceCountUtil.release(in);
        }
        if (paused && !readingStopped && buffer.readableBytes() > PAUSED_BUFFER_LIMIT) {
            readingStopped = true;
            ctx.channel().config().setAutoRead(false);
        }
        readDepth++;
        try {
            deliver();
        } finally {
            readDepth--;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
    }

    /** Emits buffered lines until paused or out of complete lines. @return whether anything was emitted */
    private boolean deliver() {
        if (delivering) {
            return false;
        }
        delivering = true;
        boolean emitted = false;
        try {
            while (!paused && buffer != null && ctx != null && !ctx.isRemoved()) {
                Pop3Line line = decodeLine();
                if (line == null) {
                    break;
                }
                emitted = true;
                ctx.fireChannelRead(line);
            }
        } finally {
            delivering = false;
            compact();
        }
        return emitted;
    }

    private Pop3Line decodeLine() {
        ByteBuf in = buffer;
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (skipping) {
            int lf = in.indexOf(start, in.writerIndex(), LF);
            if (lf < 0) {
                in.skipBytes(readable);
                return null;
            }
            in.readerIndex(lf + 1);
            skipping = false;
            String prefix = skippedPrefix;
            skippedPrefix = null;
            return new Pop3Line(prefix, Pop3Line.Problem.TOO_LONG);
        }
        int window = Math.min(readable, maxLineLength);
        int lf = in.indexOf(start, start + window, LF);
        if (lf < 0) {
            if (readable < maxLineLength) {
                return null;
            }
            skippedPrefix = in.toString(start, Math.min(readable, 40), StandardCharsets.ISO_8859_1);
            skipping = true;
            in.skipBytes(window);
            return decodeLine();
        }
        int end = lf > start && in.getByte(lf - 1) == CR ? lf - 1 : lf;
        String text = decode(in, start, end - start);
        in.readerIndex(lf + 1);
        if (text == null) {
            return new Pop3Line(in.toString(start, end - start, StandardCharsets.ISO_8859_1),
                    Pop3Line.Problem.BAD_ENCODING);
        }
        return new Pop3Line(text, null);
    }

    private String decode(ByteBuf in, int index, int length) {
        boolean ascii = true;
        for (int i = index, end = index + length; i < end; i++) {
            if (in.getByte(i) < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return in.toString(index, length, StandardCharsets.US_ASCII);
        }
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        try {
            utf8.reset();
            return utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void compact() {
        if (buffer == null) {
            return;
        }
        if (!buffer.isReadable()) {
            releaseBuffer();
        } else if (buffer.readerIndex() > 0) {
            buffer.discardReadBytes();
        }
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
