package dev.mailcore.delivery.smtp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodyEncoderTest {

    private static String data(String message, int blockSize) {
        BodyEncoder encoder = new BodyEncoder(true);
        byte[] in = message.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < in.length; i += blockSize) {
            encoder.encode(in, i, Math.min(blockSize, in.length - i), out);
        }
        encoder.finishData(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void doublesDotsAtTheStartOfLinesAndEndsWithTheDotLine() {
        assertThat(data(".a\r\nb.\r\n..c\r\n", 100)).isEqualTo("..a\r\nb.\r\n...c\r\n.\r\n");
    }

    @Test
    void turnsBareLineFeedsIntoCrlf() {
        assertThat(data("a\nb\r\nc\n", 100)).isEqualTo("a\r\nb\r\nc\r\n.\r\n");
    }

    @Test
    void addsALineEndWhenTheMessageLacksOne() {
        assertThat(data("abc", 100)).isEqualTo("abc\r\n.\r\n");
        assertThat(data("abc\r", 100)).isEqualTo("abc\r\n.\r\n");
        assertThat(data("", 100)).isEqualTo(".\r\n");
    }

    @Test
    void keepsStateAcrossBlockBoundaries() {
        assertThat(data("x\r\n.y\n.z", 1)).isEqualTo("x\r\n..y\r\n..z\r\n.\r\n");
        assertThat(data("x\r\n.y\n.z", 2)).isEqualTo(data("x\r\n.y\n.z", 1000));
    }

    @Test
    void leavesBdatContentUnstuffed() {
        BodyEncoder encoder = new BodyEncoder(false);
        ByteBuf out = Unpooled.buffer();
        byte[] in = ".a\nb".getBytes(StandardCharsets.US_ASCII);
        encoder.encode(in, 0, in.length, out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(".a\r\nb");
    }

    @Test
    void copiesBinaryContentUnchanged() {
        BodyEncoder encoder = new BodyEncoder(false, false);
        ByteBuf out = Unpooled.buffer();
        byte[] in = {'.', '\n', 0, (byte) 0xff, '\r'};
        encoder.encode(in, 0, in.length, out);
        byte[] got = new byte[out.readableBytes()];
        out.readBytes(got);
        assertThat(got).isEqualTo(in);
    }

    /** What a receiving server does with DATA content: strip the final dot line and one leading dot per line. */
    private static byte[] receive(String wire) {
        if (wire.equals(".\r\n")) {
            return new byte[0];
        }
        assertThat(wire).endsWith("\r\n.\r\n");
        String body = wire.substring(0, wire.length() - 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (lineStart && c == '.') {
                lineStart = false;
                continue;
            }
            out.write(c);
            lineStart = c == '\n' && i > 0 && body.charAt(i - 1) == '\r';
        }
        return out.toByteArray();
    }

    @Property
    void theReceiverGetsTheMessageWithRepairedLineEnds(@ForAll @Size(max = 300) byte[] raw,
                                                        @ForAll @IntRange(min = 1, max = 50) int blockSize) {
        for (int i = 0; i < raw.length; i++) {
            // Bias towards the interesting bytes.
            int v = raw[i] & 0xff;
            raw[i] = v % 5 == 0 ? (byte) '.' : v % 5 == 1 ? (byte) '\n' : v % 5 == 2 ? (byte) '\r' : raw[i];
        }
        String message = new String(raw, StandardCharsets.ISO_8859_1);
        String expected = message.replaceAll("(?<!\r)\n", "\r\n");
        if (!expected.isEmpty() && !expected.endsWith("\r\n")) {
            expected = expected.endsWith("\r") ? expected + "\n" : expected + "\r\n";
        }
        byte[] received = receive(data(message, blockSize));
        assertThat(new String(received, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    }
}
