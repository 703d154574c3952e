package dev.mailcore.pop3.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WireFormatTest {

    private static String stuff(String content, long topLines, int pieceSize) {
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        WireFormat.Stuffer stuffer = new WireFormat.Stuffer(topLines);
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < bytes.length && !stuffer.done(); i += pieceSize) {
            stuffer.write(bytes, i, Math.min(pieceSize, bytes.length - i), out);
        }
        stuffer.finish(out);
        String result = out.toString(StandardCharsets.ISO_8859_1);
        out.release();
        return result;
    }

    private static long wireSize(String content, int pieceSize) {
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        WireFormat.SizeCounter counter = new WireFormat.SizeCounter();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            counter.update(bytes, i, Math.min(pieceSize, bytes.length - i));
        }
        return counter.wireSize();
    }

    /** What a client makes of a multi-line response: lines un-stuffed, terminator removed. */
    private static String unstuff(String wire) {
        assertThat(wire).endsWith(".\r\n");
        String body = wire.substring(0, wire.length() - 3);
        assertThat(body.isEmpty() || body.endsWith("\r\n")).as("terminator starts a line").isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = 0;
        while (start < body.length()) {
            int end = body.indexOf("\r\n", start) + 2;
            String line = body.substring(start, end);
            assertThat(line).isNotEqualTo(".\r\n");
            if (line.startsWith(".")) {
                assertThat(line).startsWith("..");
                line = line.substring(1);
            }
            out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            start = end;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void cleanCrlfMessageIsSentAsIsAndCountedAsStored() {
        String m = "A: b\r\n\r\nbody\r\n";
        assertThat(stuff(m, -1, 1000)).isEqualTo(m + ".\r\n");
        assertThat(wireSize(m, 1000)).isEqualTo(m.length());
    }

    @Test
    void bareLineFeedsBecomeCrlfAndAMissingFinalLineEndIsAdded() {
        String m = "A: b\n\nbody\r\n.x\nlast";
        assertThat(stuff(m, -1, 3)).isEqualTo("A: b\r\n\r\nbody\r\n..x\r\nlast\r\n.\r\n");
        assertThat(wireSize(m, 3)).isEqualTo("A: b\r\n\r\nbody\r\n.x\r\nlast\r\n".length());
    }

    @Test
    void bareCarriageReturnIsLeftAlone() {
        assertThat(stuff("a\rb\r\n", -1, 1)).isEqualTo("a\rb\r\n.\r\n");
        assertThat(stuff("a\r", -1, 1)).isEqualTo("a\r\r\n.\r\n");
        assertThat(wireSize("a\r", 1)).isEqualTo(4);
    }

    @Test
    void crlfSplitAcrossPiecesIsNotDoubled() {
        assertThat(stuff("a\r\n.b\r\n", -1, 2)).isEqualTo("a\r\n..b\r\n.\r\n");
        assertThat(wireSize("a\r\nb\r\n", 2)).isEqualTo(6);
    }

    @Test
    void emptyMessageIsJustTheTerminator() {
        assertThat(stuff("", -1, 10)).isEqualTo(".\r\n");
        assertThat(wireSize("", 10)).isZero();
    }

    @Test
    void topCountsBodyLinesAfterTheBlankLine() {
        String m = "A: 1\r\nB: 2\r\n\r\none\r\n.two\r\nthree\r\n";
        assertThat(stuff(m, 0, 4)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(stuff(m, 2, 4)).isEqualTo("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n");
        assertThat(stuff(m, 10, 4)).isEqualTo("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\nthree\r\n.\r\n");
        assertThat(stuff("A: 1\nNo blank line", 1, 4)).isEqualTo("A: 1\r\nNo blank line\r\n.\r\n");
    }

    @Test
    void uidlIsUidThenUidValidityInEightHexDigitsEach() {
        assertThat(WireFormat.uidl(1, 0x5F3A1B2CL)).isEqualTo("000000015F3A1B2C");
        assertThat(WireFormat.uidl(0xABCDEF12L, 7)).isEqualTo("ABCDEF1200000007");
    }

    @Property
    void clientGetsTheCrlfNormalisedMessageAndItsAnnouncedSize(@ForAll("contents") String content,
                                                              @ForAll("pieces") int pieceSize) {
        String wire = stuff(content, -1, pieceSize);
        String received = unstuff(wire);
        String normalised = content.replaceAll("(?<!\r)\n", "\r\n");
        if (!normalised.isEmpty() && !normalised.endsWith("\n")) {
            normalised += "\r\n";
        }
        assertThat(received).isEqualTo(normalised);
        assertThat(wireSize(content, pieceSize)).isEqualTo(received.length());
    }

    @Provide
    Arbitrary<String> contents() {
        return Arbitraries.of(List.of("\r", "\n", "\r\n", ".", "..", "a", "b c", "\r\n.\r\n", "\n.\n"))
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<Integer> pieces() {
        return Arbitraries.integers().between(1, 17);
    }
}
