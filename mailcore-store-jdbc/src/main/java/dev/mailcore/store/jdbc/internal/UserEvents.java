package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.StoreEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What this node keeps per user: a lock that orders the user's changes made through this store (taken before the
 * user's database row is locked, and held until after the commit), the user's event listeners, and the queue of
 * events waiting for delivery. Events are {@link #emit queued} after the commit while the lock is still held, so the
 * queue is in MODSEQ order, and {@link #drain() delivered} after it is released, by one thread at a time.
 */
final class UserEvents {
    private static final Logger LOG = LoggerFactory.getLogger(UserEvents.class);

    private final String key;
    private final ReentrantLock lock = new ReentrantLock();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<StoreEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    UserEvents(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    Registration subscribe(Consumer<StoreEvent> listener) {
        Listener l = new Listener(Objects.requireNonNull(listener, "listener"));
        listeners.add(l);
        return l;
    }

    void clear() {
        listeners.clear();
        pending.clear();
    }

    void emit(StoreEvent e) {
        if (!listeners.isEmpty()) {
            pending.add(e);
        }
    }

    void drain() {
        while (!pending.isEmpty()) {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                StoreEvent e;
                while ((e = pending.poll()) != null) {
                    for (Listener l : listeners) {
                        l.deliver(e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private final class Listener implements Registration {
        private final Consumer<StoreEvent> listener;

        Listener(Consumer<StoreEvent> listener) {
            this.listener = listener;
        }

        void deliver(StoreEvent e) {
            try {
                listener.accept(e);
            } catch (Throwable t) { // a listener must break neither the store nor other listeners
                if (t instanceof VirtualMachineError v) {
                    throw v;
                }
                LOG.warn("store event listener of user {} failed on {}", key, e, t);
            }
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }
}
