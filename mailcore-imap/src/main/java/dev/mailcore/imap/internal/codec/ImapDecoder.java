package dev.mailcore.imap.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The IMAP server's inbound framing. It reads command lines (CRLF, or a bare LF as Dovecot accepts) and the literals
 * they announce ({@code {n}}, {@code {n+}}, {@code ~{n}}), hands each complete command to {@link ImapParser} and emits
 * one {@link ImapInput} per command. While {@link #rawLineMode raw line mode} is on, every line is emitted as an
 * {@link ImapInput.RawLine} instead (AUTHENTICATE responses, IDLE's {@code DONE}). All methods are called on the
 * channel's event loop.
 *
 * <p>Synchronising literals: once the size is checked against the limit in force ({@link #authenticated}), the decoder
 * itself writes and flushes {@code + Ready for literal data}; a synchronising literal over the limit is refused with
 * {@code tag NO [TOOBIG]} and no continuation. A non-synchronising literal over the limit (or over 4096 octets when
 * LITERAL- is advertised, RFC 7888 §5) cannot be skipped cheaply: it yields {@code tag BAD [TOOBIG]} with {@code close}
 * set, and the decoder drops all further input.
 *
 * <p>Memory stays bounded: the text of a command (its line segments together, without literals) is at most {@link
 * Limits#maxLineLength} octets (an over-long line yields {@code BAD Command line too long} and is skipped as it
 * arrives; the connection stays open), and the literals of one command are kept on the heap only up to {@link
 * #MEMORY_THRESHOLD} octets together; larger ones are spooled to temporary files, deleted when the {@link
 * dev.mailcore.imap.internal.command.ParsedCommand#resources() resources} are closed, or when the channel closes or the
 * handler is removed before the command was handed over.
 *
 * <p>The decoder emits at most one value per decode step, so a handler that changes the mode ({@link #rawLineMode},
 * {@link #authenticated}, {@link #setPaused}) while handling a value sees the next input decoded in the new mode.
 * {@link #setPaused Pausing} stops decoding (and reading from the socket) while a command is processed
 * asynchronously.
 */
public final class ImapDecoder extends ByteToMessageDecoder {

    /** Largest non-synchronising literal when LITERAL- is advertised (RFC 7888 §5). */
    public static final int LITERAL_MINUS_MAX = 4096;

    /** Octets of literal content one command may hold on the heap; larger literals go to a spool file. */
    public static final int MEMORY_THRESHOLD = 64 * 1024;

    /** The continuation request written for a synchronising literal. */
    public static final String CONTINUATION = "+ Ready for literal data\r\n";

    private static final Logger LOG = LoggerFactory.getLogger(ImapDecoder.class);
    private static final byte[] CONTINUATION_BYTES = CONTINUATION.getBytes(StandardCharsets.US_ASCII);
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int TAIL = 48;
    private static final int TAG_SCAN = 256;

    /**
     * Input limits.
     *
     * @param maxLineLength        longest command text in octets including line ends, literals not counted (the
     *                             segments of a command with literals together)
     * @param maxLiteralBeforeAuth largest literal accepted before authentication
     * @param maxLiteral           largest literal accepted after authentication
     * @param literalMinus         true when LITERAL- is advertised (non-synchronising literals at most 4096 octets),
     *                             false for LITERAL+
     */
    public record Limits(int maxLineLength, long maxLiteralBeforeAuth, long maxLiteral, boolean literalMinus) {

        /** 64 KiB of command text, 8 KiB literals before authentication, 64 MiB after, LITERAL+. */
        public static final Limits DEFAULT = new Limits(64 * 1024, 8 * 1024, 64L * 1024 * 1024, false);

        public Limits {
            if (maxLineLength < 16) {
                throw new IllegalArgumentException("maxLineLength must be at least 16: " + maxLineLength);
            }
            if (maxLiteralBeforeAuth < 0 || maxLiteral < 0) {
                throw new IllegalArgumentException("literal limits must not be negative");
            }
        }
    }

    private enum Mode { LINE, LITERAL, SKIP_LITERAL, CLOSED }

    private final Limits limits;
    private final Path spoolDirectory;
    private final int memoryThreshold;

    private ChannelHandlerContext ctx;
    private boolean authenticated;
    private boolean rawLineMode;
    private boolean paused;
    private Mode mode = Mode.LINE;

    // the command being read
    private final List<String> lines = new ArrayList<>();
    private final List<Literal> literals = new ArrayList<>();
    private int textBytes;
    private long memoryUsed;
    private String tag;

    // the current command failed: its response is emitted when the command ends; its input is skipped till then
    private String failure;
    private boolean failureIsRaw;
    private boolean skippingLine;
    private final byte[] tail = new byte[TAIL];
    private int tailLength;

    // the literal being read (or skipped)
    private long literalRemaining;
    private long literalSize;
    private boolean literalBinary;
    private byte[] literalArray;
    private int literalPos;
    private Path literalFile;
    private FileChannel literalChannel;
    private long literalFilePos;

    // decoding buffered input outside of a network read (after unpausing)
    private int readDepth;
    private boolean stalled;
    private long emitted;

    /** A decoder spooling large literals to the default temporary directory. */
    public ImapDecoder(Limits limits) {
        this(limits, null);
    }

    /**
     * @param limits         the limits
     * @param spoolDirectory where large literals are spooled; null for the default temporary directory
     */
    public ImapDecoder(Limits limits, Path spoolDirectory) {
        this(limits, spoolDirectory, MEMORY_THRESHOLD);
    }

    /** For tests: a smaller heap threshold for literals. */
    ImapDecoder(Limits limits, Path spoolDirectory, int memoryThreshold) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.spoolDirectory = spoolDirectory;
        this.memoryThreshold = memoryThreshold;
    }

    /** The limits this decoder enforces. */
    public Limits limits() {
        return limits;
    }

    /** Switches between the literal limit before authentication and the one after. */
    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** Whether {@link #authenticated(boolean)} was last set to true. */
    public boolean isAuthenticated() {
        return authenticated;
    }

    /**
     * While on, each line (without its line end, decoded as UTF-8) is emitted as an {@link ImapInput.RawLine}; literal
     * syntax means nothing. A line over the limit yields {@code * BAD Line too long} instead. Turn it on while handling
     * the command that needs raw lines (AUTHENTICATE, IDLE), or pause first.
     */
    public void rawLineMode(boolean rawLineMode) {
        this.rawLineMode = rawLineMode;
    }

    /** Whether raw line mode is on. */
    public boolean isRawLineMode() {
        return rawLineMode;
    }

    /**
     * Drops all input received and not yet decoded, including a command partly read (its literals are released).
     * The session calls it when it accepts STARTTLS: nothing a client pipelined after STARTTLS may be executed.
     *
     * @return how many buffered octets were dropped
     */
    public int discardBuffered() {
        int n = actualReadableBytes();
        if (n > 0) {
            internalBuffer().skipBytes(n);
        }
        if (mode != Mode.CLOSED) {
            resetCommand(true);
        }
        stalled = false;
        return n;
    }

    /**
     * While paused the decoder decodes nothing and turns auto-read off, so a command processed asynchronously is
     * answered (and its effect on the decoder applied) before the next one is decoded. Unpausing decodes what is
     * buffered at once (firing {@code channelReadComplete} when something was emitted outside of a read) and turns
     * reading back on.
     */
    public void setPaused(boolean paused) {
        if (this.paused == paused) {
            return;
        }
        this.paused = paused;
        if (ctx != null) {
            ctx.channel().config().setAutoRead(!paused);
        }
        if (!paused && readDepth == 0 && ctx != null && stalled) {
            long before = emitted;
            decodeStalled();
            if (emitted != before) {
                ctx.fireChannelReadComplete();
            }
        }
    }

    /** Whether {@link #setPaused} paused this decoder. */
    public boolean isPaused() {
        return paused;
    }

    /** Octets received but not decoded yet (flush responses once this is 0). */
    public int pendingBytes() {
        return actualReadableBytes();
    }

    // ------------------------------------------------------------------------------------------------- pipeline

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        resetCommand(true);
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            resetCommand(true);
            mode = Mode.CLOSED;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        readDepth++;
        try {
            super.channelRead(ctx, msg);
        } finally {
            readDepth--;
        }
    }

    /** While paused, does not ask for more input (auto-read is off on purpose). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
        } else {
            super.channelReadComplete(ctx);
        }
    }

    private void decodeStalled() {
        while (stalled && !paused && ctx != null && !ctx.isRemoved() && actualReadableBytes() > 0) {
            stalled = false;
            readDepth++;
            try {
                super.channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                throw e instanceof RuntimeException re ? re : new DecoderException(e);
            } finally {
                readDepth--;
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused) {
            stalled = true;
            return;
        }
        ImapInput event;
        switch (mode) {
            case LITERAL:
                event = readLiteral(in);
                break;
            case SKIP_LITERAL:
                event = skipLiteral(in);
                break;
            case CLOSED:
                in.skipBytes(in.readableBytes());
                event = null;
                break;
            default:
                event = skippingLine || failure != null ? skipLine(in) : readLine(in);
                break;
        }
        if (event != null) {
            emitted++;
            out.add(event);
        }
    }

    // ------------------------------------------------------------------------------------------------------ lines

    private ImapInput readLine(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int allowed = limits.maxLineLength() - textBytes;
        int window = Math.max(0, Math.min(readable, allowed));
        int lf = window > 0 ? in.indexOf(start, start + window, LF) : -1;
        if (lf < 0) {
            if (readable < allowed) {
                return null; // wait for the rest of the line
            }
            boolean raw = rawLineMode && lines.isEmpty();
            String t = tag != null ? tag : tagOf(in, start, Math.min(readable, TAG_SCAN));
            resetCommand(true);
            failure = raw ? "* BAD Line too long" : t + " BAD Command line too long";
            failureIsRaw = raw;
            skippingLine = true;
            return skipLine(in);
        }
        int end = lf > start && in.getByte(lf - 1) == CR ? lf - 1 : lf;
        if (rawLineMode && lines.isEmpty()) {
            String text = in.toString(start, end - start, StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            return new ImapInput.RawLine(text);
        }
        String line = in.toString(start, end - start, StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        if (lines.isEmpty()) {
            if (line.isEmpty()) {
                return null; // an empty line between commands is ignored
            }
            tag = tagOf(line);
        }
        textBytes += lf + 1 - start;
        LiteralHeader header = LiteralHeader.find(line);
        if (header == null) {
            lines.add(line);
            return finishCommand();
        }
        return literalAnnounced(line, header);
    }

    private ImapInput literalAnnounced(String line, LiteralHeader header) {
        String t = tag != null ? tag : "*";
        long max = authenticated ? limits.maxLiteral() : limits.maxLiteralBeforeAuth();
        if (header.nonSync()) {
            if (header.size() > max || (limits.literalMinus() && header.size() > LITERAL_MINUS_MAX)) {
                resetCommand(true);
                mode = Mode.CLOSED;
                return new ImapInput.Bad(t + " BAD [TOOBIG] Literal too big", true);
            }
        } else if (header.size() > max) {
            resetCommand(true);
            return new ImapInput.Bad(t + " NO [TOOBIG] Literal too big (at most " + max + " octets here)", false);
        }
        String refused = lines.isEmpty() ? ImapParser.checkStart(line) : null;
        if (refused != null) {
            return refuseLiteral(header, refused);
        }
        lines.add(line);
        String problem = beginLiteral(header);
        if (problem != null) {
            return refuseLiteral(header, t + " NO [SERVERBUG] " + problem);
        }
        if (!header.nonSync() && ctx != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUATION_BYTES));
        }
        if (header.size() == 0) {
            completeLiteral();
        }
        return null;
    }

    /** Fails the command at a literal: a synchronising one ends it now, a non-synchronising one is skipped first. */
    private ImapInput refuseLiteral(LiteralHeader header, String response) {
        resetCommand(true);
        if (!header.nonSync()) {
            return new ImapInput.Bad(response, false);
        }
        failure = response;
        startSkippingLiteral(header.size());
        return null;
    }

    /** Skips the rest of a line of a failed command; at its end, continues with its literal or ends the command. */
    private ImapInput skipLine(ByteBuf in) {
        skippingLine = true;
        int from = in.readerIndex();
        int lf = in.indexOf(from, in.writerIndex(), LF);
        int stop = lf < 0 ? in.writerIndex() : lf;
        keepTail(in, Math.max(from, stop - TAIL), stop);
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        in.readerIndex(lf + 1);
        skippingLine = false;
        int len = tailLength;
        if (len > 0 && tail[len - 1] == CR) {
            len--;
        }
        String text = new String(tail, 0, len, StandardCharsets.ISO_8859_1);
        tailLength = 0;
        LiteralHeader header = failureIsRaw ? null : LiteralHeader.find(text);
        if (header != null && header.nonSync()) {
            startSkippingLiteral(header.size());
            return null;
        }
        // the command ends here (a synchronising literal is never sent without our continuation)
        String response = failure;
        resetCommand(true);
        return new ImapInput.Bad(response, false);
    }

    private void keepTail(ByteBuf in, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        if (keep < tailLength) {
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            tailLength = keep;
        }
        in.getBytes(from, tail, tailLength, n);
        tailLength += n;
    }

    private ImapInput finishCommand() {
        CommandText text = new CommandText(lines, literals);
        lines.clear();
        literals.clear();
        resetCommand(false);
        ImapInput result;
        try {
            result = ImapParser.parse(text);
        } catch (RuntimeException e) {
            LOG.warn("IMAP parser failed on a command", e);
            result = new ImapInput.Bad(tagOf(text.lines().get(0)) + " BAD Error in IMAP command", false);
        }
        if (!(result instanceof ImapInput.Command)) {
            text.close();
        }
        return result;
    }

    // --------------------------------------------------------------------------------------------------- literals

    /** Prepares to read a literal; returns a problem text when it cannot be stored. */
    private String beginLiteral(LiteralHeader header) {
        literalSize = header.size();
        literalRemaining = header.size();
        literalBinary = header.binary();
        if (memoryUsed + header.size() <= memoryThreshold) {
            literalArray = new byte[(int) header.size()];
            literalPos = 0;
            memoryUsed += header.size();
        } else {
            try {
                literalFile = spoolDirectory == null ? Files.createTempFile("mailcore-imap-", ".literal")
                        : Files.createTempFile(spoolDirectory, "mailcore-imap-", ".literal");
                literalChannel = FileChannel.open(literalFile, StandardOpenOption.WRITE);
                literalFilePos = 0;
            } catch (IOException e) {
                LOG.warn("cannot spool an IMAP literal", e);
                dropPartialLiteral();
                return "Cannot store literal data";
            }
        }
        mode = Mode.LITERAL;
        return null;
    }

    private ImapInput readLiteral(ByteBuf in) {
        int n = (int) Math.min(in.readableBytes(), literalRemaining);
        if (literalArray != null) {
            in.readBytes(literalArray, literalPos, n);
            literalPos += n;
        } else {
            int left = n;
            try {
                while (left > 0) {
                    int written = in.readBytes(literalChannel, literalFilePos, left);
                    literalFilePos += written;
                    left -= written;
                }
            } catch (IOException e) {
                LOG.warn("cannot spool an IMAP literal", e);
                long remaining = literalRemaining - (n - left);
                String t = tag != null ? tag : "*";
                resetCommand(true);
                failure = t + " NO [SERVERBUG] Cannot store literal data";
                startSkippingLiteral(Math.max(0, remaining));
                return null;
            }
        }
        literalRemaining -= n;
        if (literalRemaining == 0) {
            completeLiteral();
        }
        return null;
    }

    private void completeLiteral() {
        Literal literal;
        if (literalArray != null) {
            literal = Literal.inMemory(literalArray, literalBinary);
        } else {
            try {
                literalChannel.close();
            } catch (IOException e) {
                LOG.debug("closing a literal spool", e);
            }
            literal = Literal.spooled(literalFile, literalSize, literalBinary);
        }
        literals.add(literal);
        literalArray = null;
        literalChannel = null;
        literalFile = null;
        mode = Mode.LINE;
    }

    private void startSkippingLiteral(long size) {
        literalRemaining = size;
        mode = size > 0 ? Mode.SKIP_LITERAL : Mode.LINE;
    }

    private ImapInput skipLiteral(ByteBuf in) {
        int n = (int) Math.min(in.readableBytes(), literalRemaining);
        in.skipBytes(n);
        literalRemaining -= n;
        if (literalRemaining == 0) {
            mode = Mode.LINE;
        }
        return null;
    }

    private void dropPartialLiteral() {
        if (literalChannel != null) {
            try {
                literalChannel.close();
            } catch (IOException e) {
                LOG.debug("closing a literal spool", e);
            }
            literalChannel = null;
        }
        if (literalFile != null) {
            try {
                Files.deleteIfExists(literalFile);
            } catch (IOException e) {
                LOG.debug("deleting a literal spool", e);
            }
            literalFile = null;
        }
        literalArray = null;
    }

    /** Forgets the command being read; releases its literals when {@code release}. */
    private void resetCommand(boolean release) {
        if (release) {
            for (Literal literal : literals) {
                literal.close();
            }
            dropPartialLiteral();
        }
        literalArray = null;
        literalChannel = null;
        literalFile = null;
        lines.clear();
        literals.clear();
        textBytes = 0;
        memoryUsed = 0;
        tag = null;
        failure = null;
        failureIsRaw = false;
        skippingLine = false;
        tailLength = 0;
        literalRemaining = 0;
        if (mode != Mode.CLOSED) {
            mode = Mode.LINE;
        }
    }

    // --------------------------------------------------------------------------------------------------------- tags

    /** The tag of a line, or {@code "*"} when it has none that is valid. */
    static String tagOf(String line) {
        int sp = line.indexOf(' ');
        String t = sp < 0 ? line : line.substring(0, sp);
        return ImapParser.isTag(t) ? t : "*";
    }

    private static String tagOf(ByteBuf in, int start, int length) {
        int sp = in.indexOf(start, start + length, (byte) ' ');
        if (sp <= start) {
            return "*";
        }
        String t = in.toString(start, sp - start, StandardCharsets.ISO_8859_1);
        return ImapParser.isTag(t) ? t : "*";
    }
}
