package dev.mailcore.smtp.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The SMTP server's inbound framing. In command mode it emits a {@link CommandLine} for each line. {@link #beginData}
 * switches to DATA mode until {@code CRLF.CRLF} ({@link DataComplete}); {@link #beginChunk} reads a counted BDAT chunk
 * ({@link ChunkComplete}). Both return to command mode by themselves. All methods are called on the channel's event
 * loop.
 *
 * <p>Bad input never makes the decoder throw: it is reported in the emitted values. Memory stays bounded: in command
 * mode at most one line of {@code maxLineLength} octets is buffered (an over-long line is skipped as it arrives), and
 * in DATA and BDAT modes input is written to the spool and consumed as it arrives (only up to two octets of a possible
 * terminator are held back).
 *
 * <p>Events that become due outside of a network read ({@link #setPaused setPaused(false)} with buffered input,
 * {@link #beginChunk beginChunk(spool, 0)}) are fired before the call returns when the call is made outside of this
 * decoder's {@code channelRead} (followed by one {@code channelReadComplete}), or right after the handler in the
 * pipeline returns when it is made while handling a message (no re-entrant delivery).
 *
 * <p>Mode switches must happen before the next message is decoded: call {@link #beginData} or {@link #beginChunk}
 * while handling the DATA or BDAT command line, or pause in that handler and switch before unpausing. Content already
 * buffered (pipelined BDAT data, a client that sends DATA content early) is then decoded in the new mode.
 */
public final class SmtpInboundDecoder extends ByteToMessageDecoder {

    /** Longest DATA line in octets including CRLF (RFC 5321 §4.5.3.1.6). */
    static final int MAX_DATA_LINE = 1000;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private enum Mode { COMMAND, DATA, CHUNK }

    private final int maxLineLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private ChannelHandlerContext ctx;
    private Mode mode = Mode.COMMAND;
    private boolean paused;

    // command mode: skipping the rest of an over-long line; its cut text is kept for the event
    private String tooLongText;

    // DATA and BDAT
    private MessageSpool spool;
    private DataError error;
    private boolean spoolFull;
    private boolean atLineStart;
    private long lineLength;
    private long chunkSize;
    private long chunkRemaining;

    // delivery outside of ByteToMessageDecoder's own loop
    private int readDepth;
    private Object pendingEvent;
    private boolean stalled;
    private long emitted;

    /** @param maxLineLength longest command line accepted, in octets including CRLF (RFC 5321: 512; we use 1000+) */
    public SmtpInboundDecoder(int maxLineLength) {
        if (maxLineLength < 3) {
            throw new IllegalArgumentException("maxLineLength must be at least 3: " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
    }

    /** Reads DATA content into {@code spool} (dot-unstuffed, final CRLF.CRLF excluded but the CRLF before it kept). */
    public void beginData(MessageSpool spool) {
        startContent(spool);
        mode = Mode.DATA;
        atLineStart = true;
        lineLength = 0;
    }

    /** Reads exactly {@code size} octets into {@code spool}; size 0 completes at once. */
    public void beginChunk(MessageSpool spool, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0: " + size);
        }
        startContent(spool);
        chunkSize = size;
        chunkRemaining = size;
        if (size == 0) {
            pendingEvent = finishChunk();
            deliverIfOutsideRead();
        } else {
            mode = Mode.CHUNK;
        }
    }

    private void startContent(MessageSpool spool) {
        Objects.requireNonNull(spool, "spool");
        if (mode != Mode.COMMAND || pendingEvent != null) {
            throw new IllegalStateException("not in command mode: " + mode);
        }
        this.spool = spool;
        this.error = null;
        this.spoolFull = false;
    }

    /**
     * While paused the decoder emits nothing and stops reading from the socket (auto-read off), so that a command
     * being processed asynchronously (policy or store calls on an executor) is answered before the next one is
     * decoded. Unpausing decodes what is already buffered at once and turns reading back on. The decoder emits at
     * most one message per {@code decode} call, so a handler that pauses (or switches to DATA) while handling a
     * message sees no further message decoded in the old state.
     */
    public void setPaused(boolean paused) {
        if (this.paused == paused) {
            return;
        }
        this.paused = paused;
        if (ctx != null) {
            ctx.channel().config().setAutoRead(!paused);
        }
        if (!paused) {
            deliverIfOutsideRead();
        }
    }

    /** Whether {@link #setPaused} paused this decoder. */
    public boolean isPaused() {
        return paused;
    }

    /** Octets received and buffered but not yet decoded (PIPELINING: flush replies only when this is 0). */
    public int pendingBytes() {
        return actualReadableBytes();
    }

    /** Drops input received but not yet decoded (STARTTLS); returns how many octets were dropped. */
    public int discardPending() {
        int n = actualReadableBytes();
        if (n > 0) {
            internalBuffer().skipBytes(n);
        }
        tooLongText = null;
        stalled = false;
        return n;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        readDepth++;
        try {
            super.channelRead(ctx, msg);
        } finally {
            readDepth--;
        }
        if (readDepth == 0) {
            deliverPending();
        }
    }

    /**
     * While paused, does not ask for more input: {@link ByteToMessageDecoder} would call {@code read()} when a read
     * produced no message and auto-read is off, which would let a pipelining client fill the buffer while paused.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
        } else {
            super.channelReadComplete(ctx);
        }
    }

    private void deliverIfOutsideRead() {
        if (readDepth == 0 && ctx != null) {
            long before = emitted;
            boolean firedEvent = deliverPending();
            if (firedEvent || emitted != before) {
                ctx.fireChannelReadComplete();
            }
        }
    }

    /**
     * Fires a pending event and decodes input left buffered by a pause, until nothing more is due. Never re-entered:
     * calls made by handlers while it fires only set state that the loop picks up.
     *
     * @return whether a pending event was fired
     */
    private boolean deliverPending() {
        boolean fired = false;
        while (!paused && ctx != null && !ctx.isRemoved()) {
            if (pendingEvent != null) {
                Object event = pendingEvent;
                pendingEvent = null;
                fired = true;
                readDepth++;
                try {
                    ctx.fireChannelRead(event);
                } finally {
                    readDepth--;
                }
            } else if (stalled && actualReadableBytes() > 0) {
                stalled = false;
                readDepth++;
                try {
                    super.channelRead(ctx, Unpooled.EMPTY_BUFFER);
                } catch (Exception e) {
                    throw e instanceof RuntimeException re ? re : new DecoderException(e);
                } finally {
                    readDepth--;
                }
            } else {
                break;
            }
        }
        return fired;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused || pendingEvent != null) {
            stalled = true;
            return;
        }
        Object event;
        switch (mode) {
            case DATA:
                event = decodeData(in);
                break;
            case CHUNK:
                event = decodeChunk(in);
                break;
            default:
                event = decodeCommand(in);
                break;
        }
        if (event != null) {
            emitted++;
            out.add(event);
        }
    }

    // ------------------------------------------------------------------------------------------------ command mode

    private CommandLine decodeCommand(ByteBuf in) {
        if (tooLongText != null) {
            return skipTooLong(in);
        }
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int window = Math.min(readable, maxLineLength);
        int lf = in.indexOf(start, start + window, LF);
        if (lf < 0) {
            if (readable < maxLineLength) {
                return null; // wait for the rest of the line
            }
            int cut = maxLineLength - 2;
            while (cut > 0 && (in.getByte(start + cut) & 0xC0) == 0x80) {
                cut--; // do not split a UTF-8 sequence
            }
            tooLongText = in.toString(start, cut, StandardCharsets.UTF_8);
            return skipTooLong(in);
        }
        boolean crlf = lf > start && in.getByte(lf - 1) == CR;
        int end = crlf ? lf - 1 : lf;
        LineProblem problem = null;
        if (!crlf) {
            problem = LineProblem.BARE_LF;
        } else if (in.indexOf(start, end, CR) >= 0) {
            problem = LineProblem.BARE_CR;
        }
        String text = null;
        if (problem == null) {
            text = decodeStrict(in, start, end - start);
            if (text == null) {
                problem = LineProblem.BAD_ENCODING;
            }
        }
        if (text == null) {
            text = in.toString(start, end - start, StandardCharsets.UTF_8);
        }
        in.readerIndex(lf + 1);
        return new CommandLine(text, problem);
    }

    /** Skips input up to and including the next LF; then emits the too-long line. */
    private CommandLine skipTooLong(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), LF);
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        in.readerIndex(lf + 1);
        String text = tooLongText;
        tooLongText = null;
        return new CommandLine(text, LineProblem.TOO_LONG);
    }

    /** The bytes as UTF-8, or {@code null} when they are not valid UTF-8. */
    private String decodeStrict(ByteBuf in, int index, int length) {
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
        ByteBuffer bytes = in.nioBufferCount() == 1 ? in.nioBuffer(index, length)
                : ByteBuffer.wrap(ByteBufUtil.getBytes(in, index, length));
        try {
            utf8.reset();
            CharBuffer chars = utf8.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // --------------------------------------------------------------------------------------------------- DATA mode

    private DataComplete decodeData(ByteBuf in) {
        final int end = in.writerIndex();
        int p = in.readerIndex();
        int runStart = p; // start of bytes not yet written to the spool
        while (p < end) {
            if (atLineStart) {
                if (in.getByte(p) == DOT) {
                    if (p + 1 >= end) {
                        break; // need the next octet to know whether this ends the content
                    }
                    if (in.getByte(p + 1) == CR) {
                        if (p + 2 >= end) {
                            break;
                        }
                        if (in.getByte(p + 2) == LF) {
                            store(in, runStart, p);
                            in.readerIndex(p + 3);
                            return finishData();
                        }
                    }
                    // drop the stuffed dot; RFC 5321 §4.5.3.1.6 does not count it in the line length
                    store(in, runStart, p);
                    p++;
                    runStart = p;
                }
                atLineStart = false;
            }
            int hit = in.forEachByte(p, end - p, ByteProcessor.FIND_CRLF);
            if (hit < 0) {
                lineLength += end - p;
                p = end;
                break;
            }
            if (in.getByte(hit) == LF) {
                // a bare LF; afterwards a "." is content, never the start of a terminator
                if (error == null) {
                    runStart = fail(in, runStart, hit, DataError.BARE_LF);
                }
                lineLength += hit + 1 - p;
                if (lineLength > MAX_DATA_LINE && error == null) {
                    runStart = fail(in, runStart, hit, DataError.LINE_TOO_LONG);
                }
                lineLength = 0;
                p = hit + 1;
                continue;
            }
            if (hit + 1 >= end) {
                // a CR in the last octet may still be followed by LF: keep it for the next read
                lineLength += hit - p;
                p = hit;
                break;
            }
            if (in.getByte(hit + 1) == LF) {
                lineLength += hit + 2 - p;
                if (lineLength > MAX_DATA_LINE && error == null) {
                    runStart = fail(in, runStart, hit + 1, DataError.LINE_TOO_LONG);
                }
                lineLength = 0;
                p = hit + 2;
                atLineStart = true;
                continue;
            }
            if (error == null) {
                runStart = fail(in, runStart, hit, DataError.BARE_CR);
            }
            lineLength += hit + 1 - p;
            p = hit + 1;
        }
        store(in, runStart, p);
        in.readerIndex(p);
        return null;
    }

    /**
     * Records {@code problem} found at {@code position} unless an earlier error is known. The octets before it are
     * stored first, so that a spool overflow before that position wins however the input was fragmented.
     *
     * @return the new start of the octets not yet stored
     */
    private int fail(ByteBuf in, int runStart, int position, DataError problem) {
        store(in, runStart, position);
        if (error == null) {
            error = problem;
        }
        return position;
    }

    private DataComplete finishData() {
        DataComplete done = new DataComplete(spool, error);
        endContent();
        return done;
    }

    // --------------------------------------------------------------------------------------------------- BDAT mode

    private ChunkComplete decodeChunk(ByteBuf in) {
        int n = (int) Math.min(in.readableBytes(), chunkRemaining);
        store(in, in.readerIndex(), in.readerIndex() + n);
        in.skipBytes(n);
        chunkRemaining -= n;
        return chunkRemaining == 0 ? finishChunk() : null;
    }

    private ChunkComplete finishChunk() {
        ChunkComplete done = new ChunkComplete(spool, chunkSize, error);
        endContent();
        return done;
    }

    // ------------------------------------------------------------------------------------------------------ common

    /** Writes octets {@code [from, to)} of {@code in} to the spool unless it is already full. */
    private void store(ByteBuf in, int from, int to) {
        if (to > from && !spoolFull && !spool.write(in, from, to - from)) {
            spoolFull = true;
            if (error == null) {
                error = DataError.TOO_BIG;
            }
        }
    }

    private void endContent() {
        mode = Mode.COMMAND;
        spool = null;
        error = null;
        spoolFull = false;
        atLineStart = false;
        lineLength = 0;
        chunkSize = 0;
        chunkRemaining = 0;
    }
}
