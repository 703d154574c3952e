package dev.mailcore.smtp.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Drives a {@link SmtpInboundDecoder} in an {@link EmbeddedChannel} like a session would: "DATA" starts DATA mode,
 * "BDAT n" reads a chunk, each with a fresh spool. Events are recorded as comparable values.
 */
final class DecoderHarness {

    /** A DataComplete with the spool read back (ISO-8859-1, so every octet is one char). */
    record Data(String content, DataError error) {
    }

    /** A ChunkComplete with the spool read back. */
    record Chunk(String content, long size, DataError error) {
    }

    /** How input is cut into reads. */
    interface Feeding {
        List<byte[]> split(byte[] input);
    }

    static final Feeding WHOLE = input -> List.of(input);

    static final Feeding BYTE_BY_BYTE = input -> {
        List<byte[]> parts = new ArrayList<>();
        for (byte b : input) {
            parts.add(new byte[] {b});
        }
        return parts;
    };

    static Feeding random(long seed) {
        return input -> {
            Random random = new Random(seed);
            List<byte[]> parts = new ArrayList<>();
            int i = 0;
            while (i < input.length) {
                int n = Math.min(input.length - i, 1 + random.nextInt(random.nextBoolean() ? 4 : 64));
                byte[] part = new byte[n];
                System.arraycopy(input, i, part, 0, n);
                parts.add(part);
                i += n;
            }
            return parts;
        };
    }

    final SmtpInboundDecoder decoder;
    final EmbeddedChannel channel;
    final List<Object> events = new ArrayList<>();
    final List<MessageSpool> spools = new ArrayList<>();
    private final Path directory;
    private final int memoryThreshold;
    private final long maxSize;
    Consumer<Object> onEvent = event -> { };
    /** Feed pooled direct buffers (as a socket does) instead of heap buffers. */
    boolean directBuffers;

    DecoderHarness(Path directory, int maxLineLength, int memoryThreshold, long maxSize) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
        this.maxSize = maxSize;
        this.decoder = new SmtpInboundDecoder(maxLineLength);
        this.channel = new EmbeddedChannel(decoder, new Recorder());
    }

    DecoderHarness(Path directory) {
        this(directory, 512, 1024, 10_000_000);
    }

    void feed(byte[] input, Feeding feeding) {
        for (byte[] part : feeding.split(input)) {
            // a copy: ByteToMessageDecoder may compact a wrapped array in place
            if (directBuffers) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(part.length);
                channel.writeInbound(buf.writeBytes(part));
            } else {
                channel.writeInbound(Unpooled.copiedBuffer(part));
            }
        }
        channel.checkException();
    }

    void feed(String input) {
        feed(input.getBytes(StandardCharsets.UTF_8), WHOLE);
    }

    /** Runs {@code input} through a fresh harness with {@code feeding} and returns the events. */
    static List<Object> run(Path directory, int maxLineLength, long maxSize, byte[] input, Feeding feeding) {
        DecoderHarness harness = new DecoderHarness(directory, maxLineLength, 64, maxSize);
        harness.feed(input, feeding);
        harness.channel.finishAndReleaseAll();
        for (MessageSpool spool : harness.spools) {
            spool.close();
        }
        return harness.events;
    }

    /** Every feeding used by the "same events however fragmented" assertions. */
    static List<Feeding> allFeedings() {
        List<Feeding> feedings = new ArrayList<>(List.of(WHOLE, BYTE_BY_BYTE));
        for (long seed = 1; seed <= 20; seed++) {
            feedings.add(random(seed));
        }
        return feedings;
    }

    /** Asserts that {@code input} gives exactly {@code expected} whole, byte by byte and in random fragments. */
    static void assertEventsAnyFeeding(Path directory, int maxLineLength, long maxSize, byte[] input,
                                       Object... expected) {
        List<Feeding> feedings = allFeedings();
        for (int i = 0; i < feedings.size(); i++) {
            List<Object> events = run(directory, maxLineLength, maxSize, input, feedings.get(i));
            org.assertj.core.api.Assertions.assertThat(events)
                    .as("feeding #%d (0 = whole, 1 = byte by byte, else random)", i)
                    .containsExactly(expected);
        }
    }

    static void assertEventsAnyFeeding(Path directory, String input, Object... expected) {
        assertEventsAnyFeeding(directory, 512, 10_000_000, input.getBytes(StandardCharsets.UTF_8), expected);
    }

    static String read(MessageSpool spool) {
        try (InputStream in = spool.toSource(new byte[0]).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MessageSpool newSpool() {
        MessageSpool spool = new MessageSpool(directory, memoryThreshold, maxSize);
        spools.add(spool);
        return spool;
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Object event;
            if (msg instanceof CommandLine line) {
                event = line;
                events.add(line);
                String verb = line.text().toUpperCase(Locale.ROOT);
                if (line.problem() == null && verb.equals("DATA")) {
                    decoder.beginData(newSpool());
                } else if (line.problem() == null && verb.startsWith("BDAT ")) {
                    decoder.beginChunk(newSpool(), Long.parseLong(verb.substring(5).trim().split(" ")[0]));
                }
            } else if (msg instanceof DataComplete done) {
                event = new Data(read(done.spool()), done.error());
                events.add(event);
            } else if (msg instanceof ChunkComplete done) {
                event = new Chunk(read(done.spool()), done.chunkSize(), done.error());
                events.add(event);
            } else {
                throw new AssertionError("unexpected message " + msg);
            }
            onEvent.accept(event);
        }
    }
}
