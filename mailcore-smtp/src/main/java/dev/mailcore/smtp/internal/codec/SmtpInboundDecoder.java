package dev.mailcore.smtp.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The SMTP server's inbound framing. In command mode it emits a {@link CommandLine} for each line. {@link #beginData}
 * switches to DATA mode until {@code CRLF.CRLF} ({@link DataComplete}); {@link #beginChunk} reads a counted BDAT chunk
 * ({@link ChunkComplete}). Both return to command mode by themselves. All methods are called on the channel's event
 * loop.
 */
public final class SmtpInboundDecoder extends ByteToMessageDecoder {

    /** @param maxLineLength longest command line accepted, in octets including CRLF (RFC 5321: 512; we use 1000+) */
    public SmtpInboundDecoder(int maxLineLength) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reads DATA content into {@code spool} (dot-unstuffed, final CRLF.CRLF excluded but the CRLF before it kept). */
    public void beginData(MessageSpool spool) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reads exactly {@code size} octets into {@code spool}; size 0 completes at once. */
    public void beginChunk(MessageSpool spool, long size) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * While paused the decoder emits nothing and stops reading from the socket (auto-read off), so that a command
     * being processed asynchronously (policy or store calls on an executor) is answered before the next one is
     * decoded. Unpausing decodes what is already buffered at once and turns reading back on. The decoder emits at
     * most one message per {@code decode} call, so a handler that pauses (or switches to DATA) while handling a
     * message sees no further message decoded in the old state.
     */
    public void setPaused(boolean paused) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Octets received and buffered but not yet decoded (PIPELINING: flush replies only when this is 0). */
    public int pendingBytes() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Drops input received but not yet decoded (STARTTLS); returns how many octets were dropped. */
    public int discardPending() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
