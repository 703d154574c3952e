package dev.mailcore.smtp.internal.codec;

import dev.mailcore.smtp.internal.codec.DecoderHarness.Chunk;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mailcore.smtp.internal.codec.DecoderHarness.assertEventsAnyFeeding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpInboundDecoderChunkTest {

    private static final CommandLine QUIT = new CommandLine("QUIT", null);

    @TempDir
    Path dir;

    private static CommandLine ok(String text) {
        return new CommandLine(text, null);
    }

    @Test
    void completesAnEmptyChunkWithoutFurtherInput() {
        assertEventsAnyFeeding(dir, "BDAT 0 LAST\r\n", ok("BDAT 0 LAST"), new Chunk("", 0, null));
    }

    @Test
    void deliversAnEmptyChunkBeforeThePipelinedCommandAfterIt() {
        assertEventsAnyFeeding(dir, "BDAT 0 LAST\r\nQUIT\r\n", ok("BDAT 0 LAST"), new Chunk("", 0, null), QUIT);
    }

    @Test
    void readsAOneOctetChunk() {
        assertEventsAnyFeeding(dir, "BDAT 1 LAST\r\nXQUIT\r\n", ok("BDAT 1 LAST"), new Chunk("X", 1, null), QUIT);
    }

    @Test
    void keepsChunkContentVerbatim() {
        String content = "a\r\n.\r\nb\nc\r..d\r\n.\r\n";
        assertEventsAnyFeeding(dir, "BDAT " + content.length() + "\r\n" + content + "QUIT\r\n",
                ok("BDAT " + content.length()), new Chunk(content, content.length(), null), QUIT);
    }

    @Test
    void readsSeveralChunksOfOneMessage() {
        assertEventsAnyFeeding(dir, "BDAT 3\r\nabcBDAT 2 LAST\r\nde",
                ok("BDAT 3"), new Chunk("abc", 3, null), ok("BDAT 2 LAST"), new Chunk("de", 2, null));
    }

    @Test
    void readsAChunkSplitAcrossManyReads() {
        byte[] content = new byte[200_000];
        new Random(42).nextBytes(content);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        byte[] input = ("BDAT 200000 LAST\r\n" + text + "QUIT\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEventsAnyFeeding(dir, 512, 10_000_000, input,
                ok("BDAT 200000 LAST"), new Chunk(text, 200_000, null), QUIT);
    }

    @Test
    void reportsTooBigWhenAChunkOverflowsTheSpool() {
        byte[] input = "BDAT 8 LAST\r\n12345678QUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEventsAnyFeeding(dir, 512, 5, input, ok("BDAT 8 LAST"), new Chunk("12345", 8, DataError.TOO_BIG), QUIT);
    }

    @Test
    void firesAnEmptyChunkAtOnceWhenStartedOutsideARead(@TempDir Path spoolDir) {
        DecoderHarness harness = new DecoderHarness(dir);
        AtomicInteger readCompletes = new AtomicInteger();
        harness.channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                readCompletes.incrementAndGet();
            }
        });
        try (MessageSpool spool = new MessageSpool(spoolDir, 16, 100)) {
            harness.decoder.beginChunk(spool, 0);
            assertThat(harness.events).containsExactly(new Chunk("", 0, null));
            assertThat(readCompletes).hasValue(1);
        }
        harness.feed("QUIT\r\n");
        assertThat(harness.events).containsExactly(new Chunk("", 0, null), QUIT);
    }

    @Test
    void keepsNothingBufferedWhileReadingALargeChunk() {
        DecoderHarness harness = new DecoderHarness(dir, 512, 1024, 10_000_000);
        harness.feed("BDAT 1000000 LAST\r\n");
        byte[] read = new byte[10_000];
        Arrays.fill(read, (byte) '\n');
        for (int i = 0; i < 100; i++) {
            harness.channel.writeInbound(Unpooled.wrappedBuffer(read));
            assertThat(harness.decoder.pendingBytes()).isZero();
        }
        harness.feed("QUIT\r\n");
        assertThat(harness.events).hasSize(3);
        assertThat(harness.events.get(1)).isEqualTo(new Chunk("\n".repeat(1_000_000), 1_000_000, null));
        assertThat(harness.events.get(2)).isEqualTo(QUIT);
    }

    @Test
    void refusesToStartContentWhileAlreadyReadingContent(@TempDir Path spoolDir) {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.feed("BDAT 10\r\nabc");
        try (MessageSpool spool = new MessageSpool(spoolDir, 16, 100)) {
            assertThatThrownBy(() -> harness.decoder.beginData(spool)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> harness.decoder.beginChunk(spool, -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
