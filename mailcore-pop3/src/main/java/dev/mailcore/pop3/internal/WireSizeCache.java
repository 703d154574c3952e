package dev.mailcore.pop3.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wire sizes ({@link WireFormat}) of messages already scanned, shared by the sessions of one protocol instance so that
 * a client that logs in again does not make the server read its whole maildrop again. Stored messages never change,
 * so an entry keyed by user, UIDVALIDITY and UID stays right. Bounded: when full it is cleared. Thread-safe.
 */
public final class WireSizeCache {
    private final int maxEntries;
    private final Map<Key, Long> sizes = new ConcurrentHashMap<>();

    public WireSizeCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The cached size, or -1. */
    public long get(String userKey, long uidValidity, long uid) {
        Long size = sizes.get(new Key(userKey, uidValidity, uid));
        return size == null ? -1 : size;
    }

    public void put(String userKey, long uidValidity, long uid, long wireSize) {
        if (sizes.size() >= maxEntries) {
            sizes.clear();
        }
        sizes.put(new Key(userKey, uidValidity, uid), wireSize);
    }

    private record Key(String user, long uidValidity, long uid) {
    }
}
