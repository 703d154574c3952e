package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCacheTest {

    private final AtomicInteger loads = new AtomicInteger();

    private Supplier<MessageSource> source(String subject) {
        return () -> {
            loads.incrementAndGet();
            return MessageSource.of(Mail.crlf("Subject: " + subject, "", "body"));
        };
    }

    @Test
    void parsesOnAMissAndServesHitsFromMemory() throws IOException {
        MessageCache cache = new MessageCache();
        ParsedMessage first = cache.get("u", "INBOX", 1, 10, source("one"));
        ParsedMessage again = cache.get("u", "INBOX", 1, 10, source("ignored"));
        assertThat(again).isSameAs(first);
        assertThat(first.baseSubject()).isEqualTo("one");
        assertThat(loads).hasValue(1);
        assertThat(cache.getIfPresent("u", "INBOX", 1, 10)).isSameAs(first);
        assertThat(cache.getIfPresent("u", "INBOX", 2, 10)).isNull();
    }

    @Test
    void keysByUserMailboxUidValidityAndUid() throws IOException {
        MessageCache cache = new MessageCache();
        cache.get("u", "INBOX", 1, 10, source("a"));
        assertThat(cache.get("v", "INBOX", 1, 10, source("b")).baseSubject()).isEqualTo("b");
        assertThat(cache.get("u", "Sent", 1, 10, source("c")).baseSubject()).isEqualTo("c");
        assertThat(cache.get("u", "INBOX", 2, 10, source("d")).baseSubject()).isEqualTo("d");
        assertThat(cache.get("u", "INBOX", 1, 11, source("e")).baseSubject()).isEqualTo("e");
        assertThat(cache.size()).isEqualTo(5);
    }

    @Test
    void staysWithinItsBoundAndKeepsRecentlyUsedEntries() throws IOException {
        MessageCache cache = new MessageCache(100);
        cache.get("u", "INBOX", 1, 1, source("hot"));
        for (int uid = 2; uid <= 300; uid++) {
            cache.get("u", "INBOX", 1, uid, source("m" + uid));
            cache.get("u", "INBOX", 1, 1, source("hot")); // keep it in use
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.getIfPresent("u", "INBOX", 1, 1)).isNotNull();
        assertThat(cache.getIfPresent("u", "INBOX", 1, 2)).isNull();
        assertThat(cache.getIfPresent("u", "INBOX", 1, 300)).isNotNull();
        assertThat(cache.maxEntries()).isEqualTo(100);
    }

    @Test
    void invalidatesAMessageAMailboxAUserOrEverything() throws IOException {
        MessageCache cache = new MessageCache();
        cache.get("u", "INBOX", 1, 1, source("a"));
        cache.get("u", "INBOX", 1, 2, source("a"));
        cache.get("u", "Sent", 1, 1, source("a"));
        cache.get("v", "INBOX", 1, 1, source("a"));
        cache.invalidate("u", "INBOX", 1, 2);
        assertThat(cache.getIfPresent("u", "INBOX", 1, 2)).isNull();
        cache.invalidate("u", "INBOX");
        assertThat(cache.getIfPresent("u", "INBOX", 1, 1)).isNull();
        assertThat(cache.size()).isEqualTo(2);
        cache.invalidate("u");
        assertThat(cache.size()).isEqualTo(1);
        cache.put("w", "INBOX", 1, 1, MessageParser.parse(Mail.crlf("Subject: put", "", "")));
        assertThat(cache.getIfPresent("w", "INBOX", 1, 1).baseSubject()).isEqualTo("put");
        cache.clear();
        assertThat(cache.size()).isZero();
    }

    @Test
    void cachesNothingWhenReadingFails() {
        MessageCache cache = new MessageCache();
        Supplier<MessageSource> failing = () -> new MessageSource() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public InputStream openStream() throws IOException {
                throw new IOException("disk gone");
            }
        };
        assertThatThrownBy(() -> cache.get("u", "INBOX", 1, 1, failing)).isInstanceOf(IOException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void rejectsANonPositiveBound() {
        assertThatThrownBy(() -> new MessageCache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void servesManyThreadsAtOnce() throws Exception {
        MessageCache cache = new MessageCache(50);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < 500; i++) {
                        long uid = (i * 7L + seed) % 120 + 1;
                        try {
                            ParsedMessage m = cache.get("u", "INBOX", 1, uid, source("s" + uid));
                            if (m.baseSubject().equals("s" + uid)) {
                                ok++;
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(500);
            }
            cache.get("u", "INBOX", 1, 1000, source("after")); // a miss on one thread trims to the bound
            assertThat(cache.size()).isLessThanOrEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
