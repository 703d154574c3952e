package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.imap.internal.command.SearchKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmark (not a unit test) of the performance target: FETCH 1:* ENVELOPE and SEARCH SUBJECT over
 * 1,000 messages, cold (parse every message) and warm (from the {@link MessageCache}). Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main MessageBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageBenchmark {

    private final List<byte[]> messages = new ArrayList<>();
    private final MessageCache cache = new MessageCache();
    private final SearchContext context = new SearchContext(1000, 1000, uid -> false, Instant.now(), ZoneOffset.UTC);

    @Setup
    public void setUp() throws IOException {
        for (int i = 0; i < 1000; i++) {
            messages.add(message(i));
            byte[] raw = messages.get(i);
            cache.get("u", "INBOX", 1, i + 1, () -> MessageSource.of(raw));
        }
    }

    static byte[] message(int i) {
        StringBuilder b = new StringBuilder();
        b.append("Received: from mx").append(i).append(".example.org (mx.example.org [192.0.2.1])\r\n")
                .append("\tby mail.example.com with ESMTPS id ").append(i).append("\r\n")
                .append("From: Sender ").append(i).append(" <sender").append(i).append("@example.org>\r\n")
                .append("To: user@example.com, \"Other Person\" <other@example.com>\r\n")
                .append("Subject: Re: [list] message number ").append(i).append("\r\n")
                .append("Date: Mon, 1 Jan 2024 10:").append(String.format("%02d", i % 60)).append(":00 +0000\r\n")
                .append("Message-ID: <").append(i).append("@example.org>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/alternative; boundary=\"b").append(i).append("\"\r\n\r\n")
                .append("--b").append(i).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        for (int l = 0; l < 40; l++) {
            b.append("Line ").append(l).append(" of a plain text body with a few words in it.\r\n");
        }
        b.append("\r\n--b").append(i).append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");
        for (int l = 0; l < 40; l++) {
            b.append("<p>Line ").append(l).append(" of an html body with a few words in it.</p>\r\n");
        }
        b.append("\r\n--b").append(i).append("--\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public void envelopeCold(Blackhole bh) {
        for (byte[] m : messages) {
            bh.consume(MessageParser.parse(m).envelope());
        }
    }

    @Benchmark
    public void envelopeCached(Blackhole bh) throws IOException {
        for (int i = 0; i < messages.size(); i++) {
            bh.consume(cache.get("u", "INBOX", 1, i + 1, () -> {
                throw new AssertionError("cached");
            }).envelope());
        }
    }

    @Benchmark
    public void searchSubjectCached(Blackhole bh) throws IOException {
        SearchKey key = new SearchKey.Header("SUBJECT", "number 99");
        for (int i = 0; i < messages.size(); i++) {
            ParsedMessage p = cache.getIfPresent("u", "INBOX", 1, i + 1);
            byte[] raw = messages.get(i);
            long seq = i + 1;
            SearchCandidate c = new SearchCandidate() {
                @Override
                public long sequence() {
                    return seq;
                }

                @Override
                public MessageMeta meta() {
                    return new MessageMeta(seq, 1, raw.length, Instant.EPOCH, Flags.NONE);
                }

                @Override
                public boolean recent() {
                    return false;
                }

                @Override
                public ParsedMessage parsed() {
                    return p;
                }

                @Override
                public MessageSource raw() {
                    return MessageSource.of(raw);
                }
            };
            bh.consume(Search.matches(key, c, context));
        }
    }
}
