package dev.mailcore.pop3.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3DecoderTest {
    private final Pop3Decoder decoder = new Pop3Decoder(300);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private Pop3Line next() {
        return channel.readInbound();
    }

    @Test
    void emitsOneLinePerCrlfOrBareLf() {
        feed("USER a\r\nPASS b c\nQUIT\r\n");
        assertThat(next()).isEqualTo(new Pop3Line("USER a", null));
        assertThat(next()).isEqualTo(new Pop3Line("PASS b c", null));
        assertThat(next()).isEqualTo(new Pop3Line("QUIT", null));
        assertThat((Object) next()).isNull();
    }

    @Test
    void linesSplitAcrossReadsAreJoined() {
        for (char c : "STAT\r\nLIST 1\r\n".toCharArray()) {
            feed(String.valueOf(c));
        }
        assertThat(next().text()).isEqualTo("STAT");
        assertThat(next().text()).isEqualTo("LIST 1");
        assertThat(decoder.pendingBytes()).isZero();
    }

    @Test
    void overLongLineIsReportedOnceAndSkippedWithBoundedMemory() {
        feed("X".repeat(250));
        feed("Y".repeat(250));
        assertThat((Object) next()).isNull();
        assertThat(decoder.pendingBytes()).isLessThan(300);
        feed("Z".repeat(5000));
        assertThat(decoder.pendingBytes()).isLessThan(300);
        feed("\r\nNOOP\r\n");
        Pop3Line tooLong = next();
        assertThat(tooLong.problem()).isEqualTo(Pop3Line.Problem.TOO_LONG);
        assertThat(next()).isEqualTo(new Pop3Line("NOOP", null));
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        String text = "N".repeat(298);
        feed(text + "\r\n");
        assertThat(next()).isEqualTo(new Pop3Line(text, null));
    }

    @Test
    void invalidUtf8IsReported() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'P', (byte) 0xFF, '\r', '\n'}));
        assertThat(next().problem()).isEqualTo(Pop3Line.Problem.BAD_ENCODING);
    }

    @Test
    void utf8IsDecoded() {
        feed("PASS pässwörd\r\n");
        assertThat(next().text()).isEqualTo("PASS pässwörd");
    }

    @Test
    void pausedDecoderHoldsLinesUntilResumed() {
        decoder.setPaused(true);
        feed("A\r\nB\r\n");
        assertThat((Object) next()).isNull();
        assertThat(channel.config().isAutoRead()).as("reads on while little is buffered").isTrue();
        assertThat(decoder.pendingBytes()).isEqualTo(6);
        feed("NOOP\r\n".repeat(Pop3Decoder.PAUSED_BUFFER_LIMIT / 6));
        assertThat(channel.config().isAutoRead()).as("stops reading when much is buffered").isFalse();
        decoder.setPaused(false);
        assertThat(next().text()).isEqualTo("A");
        assertThat(next().text()).isEqualTo("B");
        assertThat(next().text()).isEqualTo("NOOP");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void discardPendingDropsBufferedInput() {
        decoder.setPaused(true);
        feed("A\r\nB\r\n");
        assertThat(decoder.discardPending()).isEqualTo(6);
        decoder.setPaused(false);
        assertThat((Object) next()).isNull();
    }
}
