package dev.mailcore.store.transfer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    /** A stream that hands out at most {@code step} bytes per read, to cross every chunk boundary. */
    private static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static List<String> lines(String text, int step) throws IOException {
        LineReader r = new LineReader(trickle(text.getBytes(StandardCharsets.ISO_8859_1), step));
        List<String> out = new ArrayList<>();
        byte[] line;
        while ((line = r.next()) != null) {
            out.add(new String(line, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void splitsAtLfAndTakesACrBeforeItAsPartOfTheLineEnd() throws IOException {
        for (int step = 1; step < 5; step++) {
            assertThat(lines("a\r\nb\nc\rd\r\n\n\r\rlast", step)).containsExactly("a", "b", "c\rd", "", "\r\rlast");
        }
    }

    @Test
    void anEmptyStreamHasNoLinesAndAFinalLfMakesNoExtraLine() throws IOException {
        assertThat(lines("", 1)).isEmpty();
        assertThat(lines("x\n", 1)).containsExactly("x");
        assertThat(lines("\n", 1)).containsExactly("");
    }

    @Property(tries = 200)
    void joiningTheLinesWithLfGivesTheInputWithCrlfAsLf(@ForAll @Size(max = 300) byte[] data,
                                                         @ForAll @IntRange(min = 1, max = 40) int step)
            throws IOException {
        LineReader r = new LineReader(trickle(data, step));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        byte[] line;
        while ((line = r.next()) != null) {
            joined.write(line);
            joined.write('\n');
        }
        String expected = new String(data, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        if (!expected.isEmpty() && !expected.endsWith("\n")) {
            expected += "\n";
        }
        assertThat(joined.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void asctimeDatesParseBackToTheSameInstant(@ForAll @IntRange(min = 0, max = 2_000_000_000) int seconds) {
        Instant t = Instant.ofEpochSecond(seconds * 2L);
        byte[] fromLine = ("From someone@example.org " + Mbox.asctime(t)).getBytes(StandardCharsets.US_ASCII);
        assertThat(Mbox.parseFromLineDate(fromLine)).isEqualTo(t);
    }
}
