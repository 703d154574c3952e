package dev.mailcore.smtp.internal;

import dev.mailcore.smtp.SmtpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the client sends, the session answers with well-formed replies and never throws. */
class SmtpRobustnessTest {
    private static final String SESSION = "EHLO client.example\r\nMAIL FROM:<a@client.example> SIZE=40\r\n"
            + "RCPT TO:<alice@example.org>\r\nDATA\r\nSubject: x\r\n\r\n..dot\r\n.\r\n"
            + "MAIL FROM:<>\r\nRCPT TO:<bob@example.org>\r\nBDAT 4\r\nab\r\nBDAT 0 LAST\r\nQUIT\r\n";

    private static SmtpConfig config(FakeStore store) {
        try {
            Path spool = Files.createTempDirectory("smtp-robust");
            spool.toFile().deleteOnExit();
            return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                    .executor(Runnable::run).spoolDirectory(spool).memoryThreshold(4)
                    .clock(java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> replies(SmtpTester smtp) {
        List<String> codes = new ArrayList<>();
        while (true) {
            List<String> reply;
            try {
                reply = smtp.nextReply();
            } catch (AssertionError end) {
                return codes;
            }
            for (String line : reply) {
                assertThat(line).matches("[2-5]\\d\\d[ -].*");
            }
            codes.add(reply.get(reply.size() - 1).substring(0, 3));
        }
    }

    @Test
    void byteByByteInputGetsTheSameAnswersAsOneBuffer() {
        FakeStore whole = new FakeStore();
        SmtpTester a = SmtpTester.connect(config(whole));
        a.sendRaw(SESSION);
        List<String> expected = replies(a);
        assertThat(expected).containsExactly("220", "250", "250", "250", "354", "250", "250", "250", "250", "250",
                "221");

        FakeStore split = new FakeStore();
        SmtpTester b = SmtpTester.connect(config(split));
        for (byte x : SESSION.getBytes(StandardCharsets.US_ASCII)) {
            b.sendBytes(new byte[] {x});
        }
        assertThat(replies(b)).isEqualTo(expected);
        assertThat(split.deliveries).hasSize(2);
        assertThat(split.deliveries.get(0).content()).isEqualTo(whole.deliveries.get(0).content());
        assertThat(split.deliveries.get(1).content()).endsWith("\r\nab\r\n");
    }

    @Property(tries = 300)
    void arbitraryInputNeverBreaksTheSession(@ForAll("noise") List<byte[]> chunks) {
        FakeStore store = new FakeStore();
        SmtpTester smtp = SmtpTester.connect(config(store));
        for (byte[] chunk : chunks) {
            if (!smtp.channel.isOpen()) {
                break;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(chunk);
            smtp.channel.writeInbound(buf); // rethrows anything a handler threw
            smtp.channel.runPendingTasks();
            smtp.channel.checkException();
        }
        assertThat(replies(smtp)).isNotEmpty().allMatch(code -> !code.equals("451"));
        smtp.channel.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<byte[]>> noise() {
        Arbitrary<byte[]> commands = Arbitraries.of("EHLO x\r\n", "HELO y\r\n", "MAIL FROM:<a@b.example>\r\n",
                "RCPT TO:<alice@example.org>\r\n", "RCPT TO:<x@remote.example>\r\n", "DATA\r\n", ".\r\n",
                "BDAT 3\r\n", "BDAT 0 LAST\r\n", "RSET\r\n", "NOOP\r\n", "AUTH PLAIN\r\n", "STARTTLS\r\n", "\r\n",
                "\n", "\r", "MAIL FROM:<δ@b.example> SMTPUTF8\r\n", "VRFY x\r\n")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, commands), net.jqwik.api.Tuple.of(1, random)).list().ofMaxSize(40);
    }
}
