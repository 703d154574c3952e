package dev.mailcore.smtp.internal.codec;

import dev.mailcore.smtp.internal.codec.DecoderHarness.Chunk;
import dev.mailcore.smtp.internal.codec.DecoderHarness.Data;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DataDecodingPropertiesTest {

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("codec-props");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<List<byte[]>> lines() {
        Arbitrary<byte[]> plain = Arbitraries.bytes().filter(b -> b != '\r' && b != '\n')
                .array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> dotted = plain.map(b -> {
            byte[] d = new byte[b.length + 1];
            d[0] = '.';
            System.arraycopy(b, 0, d, 1, b.length);
            return d;
        });
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, plain), net.jqwik.api.Tuple.of(2, dotted),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[] {'.'})))
                .list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void dotStuffedContentComesBackByteIdentical(@ForAll("lines") List<byte[]> lines, @ForAll long seed) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] line : lines) {
            content.writeBytes(line);
            content.writeBytes(new byte[] {'\r', '\n'});
            if (line.length > 0 && line[0] == '.') {
                wire.write('.');
            }
            wire.writeBytes(line);
            wire.writeBytes(new byte[] {'\r', '\n'});
        }
        wire.writeBytes(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));

        List<Object> events = DecoderHarness.run(dir, 512, 10_000_000, wire.toByteArray(), DecoderHarness.random(seed));

        assertThat(events).containsExactly(new CommandLine("DATA", null),
                new Data(new String(content.toByteArray(), StandardCharsets.ISO_8859_1), null),
                new CommandLine("QUIT", null));
    }

    @Property(tries = 200)
    void anyInputGivesTheSameEventsHoweverItIsFragmented(@ForAll("smtpish") String input, @ForAll long seed) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<Object> whole = DecoderHarness.run(dir, 40, 200, bytes, DecoderHarness.WHOLE);
        assertThat(DecoderHarness.run(dir, 40, 200, bytes, DecoderHarness.random(seed))).isEqualTo(whole);
        assertThat(DecoderHarness.run(dir, 40, 200, bytes, DecoderHarness.BYTE_BY_BYTE)).isEqualTo(whole);
    }

    @Provide
    Arbitrary<String> smtpish() {
        Arbitrary<String> token = Arbitraries.of("DATA\r\n", "BDAT 3\r\n", "BDAT 0\r\n", "\r\n", "\r\n.\r\n", ".", "..",
                "\r", "\n", "x", "NOOP", "\u00e9", "\u00ff", "y".repeat(30));
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Property(tries = 100)
    void chunkContentComesBackVerbatim(@ForAll byte[] content, @ForAll long seed) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        byte[] wire = ("BDAT " + content.length + " LAST\r\n" + text + "QUIT\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(DecoderHarness.run(dir, 512, 10_000_000, wire, DecoderHarness.random(seed))).containsExactly(
                new CommandLine("BDAT " + content.length + " LAST", null),
                new Chunk(text, content.length, null), new CommandLine("QUIT", null));
    }
}
