package dev.mailcore.smtp.internal.codec;

import dev.mailcore.smtp.internal.codec.DecoderHarness.Data;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.mailcore.smtp.internal.codec.DecoderHarness.assertEventsAnyFeeding;
import static org.assertj.core.api.Assertions.assertThat;

class SmtpInboundDecoderDataTest {

    private static final CommandLine DATA = new CommandLine("DATA", null);
    private static final CommandLine QUIT = new CommandLine("QUIT", null);

    @TempDir
    Path dir;

    @Test
    void readsAMessageThatEndsRightAfterTheFinalDot() {
        assertEventsAnyFeeding(dir, "DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\n",
                DATA, new Data("Subject: hi\r\n\r\nbody\r\n", null));
    }

    @Test
    void decodesTheCommandAfterTheMessageInTheSameRead() {
        assertEventsAnyFeeding(dir, "DATA\r\nhello\r\n.\r\nQUIT\r\n", DATA, new Data("hello\r\n", null), QUIT);
    }

    @Test
    void readsAnEmptyMessage() {
        assertEventsAnyFeeding(dir, "DATA\r\n.\r\nQUIT\r\n", DATA, new Data("", null), QUIT);
    }

    @Test
    void unstuffsLoneDotLines() {
        assertEventsAnyFeeding(dir, "DATA\r\n..\r\na\r\n..\r\n.\r\n", DATA, new Data(".\r\na\r\n.\r\n", null));
    }

    @Test
    void removesTheStuffedLeadingDot() {
        assertEventsAnyFeeding(dir, "DATA\r\n..x\r\n...y\r\nz.\r\n .\r\n.\r\n",
                DATA, new Data(".x\r\n..y\r\nz.\r\n .\r\n", null));
    }

    @Test
    void removesALeadingDotThatDoesNotStartATerminator() {
        // RFC 5321 §4.5.2: the first character of every line that starts with a period is deleted
        assertEventsAnyFeeding(dir, "DATA\r\n.x\r\n.\r\n", DATA, new Data("x\r\n", null));
    }

    @Test
    void keepsDotsThatAreNotAtTheStartOfALine() {
        assertEventsAnyFeeding(dir, "DATA\r\na.\r\n\r\n.\r\n", DATA, new Data("a.\r\n\r\n", null));
    }

    @Test
    void acceptsALineOf998OctetsPlusCrlf() {
        String line = "x".repeat(998);
        assertEventsAnyFeeding(dir, "DATA\r\n" + line + "\r\n.\r\nQUIT\r\n", DATA, new Data(line + "\r\n", null), QUIT);
    }

    @Test
    void doesNotCountTheStuffedDotInTheLineLength() {
        String line = "." + "x".repeat(997);
        assertEventsAnyFeeding(dir, "DATA\r\n." + line + "\r\n.\r\n", DATA, new Data(line + "\r\n", null));
    }

    @Test
    void reportsALineOf999OctetsPlusCrlfAsTooLong() {
        String line = "x".repeat(999);
        assertEventsAnyFeeding(dir, "DATA\r\na\r\n" + line + "\r\nb\r\n.\r\nQUIT\r\n",
                DATA, new Data("a\r\n" + line + "\r\nb\r\n", DataError.LINE_TOO_LONG), QUIT);
    }

    @Test
    void doesNotEndAtLineFeedDotLineFeed() {
        assertEventsAnyFeeding(dir, "DATA\r\nabc\n.\nMAIL FROM:<evil@example.org>\r\n.\r\nQUIT\r\n",
                DATA, new Data("abc\n.\nMAIL FROM:<evil@example.org>\r\n", DataError.BARE_LF), QUIT);
    }

    @Test
    void doesNotEndAtCarriageReturnDotCarriageReturn() {
        assertEventsAnyFeeding(dir, "DATA\r\nabc\r.\rMAIL FROM:<evil@example.org>\r\n.\r\nQUIT\r\n",
                DATA, new Data("abc\r.\rMAIL FROM:<evil@example.org>\r\n", DataError.BARE_CR), QUIT);
    }

    @Test
    void doesNotEndAtLineFeedDotCrlf() {
        assertEventsAnyFeeding(dir, "DATA\r\nabc\n.\r\nMAIL FROM:<evil@example.org>\r\n.\r\nQUIT\r\n",
                DATA, new Data("abc\n.\r\nMAIL FROM:<evil@example.org>\r\n", DataError.BARE_LF), QUIT);
    }

    @Test
    void doesNotEndAtCrlfDotLineFeed() {
        assertEventsAnyFeeding(dir, "DATA\r\nabc\r\n.\nMAIL FROM:<evil@example.org>\r\n.\r\nQUIT\r\n",
                DATA, new Data("abc\r\n\nMAIL FROM:<evil@example.org>\r\n", DataError.BARE_LF), QUIT);
    }

    @Test
    void doesNotEndAtCrlfDotCarriageReturnWithoutLineFeed() {
        assertEventsAnyFeeding(dir, "DATA\r\nabc\r\n.\rRSET\r\n.\r\nQUIT\r\n",
                DATA, new Data("abc\r\n\rRSET\r\n", DataError.BARE_CR), QUIT);
    }

    @Test
    void doesNotEndAtBareLineFeedsAroundADotAtTheVeryStart() {
        assertEventsAnyFeeding(dir, "DATA\r\n.\n.\r\nQUIT\r\n.\r\n",
                DATA, new Data("\n.\r\nQUIT\r\n", DataError.BARE_LF));
    }

    @Test
    void reportsABareLineFeedOnlyAfterTheRealEnd() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("DATA\r\nline\nmore\r\n");
        assertThat(harness.events).containsExactly(DATA);
        harness.feed(".\r\n");
        assertThat(harness.events).containsExactly(DATA, new Data("line\nmore\r\n", DataError.BARE_LF));
    }

    @Test
    void reportsTheFirstErrorFound() {
        assertEventsAnyFeeding(dir, "DATA\r\na\rb\r\nc\nd\r\n" + "x".repeat(1200) + "\r\n.\r\n",
                DATA, new Data("a\rb\r\nc\nd\r\n" + "x".repeat(1200) + "\r\n", DataError.BARE_CR));
        assertEventsAnyFeeding(dir, "DATA\r\n" + "x".repeat(1200) + "\r\nc\nd\r\n.\r\n",
                DATA, new Data("x".repeat(1200) + "\r\nc\nd\r\n", DataError.LINE_TOO_LONG));
    }

    @Test
    void reportsTooBigAndCapsTheSpoolAtTheLimit() {
        String content = "0123456789\r\n".repeat(10);
        byte[] input = ("DATA\r\n" + content + ".\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII);
        assertEventsAnyFeeding(dir, 512, 50, input, DATA, new Data(content.substring(0, 50), DataError.TOO_BIG), QUIT);
    }

    @Test
    void reportsTooBigWhenTheOverflowComesBeforeABareLineFeed() {
        byte[] input = "DATA\r\n0123456789\r\nabc\ndef\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEventsAnyFeeding(dir, 512, 5, input, DATA, new Data("01234", DataError.TOO_BIG));
    }

    @Test
    void acceptsAMessageOfExactlyTheMaximumSize() {
        byte[] input = "DATA\r\n0123456\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEventsAnyFeeding(dir, 512, 9, input, DATA, new Data("0123456\r\n", null));
    }

    @Test
    void readsSeveralMessagesOnOneConnection() {
        assertEventsAnyFeeding(dir, "DATA\r\none\r\n.\r\nDATA\r\n..two\r\n.\r\nQUIT\r\n",
                DATA, new Data("one\r\n", null), DATA, new Data(".two\r\n", null), QUIT);
    }

    @Test
    void spoolsALargeMessageToAFileWithoutHoldingItInTheCumulation() {
        DecoderHarness harness = new DecoderHarness(dir, 512, 1024, 10_000_000);
        harness.feed("DATA\r\n");
        StringBuilder expected = new StringBuilder();
        String line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\r\n";
        int maxPending = 0;
        for (int i = 0; i < 20_000; i++) {
            String wire = (i % 7 == 0 ? "." : "") + line;
            expected.append(line);
            harness.feed(wire);
            maxPending = Math.max(maxPending, harness.decoder.pendingBytes());
        }
        harness.feed(".\r\n");
        assertThat(maxPending).isLessThanOrEqualTo(2);
        assertThat(harness.spools).singleElement().satisfies(spool -> assertThat(spool.usesFile()).isTrue());
        assertThat(harness.events).containsExactly(DATA, new Data(expected.toString(), null));
    }

    @Test
    void reportsTooBigWhenTheSpoolCannotWriteItsFile() {
        Path missing = dir.resolve("no-such-directory");
        DecoderHarness harness = new DecoderHarness(missing, 512, 4, 1000);
        harness.feed("DATA\r\n0123456789\r\n.\r\nQUIT\r\n");
        assertThat(harness.events).containsExactly(DATA, new Data("0123", DataError.TOO_BIG), QUIT);
        assertThat(harness.spools).singleElement().satisfies(spool -> {
            assertThat(spool.failure()).isNotNull();
            assertThat(spool.overflowed()).isFalse();
        });
    }

    @Test
    void emitsNothingWhenTheConnectionClosesInsideData() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("DATA\r\npartial\r\n.");
        assertThat(harness.channel.finish()).isFalse();
        assertThat(harness.events).containsExactly(DATA);
    }

    @Test
    void holdsBackOnlyAPossibleTerminatorPrefix() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("DATA\r\nabc\r\n.");
        assertThat(harness.decoder.pendingBytes()).isEqualTo(1);
        harness.feed("\r");
        assertThat(harness.decoder.pendingBytes()).isEqualTo(2);
        harness.feed("x\r");
        assertThat(harness.decoder.pendingBytes()).isEqualTo(1);
        harness.feed("\n.\r\n");
        assertThat(harness.events).containsExactly(DATA, new Data("abc\r\n\rx\r\n", DataError.BARE_CR));
    }

    @Test
    void decodesPooledDirectBuffersLikeHeapBuffers() {
        String input = "NOOP\r\nDATA\r\n..a\r\nb\nc\r\n.\r\nBDAT 5 LAST\r\n\r\n.\r\nQUIT\r\n";
        List<Object> expected = List.of(new CommandLine("NOOP", null), DATA, new Data(".a\r\nb\nc\r\n", DataError.BARE_LF),
                new CommandLine("BDAT 5 LAST", null), new DecoderHarness.Chunk("\r\n.\r\n", 5, null), QUIT);
        for (DecoderHarness.Feeding feeding : DecoderHarness.allFeedings()) {
            DecoderHarness harness = new DecoderHarness(dir);
            harness.directBuffers = true;
            harness.feed(input.getBytes(StandardCharsets.US_ASCII), feeding);
            assertThat(harness.events).isEqualTo(expected);
            assertThat(harness.channel.finish()).isFalse();
        }
    }
}
