package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreEventQueue;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What this node keeps per user: a lock that orders the user's changes made through this store (taken before the
 * user's database row is locked, and held until after the commit), the user's event listeners, and the queue of
 * events waiting for delivery. Events are {@link #emit queued} after the commit while the lock is still held, so the
 * queue is in MODSEQ order, and {@link #drain() delivered} after it is released, by one thread at a time.
 */
final class UserEvents {

    private final String key;
    private final ReentrantLock lock = new ReentrantLock();
    private final StoreEventQueue events;

    UserEvents(String key) {
        this.key = key;
        this.events = new StoreEventQueue(key);
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
        return events.hasListeners();
    }

    Registration subscribe(Consumer<StoreEvent> listener) {
        return events.subscribe(listener);
    }

    void clear() {
        events.clear();
    }

    void emit(StoreEvent e) {
        events.emit(e);
    }

    void drain() {
        events.drain();
    }
}
