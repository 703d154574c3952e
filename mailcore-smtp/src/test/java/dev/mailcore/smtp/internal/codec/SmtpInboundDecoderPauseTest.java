package dev.mailcore.smtp.internal.codec;

import dev.mailcore.smtp.internal.codec.DecoderHarness.Chunk;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpInboundDecoderPauseTest {

    private static final CommandLine QUIT = new CommandLine("QUIT", null);

    @TempDir
    Path dir;

    private static CommandLine ok(String text) {
        return new CommandLine(text, null);
    }

    @Test
    void holdsPipelinedCommandsWhilePausedAndDeliversThemOnResumeWithoutNewInput() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.onEvent = event -> {
            if (event.equals(ok("MAIL FROM:<a@example.org>"))) {
                harness.decoder.setPaused(true);
            }
        };
        harness.feed("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        assertThat(harness.events).containsExactly(ok("MAIL FROM:<a@example.org>"));
        assertThat(harness.channel.config().isAutoRead()).isFalse();
        assertThat(harness.decoder.pendingBytes()).isEqualTo(31);

        harness.feed("");
        assertThat(harness.events).hasSize(1);

        harness.decoder.setPaused(false);
        assertThat(harness.channel.config().isAutoRead()).isTrue();
        assertThat(harness.events).containsExactly(ok("MAIL FROM:<a@example.org>"), ok("RCPT TO:<b@example.org>"),
                ok("DATA"));
        assertThat(harness.decoder.pendingBytes()).isZero();
    }

    @Test
    void keepsInputArrivingWhilePausedForLater() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.decoder.setPaused(true);
        harness.feed("NOOP\r\nDATA\r\nx\r\n.\r\n");
        assertThat(harness.events).isEmpty();
        harness.decoder.setPaused(false);
        assertThat(harness.events).containsExactly(ok("NOOP"), ok("DATA"), new DecoderHarness.Data("x\r\n", null));
    }

    @Test
    void pausingAndResumingWhileHandlingAMessageDoesNotLoseOrReorderInput() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.onEvent = event -> {
            harness.decoder.setPaused(true);
            harness.decoder.setPaused(false);
        };
        harness.feed("A\r\nB\r\nBDAT 0\r\nC\r\n");
        assertThat(harness.events).containsExactly(ok("A"), ok("B"), ok("BDAT 0"), new Chunk("", 0, null), ok("C"));
    }

    @Test
    void pausingOnAnEmptyChunkHoldsTheFollowingCommands() {
        DecoderHarness harness = new DecoderHarness(dir);
        harness.onEvent = event -> {
            if (event instanceof Chunk) {
                harness.decoder.setPaused(true);
            }
        };
        harness.feed("BDAT 0 LAST\r\nQUIT\r\n");
        assertThat(harness.events).containsExactly(ok("BDAT 0 LAST"), new Chunk("", 0, null));
        harness.decoder.setPaused(false);
        assertThat(harness.events).containsExactly(ok("BDAT 0 LAST"), new Chunk("", 0, null), QUIT);
    }

    @Test
    void doesNotAskForMoreInputWhilePaused() {
        DecoderHarness harness = new DecoderHarness(dir);
        AtomicInteger readRequests = new AtomicInteger();
        harness.channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                readRequests.incrementAndGet();
                ctx.read();
            }
        });
        harness.decoder.setPaused(true);
        int before = readRequests.get();
        harness.feed("NOOP\r\nRSET");
        harness.feed("\r\n");
        assertThat(readRequests.get()).isEqualTo(before);
        assertThat(harness.events).isEmpty();
        harness.decoder.setPaused(false);
        assertThat(harness.events).containsExactly(ok("NOOP"), ok("RSET"));
    }
}
