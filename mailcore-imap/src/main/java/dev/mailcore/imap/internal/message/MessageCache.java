package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A bounded cache of {@link ParsedMessage}s shared by all sessions of a server, keyed by user, mailbox, UIDVALIDITY and
 * UID (a message's bytes never change under that key). Thread-safe and lock-light: reads are a concurrent map lookup
 * and a counter store; when the cache grows past its bound, one thread evicts the least recently used tenth while the
 * others go on. A message missing from the cache is parsed by the calling thread (two threads missing the same
 * message at once may both parse it; one result is kept).
 */
public final class MessageCache {

    /** The default bound on the number of cached messages. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Key(String user, String mailbox, long uidValidity, long uid) {
    }

    private static final class Entry {
        final ParsedMessage message;
        volatile long lastUse;

        Entry(ParsedMessage message, long lastUse) {
            this.message = message;
            this.lastUse = lastUse;
        }
    }

    private final int maxEntries;
    private final ConcurrentHashMap<Key, Entry> map;
    private final AtomicLong clock = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();

    /** A cache of at most {@link #DEFAULT_MAX_ENTRIES} messages. */
    public MessageCache() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /** A cache of at most {@code maxEntries} messages (at least 1). */
    public MessageCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.map = new ConcurrentHashMap<>(Math.min(maxEntries, 1024) * 2);
    }

    /**
     * The parsed form of a message, parsed from {@code source} (called only on a miss) when not cached.
     *
     * @throws IOException when reading the source fails (nothing is cached then)
     */
    public ParsedMessage get(String user, String mailbox, long uidValidity, long uid, Supplier<MessageSource> source)
            throws IOException {
        Key key = new Key(user, mailbox, uidValidity, uid);
        Entry e = map.get(key);
        long now = clock.incrementAndGet();
        if (e != null) {
            e.lastUse = now;
            return e.message;
        }
        ParsedMessage parsed = MessageParser.parse(source.get());
        Entry fresh = new Entry(parsed, now);
        Entry prior = map.putIfAbsent(key, fresh);
        if (prior != null) {
            prior.lastUse = now;
            return prior.message;
        }
        if (map.size() > maxEntries) {
            evict();
        }
        return parsed;
    }

    /** The cached message, or null. */
    public ParsedMessage getIfPresent(String user, String mailbox, long uidValidity, long uid) {
        Entry e = map.get(new Key(user, mailbox, uidValidity, uid));
        if (e == null) {
            return null;
        }
        e.lastUse = clock.incrementAndGet();
        return e.message;
    }

    /** Caches a message parsed elsewhere (for instance right after APPEND). */
    public void put(String user, String mailbox, long uidValidity, long uid, ParsedMessage message) {
        map.put(new Key(user, mailbox, uidValidity, uid), new Entry(message, clock.incrementAndGet()));
        if (map.size() > maxEntries) {
            evict();
        }
    }

    /** Forgets one message (expunged). */
    public void invalidate(String user, String mailbox, long uidValidity, long uid) {
        map.remove(new Key(user, mailbox, uidValidity, uid));
    }

    /** Forgets every message of a mailbox (deleted, renamed, or UIDVALIDITY changed). */
    public void invalidate(String user, String mailbox) {
        map.keySet().removeIf(k -> k.user.equals(user) && k.mailbox.equals(mailbox));
    }

    /** Forgets every message of a user. */
    public void invalidate(String user) {
        map.keySet().removeIf(k -> k.user.equals(user));
    }

    /** Forgets everything. */
    public void clear() {
        map.clear();
    }

    /** The number of cached messages. */
    public int size() {
        return map.size();
    }

    /** The bound given at construction. */
    public int maxEntries() {
        return maxEntries;
    }

    private void evict() {
        if (!evicting.tryLock()) {
            return; // another thread is on it
        }
        try {
            int excess = map.size() - maxEntries;
            if (excess <= 0) {
                return;
            }
            int target = excess + Math.max(1, maxEntries / 10);
            List<Map.Entry<Key, Entry>> all = new ArrayList<>(map.size());
            for (Map.Entry<Key, Entry> me : map.entrySet()) {
                all.add(Map.entry(me.getKey(), me.getValue()));
            }
            if (target >= all.size()) {
                target = all.size() - Math.min(all.size(), maxEntries);
            }
            long[] uses = new long[all.size()];
            for (int i = 0; i < uses.length; i++) {
                uses[i] = all.get(i).getValue().lastUse;
            }
            long[] sorted = uses.clone();
            java.util.Arrays.sort(sorted);
            if (target <= 0) {
                return;
            }
            long cutoff = sorted[target - 1];
            int removed = 0;
            for (int i = 0; i < uses.length && removed < target; i++) {
                if (uses[i] <= cutoff) {
                    Map.Entry<Key, Entry> me = all.get(i);
                    if (map.remove(me.getKey(), me.getValue())) {
                        removed++;
                    }
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}
