package dev.mailcore.netty.internal;

import dev.mailcore.netty.ProtocolSupport.Refusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an {@link io.netty.handler.timeout.IdleStateHandler} watching both directions: when the client has sent
 * nothing and taken none of our output for the idle timeout, a served connection gets the protocol's idle refusal and
 * is closed; one still waiting for its PROXY header is just closed.
 */
public final class IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCloser.class);

    private final ConnectionState state;

    public IdleCloser(ConnectionState state) {
        this.state = state;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.ALL_IDLE) {
            LOG.debug("{} idle timeout", ctx.channel());
            state.refuse(ctx.channel(), Refusal.IDLE_TIMEOUT, state.admitted());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
