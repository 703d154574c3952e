package dev.mailcore.smtp.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The session's one read timeout (RFC 5321 §4.5.3.2): scheduled on the channel's event loop, cancelled while the
 * server itself is working and re-armed on every input; when it runs out, {@code onExpiry} runs on the event loop.
 * {@link #inputWatch()} is the handler, placed before the decoder, that reports raw input (DATA content included).
 */
final class SessionTimer {
    private final Runnable onExpiry;
    private final Runnable onInput;
    private ScheduledFuture<?> pending;

    /**
     * @param onExpiry run when an armed timeout runs out
     * @param onInput  run on the event loop whenever bytes arrive (typically re-arms this timer)
     */
    SessionTimer(Runnable onExpiry, Runnable onInput) {
        this.onExpiry = onExpiry;
        this.onInput = onInput;
    }

    /** Replaces any armed timeout with one of {@code timeout}; zero means none. Call on the event loop. */
    void arm(EventExecutor executor, Duration timeout) {
        cancel();
        if (timeout.isZero() || timeout.isNegative()) {
            return;
        }
        pending = executor.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Cancels the armed timeout, if any. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Whether a timeout is armed. */
    boolean armed() {
        return pending != null;
    }

    private void expire() {
        pending = null;
        onExpiry.run();
    }

    /** A handler that reports every inbound buffer to {@code onInput} and passes it on unchanged. */
    ChannelInboundHandlerAdapter inputWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                onInput.run();
                ctx.fireChannelRead(msg);
            }
        };
    }
}
