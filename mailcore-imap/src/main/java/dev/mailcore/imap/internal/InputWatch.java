package dev.mailcore.imap.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Placed before the IMAP decoder: reports every inbound buffer (the client is alive) and passes it on unchanged. */
final class InputWatch extends ChannelInboundHandlerAdapter {
    private final Runnable onInput;

    InputWatch(Runnable onInput) {
        this.onInput = onInput;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        onInput.run();
        ctx.fireChannelRead(msg);
    }
}
