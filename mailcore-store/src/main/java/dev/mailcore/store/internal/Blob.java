package dev.mailcore.store.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes of one message, shared by every copy of it (delivery to several mailboxes, COPY, MOVE). The array is
 * never changed after construction. Each copy holds one reference; when the last is released the bytes are given
 * back to the {@link ByteBudget}.
 */
public final class Blob {
    private final byte[] bytes;
    private final ByteBudget budget;
    private final AtomicInteger references;

    Blob(byte[] bytes, ByteBudget budget, int references) {
        this.bytes = bytes;
        this.budget = budget;
        this.references = new AtomicInteger(references);
    }

    /** The message bytes; callers must not change them. */
    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    /** Adds a reference for one more copy. */
    public void retain() {
        references.incrementAndGet();
    }

    /** Drops the reference of one copy; the last one frees the bytes in the budget. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            budget.release(bytes.length);
        } else if (left < 0) {
            throw new IllegalStateException("blob released more often than retained");
        }
    }
}
