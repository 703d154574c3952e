package dev.mailcore.smtp.internal.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact sliding-window event counters per key, with at most {@code maxKeys} keys (the least recently used key is
 * dropped first). Each key keeps the times of its last {@code limit} counted events in a ring, so an event is allowed
 * when fewer than {@code limit} events were counted in the window before it. Thread-safe (one lock).
 */
public final class SlidingWindowCounters<K> {
    private final int limit;
    private final long windowMillis;
    private final LinkedHashMap<K, long[]> rings;

    /** Ring layout: slot 0 = next write index, slot 1 = count (≤ limit), slots 2.. = event times. */
    public SlidingWindowCounters(int limit, long windowMillis, int maxKeys) {
        if (limit < 1 || windowMillis < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("limit, window and maxKeys must be positive");
        }
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.rings = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, long[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Whether one more event for {@code key} at {@code nowMillis} stays within the limit (counts nothing). */
    public synchronized boolean wouldAllow(K key, long nowMillis) {
        long[] ring = rings.get(key);
        return ring == null || allows(ring, nowMillis);
    }

    /** Counts one event for {@code key} at {@code nowMillis}. */
    public synchronized void record(K key, long nowMillis) {
        long[] ring = rings.computeIfAbsent(key, k -> new long[limit + 2]);
        int next = (int) ring[0];
        ring[2 + next] = nowMillis;
        ring[0] = (next + 1) % limit;
        ring[1] = Math.min(limit, ring[1] + 1);
    }

    /** The number of keys tracked now. */
    public synchronized int size() {
        return rings.size();
    }

    private boolean allows(long[] ring, long nowMillis) {
        if (ring[1] < limit) {
            return true;
        }
        long oldest = ring[2 + (int) ring[0]]; // the ring is full: the next slot to overwrite is the oldest
        return nowMillis - oldest >= windowMillis;
    }
}
