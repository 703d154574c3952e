package dev.mailcore.smtp.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the DATA decoder: a dot-stuffed message of {@code size} octets is fed through
 * {@link SmtpInboundDecoder} in an {@link EmbeddedChannel}, in reads of at most 64 KiB (like a socket; heap or pooled
 * direct buffers), into a heap spool. Not a unit test: run {@link #main} (arguments: warm-up and measurement iterations, seconds each), e.g. with
 * the test class path of mailcore-smtp. Prints the score in MB/s of wire octets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DataDecoderBenchmark {

    private static final int READ_SIZE = 64 * 1024;

    @Param({"4096", "1048576"})
    public int size;

    /** "heap": unpooled heap reads; "direct": pooled direct reads, as a socket channel delivers them. */
    @Param({"heap", "direct"})
    public String buffers;

    private ByteBuf[] reads;
    private Path directory;
    private MessageSpool spool;
    private SmtpInboundDecoder decoder;
    private EmbeddedChannel channel;
    private long completed;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[] wire = message(size, new Random(1));
        reads = new ByteBuf[(wire.length + READ_SIZE - 1) / READ_SIZE];
        for (int i = 0; i < reads.length; i++) {
            int offset = i * READ_SIZE;
            int length = Math.min(READ_SIZE, wire.length - offset);
            reads[i] = buffers.equals("direct") ? PooledByteBufAllocator.DEFAULT.directBuffer(length)
                    : Unpooled.buffer(length);
            reads[i].writeBytes(wire, offset, length);
        }
        directory = Files.createTempDirectory("codec-bench");
        spool = new MessageSpool(directory, 8 * 1024 * 1024, 64L * 1024 * 1024);
        decoder = new SmtpInboundDecoder(1000);
        channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DataComplete done = (DataComplete) msg;
                if (done.error() != null || done.spool().size() == 0) {
                    throw new IllegalStateException("benchmark message decoded badly: " + done.error());
                }
                completed++;
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.finishAndReleaseAll();
        for (ByteBuf read : reads) {
            read.release();
        }
        spool.close();
        Files.deleteIfExists(directory);
    }

    /** One whole message through the decoder; returns the messages completed so far (so nothing is eliminated). */
    @Benchmark
    public long decodeMessage() {
        spool.reset();
        decoder.beginData(spool);
        for (ByteBuf read : reads) {
            // the decoder releases what it consumed; the duplicate shares our buffer and keeps it alive
            channel.writeInbound(read.retainedDuplicate());
        }
        return completed;
    }

    /** A dot-stuffed message of about {@code size} octets with lines of 1 to 78 octets, then the terminator. */
    static byte[] message(int size, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-=".getBytes(
                StandardCharsets.US_ASCII);
        while (out.size() < size - 3) {
            int length = Math.min(1 + random.nextInt(78), Math.max(1, size - 3 - out.size() - 2));
            if (random.nextInt(20) == 0) {
                out.write('.'); // a line starting with "." is sent stuffed
                out.write('.');
                length--;
            }
            for (int i = 0; i < length; i++) {
                byte b = alphabet[random.nextInt(alphabet.length)];
                if (i == 0 && b == '.') {
                    out.write('.');
                }
                out.write(b);
            }
            out.write('\r');
            out.write('\n');
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Runs the benchmark and prints MB/s per message size.
     *
     * @param args optional: warm-up iterations, measurement iterations, seconds per iteration
     */
    public static void main(String[] args) throws RunnerException {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Options options = new OptionsBuilder()
                .include(DataDecoderBenchmark.class.getName() + ".decodeMessage")
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(seconds))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        for (RunResult result : results) {
            int messageSize = Integer.parseInt(result.getParams().getParam("size"));
            int wireSize = message(messageSize, new Random(1)).length;
            double opsPerSecond = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            System.out.printf("DATA decoder, %d-octet message, %s reads: %.0f msg/s = %.1f MB/s (± %.1f)%n",
                    messageSize, result.getParams().getParam("buffers"), opsPerSecond, opsPerSecond * wireSize / 1e6,
                    error * wireSize / 1e6);
        }
    }
}
