package dev.mailcore.delivery.smtp.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyDecoderTest {

    private static EmbeddedChannel feed(String input, int fragment) {
        EmbeddedChannel ch = new EmbeddedChannel(new ReplyDecoder());
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += fragment) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(fragment, bytes.length - i)));
        }
        return ch;
    }

    @Test
    void decodesMultiLineRepliesFedByteByByte() {
        EmbeddedChannel ch = feed("250-mx.test hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n354 go\r\n", 1);

        RemoteReply ehlo = ch.readInbound();
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines()).containsExactly("mx.test hello", "PIPELINING", "SIZE 1000");
        RemoteReply data = ch.readInbound();
        assertThat(data.code()).isEqualTo(354);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void toleratesBareLineFeedsAndCodeOnlyLines() {
        EmbeddedChannel ch = feed("220\n250 ok\n", 3);

        assertThat(((RemoteReply) ch.readInbound()).lines()).containsExactly("");
        assertThat(((RemoteReply) ch.readInbound()).lines()).containsExactly("ok");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> feed("hello there\r\n", 100)).isInstanceOf(DecoderException.class);
        assertThatThrownBy(() -> feed("250-a\r\n251 b\r\n", 100)).isInstanceOf(DecoderException.class);
    }

    @Test
    void rejectsOverlongLines() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(ReplyDecoder.MAX_LINE + 10), 1000))
                .isInstanceOf(DecoderException.class);
    }
}
