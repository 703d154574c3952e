package dev.mailcore.imap.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;

/**
 * The response bytes of one command, collected in a buffer. Large responses (FETCH of message bodies) are handed to
 * the channel in pieces as they grow ({@link #spill()}); the session writes the rest, then the tagged line, and
 * flushes once. Used by one thread at a time.
 */
final class Responses {
    /** Past this many buffered octets, {@link #spill()} writes the buffer to the channel. */
    static final int SPILL_THRESHOLD = 256 * 1024;

    private final ByteBufAllocator alloc;
    private final Channel channel;
    private ByteBuf buf;

    Responses(ByteBufAllocator alloc, Channel channel) {
        this.alloc = alloc;
        this.channel = channel;
    }

    private ByteBuf buf() {
        if (buf == null) {
            buf = alloc.buffer(256);
        }
        return buf;
    }

    /** Appends {@code text} and CRLF. */
    Responses line(String text) {
        text(text);
        buf().writeByte('\r').writeByte('\n');
        return this;
    }

    /** Appends {@code text} as UTF-8. */
    Responses text(CharSequence text) {
        buf().writeCharSequence(text, StandardCharsets.UTF_8);
        return this;
    }

    /** Appends raw octets. */
    Responses bytes(byte[] data, int offset, int length) {
        buf().writeBytes(data, offset, length);
        return this;
    }

    Responses bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    /** Octets buffered and not yet written. */
    int buffered() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /**
     * Writes the buffer to the channel when it is large (from any thread: Netty keeps the order of writes), waiting
     * for the data to leave when the channel is not writable and the caller is not the event loop.
     */
    void spill() {
        if (channel == null || buffered() < SPILL_THRESHOLD) {
            return;
        }
        ByteBuf out = buf;
        buf = null;
        if (channel.eventLoop().inEventLoop()) {
            channel.write(out, channel.voidPromise());
            if (!channel.isWritable()) {
                channel.flush();
            }
        } else {
            channel.writeAndFlush(out).awaitUninterruptibly();
        }
    }

    /**
     * Whether the client is gone (the channel closed): a command writing a long response stops early, as nothing it
     * writes can reach anyone.
     */
    boolean abandoned() {
        return channel != null && !channel.isActive();
    }

    /** Hands over the buffered octets (or null when none) and forgets them. */
    ByteBuf take() {
        ByteBuf out = buf;
        buf = null;
        return out;
    }

    /** Drops the buffered octets. */
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
