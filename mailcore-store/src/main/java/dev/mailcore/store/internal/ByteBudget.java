package dev.mailcore.store.internal;

import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The store-wide byte limit: counts the bytes of every distinct message held (shared copies count once) and refuses
 * new messages beyond the limit with {@link StoreError#STORAGE_FULL}. Lock-free, so users do not contend on it.
 */
public final class ByteBudget {
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    /** @param maxBytes the limit, {@link Long#MAX_VALUE} for none */
    public ByteBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return maxBytes;
    }

    /** Fails fast, without reserving anything, when {@code size} more bytes could not fit right now. */
    public void precheck(long size) {
        long now = used.get();
        if (size > maxBytes - now) {
            throw full(now);
        }
    }

    /**
     * Reserves the bytes and wraps them in a blob with {@code references} references.
     *
     * @throws StoreException {@link StoreError#STORAGE_FULL} when they do not fit; nothing is reserved then
     */
    public Blob allocate(byte[] bytes, int references) {
        long size = bytes.length;
        while (true) {
            long now = used.get();
            if (size > maxBytes - now) {
                throw full(now);
            }
            if (used.compareAndSet(now, now + size)) {
                return new Blob(bytes, this, references);
            }
        }
    }

    void release(long size) {
        used.addAndGet(-size);
    }

    private StoreException full(long now) {
        return new StoreException(StoreError.STORAGE_FULL,
                "memory store full: " + now + " of " + maxBytes + " bytes used");
    }
}
