package dev.mailcore.smtp.internal.codec;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.mailcore.smtp.internal.codec.DecoderHarness.assertEventsAnyFeeding;
import static org.assertj.core.api.Assertions.assertThat;

class SmtpInboundDecoderCommandTest {

    @TempDir
    Path dir;

    private static CommandLine ok(String text) {
        return new CommandLine(text, null);
    }

    @Test
    void decodesPipelinedCommandsInOrder() {
        assertEventsAnyFeeding(dir, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nNOOP\r\n",
                ok("MAIL FROM:<a@example.org>"), ok("RCPT TO:<b@example.org>"), ok("RCPT TO:<c@example.org>"),
                ok("NOOP"));
    }

    @Test
    void waitsForTheLineEndBeforeEmitting() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("EHLO client.example");
        assertThat(harness.events).isEmpty();
        assertThat(harness.decoder.pendingBytes()).isEqualTo(19);
        harness.feed("\r\n");
        assertThat(harness.events).containsExactly(ok("EHLO client.example"));
        assertThat(harness.decoder.pendingBytes()).isZero();
    }

    @Test
    void emitsAnEmptyLineAsEmptyText() {
        assertEventsAnyFeeding(dir, "\r\nNOOP\r\n", ok(""), ok("NOOP"));
    }

    @Test
    void reportsALineEndingInBareLineFeed() {
        assertEventsAnyFeeding(dir, "NOOP\nQUIT\r\n",
                new CommandLine("NOOP", LineProblem.BARE_LF), ok("QUIT"));
    }

    @Test
    void reportsABareCarriageReturnInsideALine() {
        assertEventsAnyFeeding(dir, "NO\rOP\r\nQUIT\r\n",
                new CommandLine("NO\rOP", LineProblem.BARE_CR), ok("QUIT"));
    }

    @Test
    void reportsALoneCarriageReturnLineAsBareCarriageReturn() {
        assertEventsAnyFeeding(dir, "\r\r\nNOOP\r\n", new CommandLine("\r", LineProblem.BARE_CR), ok("NOOP"));
    }

    @Test
    void treatsACarriageReturnAtTheEndOfAReadAsUndecidedUntilTheNextOctet() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("NOOP\r");
        assertThat(harness.events).isEmpty();
        harness.feed("\nRSET\r");
        assertThat(harness.events).containsExactly(ok("NOOP"));
        harness.feed("\n");
        assertThat(harness.events).containsExactly(ok("NOOP"), ok("RSET"));
    }

    @Test
    void acceptsALineOfExactlyTheMaximumLength() {
        int max = 64;
        String line = "x".repeat(max - 2);
        assertEventsAnyFeeding(dir, max, 1000, bytes(line + "\r\nNOOP\r\n"), ok(line), ok("NOOP"));
    }

    @Test
    void reportsALineOneOctetTooLongAndDecodesTheNextLineNormally() {
        int max = 64;
        String line = "y".repeat(max - 1);
        assertEventsAnyFeeding(dir, max, 1000, bytes(line + "\r\nNOOP\r\n"),
                new CommandLine("y".repeat(max - 2), LineProblem.TOO_LONG), ok("NOOP"));
    }

    @Test
    void reportsALineWhoseCarriageReturnIsBeyondTheLimitAsTooLong() {
        int max = 64;
        // 63 content octets + CRLF = 65 octets: the LF is the first octet past the limit
        String line = "z".repeat(max - 1);
        assertEventsAnyFeeding(dir, max, 1000, bytes(line + "\r\n" + "a".repeat(max - 2) + "\r\n"),
                new CommandLine("z".repeat(max - 2), LineProblem.TOO_LONG), ok("a".repeat(max - 2)));
    }

    @Test
    void keepsMemoryBoundedWhileSkippingAHugeLine() {
        int max = 1000;
        DecoderHarness harness = new DecoderHarness(dir, max, 1024, 1000);
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'A');
        int maxPending = 0;
        for (int sent = 0; sent < 1024 * 1024; sent += chunk.length) {
            harness.channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            maxPending = Math.max(maxPending, harness.decoder.pendingBytes());
        }
        assertThat(maxPending).isLessThan(max);
        assertThat(harness.events).isEmpty();
        harness.feed("AAAA\r\nQUIT\r\n");
        assertThat(harness.events).containsExactly(new CommandLine("A".repeat(max - 2), LineProblem.TOO_LONG),
                ok("QUIT"));
        assertThat(harness.decoder.pendingBytes()).isZero();
    }

    @Test
    void keepsMemoryBoundedWhenAHugeLineArrivesInTinyReads() {
        int max = 100;
        DecoderHarness harness = new DecoderHarness(dir, max, 1024, 1000);
        int maxPending = 0;
        for (int i = 0; i < 100_000; i++) {
            harness.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'B', 'C', 'D'}));
            maxPending = Math.max(maxPending, harness.decoder.pendingBytes());
        }
        assertThat(maxPending).isLessThan(max);
        harness.feed("\r\n");
        assertThat(harness.events).hasSize(1);
        assertThat(harness.events.get(0)).extracting("problem").isEqualTo(LineProblem.TOO_LONG);
    }

    @Test
    void cutsATooLongLineOnACharacterBoundary() {
        int max = 10;
        // 7 ASCII octets, then "é" (2 octets) would straddle the cut after 8 octets
        byte[] input = bytes("abcdefgé\u00e9\u00e9\r\nNOOP\r\n");
        assertEventsAnyFeeding(dir, max, 1000, input, new CommandLine("abcdefg", LineProblem.TOO_LONG), ok("NOOP"));
    }

    @Test
    void reportsInvalidUtf8() {
        byte[] input = concat(bytes("MAIL FROM:<"), new byte[] {(byte) 0xC3, (byte) 0x28}, bytes(">\r\nNOOP\r\n"));
        assertEventsAnyFeeding(dir, 512, 1000, input,
                new CommandLine("MAIL FROM:<\uFFFD(>", LineProblem.BAD_ENCODING), ok("NOOP"));
    }

    @Test
    void reportsAnOverlongUtf8EncodingAsInvalid() {
        byte[] input = concat(bytes("RCPT TO:<"), new byte[] {(byte) 0xC0, (byte) 0xAF}, bytes(">\r\n"));
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed(input, DecoderHarness.WHOLE);
        assertThat(harness.events).singleElement().extracting("problem").isEqualTo(LineProblem.BAD_ENCODING);
    }

    @Test
    void decodesUtf8AddressesForSmtputf8() {
        assertEventsAnyFeeding(dir, "MAIL FROM:<θσερ@παράδειγμα.ελ> SMTPUTF8\r\nRCPT TO:<用户@例子.广告>\r\n",
                ok("MAIL FROM:<θσερ@παράδειγμα.ελ> SMTPUTF8"), ok("RCPT TO:<用户@例子.广告>"));
    }

    @Test
    void reportsDiscardedOctetsAndStartsAfreshAfterDiscardPending() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.onEvent = event -> {
            if (event.equals(ok("STARTTLS"))) {
                assertThat(harness.decoder.discardPending()).isEqualTo(6);
            }
        };
        harness.feed("STARTTLS\r\nNOOP\r\n");
        assertThat(harness.events).containsExactly(ok("STARTTLS"));
        assertThat(harness.decoder.pendingBytes()).isZero();
        harness.feed("EHLO x\r\n");
        assertThat(harness.events).containsExactly(ok("STARTTLS"), ok("EHLO x"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }
}
