package dev.mailcore.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Sits in front of Netty's {@code HAProxyMessageDecoder} and closes the connection as soon as its first bytes cannot
 * start a PROXY protocol v1 ({@code "PROXY "}) or v2 (12-byte signature) header. Without it the decoder would wait
 * for 13 bytes before deciding, and would treat any text as a (bad) v1 line. Removes itself once a signature matched.
 */
public final class ProxyPrefixGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyPrefixGuard.class);

    static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private int seen;
    private boolean v1 = true;
    private boolean v2 = true;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        for (int i = buf.readerIndex(); i < buf.writerIndex() && seen < V2_SIGNATURE.length; i++, seen++) {
            byte b = buf.getByte(i);
            if (seen < V1_SIGNATURE.length && V1_SIGNATURE[seen] != b) {
                v1 = false;
            }
            if (V2_SIGNATURE[seen] != b) {
                v2 = false;
            }
            if (!v1 && !v2) {
                ReferenceCountUtil.release(msg);
                LOG.debug("{} closed: expected a PROXY protocol header", ctx.channel());
                ctx.close();
                return;
            }
        }
        boolean matched = (v1 && seen >= V1_SIGNATURE.length) || (v2 && seen >= V2_SIGNATURE.length);
        ctx.fireChannelRead(msg);
        if (matched && !ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }
}
