package dev.mailcore.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: any exception no protocol handler dealt with is logged at debug level and
 * closes the connection. Stateless and shared.
 */
@ChannelHandler.Sharable
public final class ExceptionTail extends ChannelInboundHandlerAdapter {

    /** The handler's name in the pipeline; protocols that add handlers later put them before it. */
    public static final String NAME = "mailcore-exceptions";

    public static final ExceptionTail INSTANCE = new ExceptionTail();

    private static final Logger LOG = LoggerFactory.getLogger(ExceptionTail.class);

    private ExceptionTail() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{} closed after an unhandled exception", ctx.channel(), cause);
        ctx.close();
    }
}
