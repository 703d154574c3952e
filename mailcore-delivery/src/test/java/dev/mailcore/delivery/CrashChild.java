package dev.mailcore.delivery;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link QueueCrashResumeIT} kills: opens a queue on a spool and drains it into a "remote" that appends
 * each accepted recipient to a log file (the remote's own record, which survives the kill) and then prints
 * {@code ACCEPTED address} on stdout. Never exits by itself.
 *
 * <p>Once it has accepted {@code blockAfter} recipients, the remote stops answering after logging (the worker
 * blocks): those messages are accepted by the remote but never recorded by the queue, the case where a crash may
 * lead to a second delivery.
 *
 * <p>Arguments: spool directory, remote log file, concurrency, blockAfter.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        Path log = Path.of(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int blockAfter = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (RemoteLog remote = new RemoteLog(log, out, blockAfter);
             DeliveryQueue queue = DeliveryQueue.builder().spoolDirectory(spool).transport(remote)
                     .concurrency(concurrency).build()) {
            queue.start();
            out.println("STARTED");
            new CountDownLatch(1).await(); // until killed
        }
    }

    /** A fake remote that records what it accepted in an append-only file before answering 250. */
    static final class RemoteLog implements Transport, AutoCloseable {
        private final FileChannel channel;
        private final PrintStream out;
        private final int blockAfter;
        private final java.util.concurrent.atomic.AtomicInteger accepted =
                new java.util.concurrent.atomic.AtomicInteger();

        RemoteLog(Path file, PrintStream out, int blockAfter) throws IOException {
            this.blockAfter = blockAfter;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            this.out = out;
        }

        @Override
        public DeliveryReport deliver(dev.mailcore.api.Envelope envelope, dev.mailcore.api.MessageSource content) {
            List<RecipientOutcome> outcomes = new ArrayList<>();
            for (EnvelopeRecipient r : envelope.recipients()) {
                String line = r.address() + "\n";
                try {
                    synchronized (this) {
                        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (out != null) {
                    out.println("ACCEPTED " + r.address());
                }
                if (accepted.incrementAndGet() >= blockAfter) {
                    try {
                        new CountDownLatch(1).await(); // the remote hangs after accepting: killed in this state
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                outcomes.add(new RecipientOutcome(r.address(), DeliveryStatus.DELIVERED,
                        SmtpReply.of(250, "2.0.0", "Ok")));
            }
            return new DeliveryReport(outcomes);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
