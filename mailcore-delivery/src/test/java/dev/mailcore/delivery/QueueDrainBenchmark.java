package dev.mailcore.delivery;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.ReversePath;
import dev.mailcore.delivery.dns.NextHop;
import dev.mailcore.delivery.dns.StaticMxResolver;
import dev.mailcore.delivery.smtp.SmtpTransport;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Not a unit test: drains a queue of N (default 10,000) messages into a loopback mailcore SMTP receiver and compares
 * the drain rate with the rate at which the same receiver accepts the same messages sent directly (same transport,
 * same parallelism, no queue). Run with the test classpath:
 * {@code java -cp ... dev.mailcore.delivery.QueueDrainBenchmark [messages] [concurrency] [fsync]}.
 */
public final class QueueDrainBenchmark {
    private QueueDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean fsync = args.length <= 2 || Boolean.parseBoolean(args[2]);
        byte[] body = ("From: alice@example.org\r\nTo: bob@remote.test\r\nSubject: benchmark\r\n\r\n"
                + "x".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (LoopbackMx receiver = new LoopbackMx();
             SmtpTransport transport = SmtpTransport.builder().heloName("bench.example.org").port(receiver.port())
                     .mxResolver(StaticMxResolver.builder().mx("remote.test",
                             NextHop.of("mx.remote.test", InetAddress.getLoopbackAddress())).build())
                     .maxConnectionsPerDestination(concurrency)
                     .build()) {
            // 1. the receiver's own rate: the same messages sent directly with the same parallelism, after a warm-up
            for (int i = 0; i < Math.min(n, 2000); i++) {
                transport.deliver(envelope("bob"), MessageSource.of(body));
            }
            double directSeconds = direct(transport, n, concurrency, body);

            // 2. the queue: fill it (durably), then drain it
            Path spool = Files.createTempDirectory("mailcore-queue-bench");
            CountDownLatch done = new CountDownLatch(n);
            try (DeliveryQueue queue = DeliveryQueue.builder().spoolDirectory(spool).transport(transport)
                    .concurrency(concurrency).fsync(fsync).listener(new QueueListener() {
                        @Override
                        public void onRemoved(String queueId) {
                            done.countDown();
                        }
                    }).build()) {
                long e0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    queue.enqueue(envelope("bob"), MessageSource.of(body));
                }
                double enqueueSeconds = (System.nanoTime() - e0) / 1e9;
                long d0 = System.nanoTime();
                queue.start();
                if (!done.await(30, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("queue did not drain: " + queue.stats());
                }
                double drainSeconds = (System.nanoTime() - d0) / 1e9;
                double directAfter = direct(transport, n, concurrency, body);
                System.out.printf("messages: %d, size %d octets, concurrency %d, fsync %s%n", n, body.length,
                        concurrency, fsync);
                System.out.printf("receiver accepts directly: %.1f s, %.0f msg/s%n", directSeconds, n / directSeconds);
                System.out.printf("enqueue (durable):         %.1f s, %.0f msg/s%n", enqueueSeconds,
                        n / enqueueSeconds);
                System.out.printf("queue drain:               %.1f s, %.0f msg/s (%.0f%% of the receiver's rate)%n",
                        drainSeconds, n / drainSeconds, 100 * directSeconds / drainSeconds);
                System.out.printf("receiver accepts directly, measured again after the drain: %.1f s, %.0f msg/s%n",
                        directAfter, n / directAfter);
                System.out.printf("stats: %s%n", queue.stats());
            } finally {
                try (Stream<Path> files = Files.walk(spool)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Sends n messages straight through the transport from `concurrency` threads; the seconds it took. */
    private static double direct(SmtpTransport transport, int n, int concurrency, byte[] body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            fs.add(pool.submit(() -> {
                while (next.getAndIncrement() < n) {
                    DeliveryReport r = transport.deliver(envelope("bob"), MessageSource.of(body));
                    if (!r.allDelivered()) {
                        throw new IllegalStateException("direct delivery failed: " + r);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Envelope envelope(String local) {
        return new Envelope(ReversePath.of(MailAddress.parse("alice@example.org")),
                List.of(EnvelopeRecipient.of(MailAddress.parse(local + "@remote.test"))), MailParameters.NONE);
    }
}
