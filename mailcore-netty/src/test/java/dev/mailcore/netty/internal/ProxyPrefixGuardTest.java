package dev.mailcore.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyPrefixGuardTest {

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void closesOnAFirstByteThatStartsNoProxyHeader() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyPrefixGuard());
        channel.writeInbound(ascii("E"));
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void closesOnTextThatOnlyStartsLikeProxy() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyPrefixGuard());
        channel.writeInbound(ascii("PR"));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(ascii("OXIMA\r\n"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void passesAV1HeaderFedByteByByteAndRemovesItself() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyPrefixGuard());
        String header = "PROXY TCP4 192.0.2.1 192.0.2.2 1234 25\r\n";
        StringBuilder passed = new StringBuilder();
        for (char c : header.toCharArray()) {
            channel.writeInbound(ascii(String.valueOf(c)));
            ByteBuf out;
            while ((out = channel.readInbound()) != null) {
                passed.append(out.toString(StandardCharsets.US_ASCII));
                out.release();
            }
        }
        assertThat(channel.isOpen()).isTrue();
        assertThat(passed.toString()).isEqualTo(header);
        assertThat(channel.pipeline().get(ProxyPrefixGuard.class)).isNull();
    }

    @Test
    void passesAV2Signature() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyPrefixGuard());
        channel.writeInbound(Unpooled.wrappedBuffer(ProxyPrefixGuard.V2_SIGNATURE, 0, 5));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(ProxyPrefixGuard.V2_SIGNATURE, 5, 7));
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.pipeline().get(ProxyPrefixGuard.class)).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void closesOnABrokenV2Signature() {
        EmbeddedChannel channel = new EmbeddedChannel(new ProxyPrefixGuard());
        byte[] broken = ProxyPrefixGuard.V2_SIGNATURE.clone();
        broken[9] = 'X';
        channel.writeInbound(Unpooled.wrappedBuffer(broken));
        assertThat(channel.isOpen()).isFalse();
    }
}
