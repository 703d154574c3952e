package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.ForwardingStore;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreEvent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A store that delegates and counts event subscriptions (opened, and still open) and message content reads; not
 * NonBlocking, so sessions call it on their executor.
 */
public final class CountingStore extends ForwardingStore {
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger contentReads = new AtomicInteger();

    public CountingStore(Store delegate) {
        super(delegate);
    }

    public int open() {
        return open.get();
    }

    public int opened() {
        return opened.get();
    }

    /** How many times a message's content was asked for. */
    public int contentReads() {
        return contentReads.get();
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        contentReads.incrementAndGet();
        return delegate().content(mailbox, uid);
    }

    /** Waits until exactly {@code expected} subscriptions are open; false on timeout. */
    public synchronized boolean awaitOpen(int expected, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() != expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void changed() {
        notifyAll();
    }

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        Registration r = delegate().subscribe(user, listener);
        open.incrementAndGet();
        opened.incrementAndGet();
        changed();
        return new Registration() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    open.decrementAndGet();
                    r.close();
                    changed();
                }
            }
        };
    }
}
