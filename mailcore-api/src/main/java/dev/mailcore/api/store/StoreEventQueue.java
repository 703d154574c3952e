package dev.mailcore.api.store;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The listeners of one user's {@link StoreEvent}s and the events waiting for them, for {@link Store}
 * implementations. A store {@link #emit emits} an event while it still holds the user's lock, right after the change
 * is visible (so the queue is in MODSEQ order), and {@link #drain drains} after releasing the lock: one thread at a
 * time delivers, in queue order; a listener that throws is logged and does not stop the others. Thread-safe.
 */
public final class StoreEventQueue {
    private static final System.Logger LOG = System.getLogger(StoreEventQueue.class.getName());

    private final String user;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<StoreEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @param user the user the events belong to, for log lines */
    public StoreEventQueue(String user) {
        this.user = Objects.requireNonNull(user, "user");
    }

    /** Adds a listener until the returned registration is closed. */
    public Registration subscribe(Consumer<StoreEvent> listener) {
        Listener l = new Listener(Objects.requireNonNull(listener, "listener"));
        listeners.add(l);
        return l;
    }

    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Queues an event for delivery by {@link #drain}; dropped at once when nobody listens. */
    public void emit(StoreEvent event) {
        if (!listeners.isEmpty()) {
            pending.add(event);
        }
    }

    /**
     * Delivers queued events to the listeners, in queue order. Call without holding the store's lock. If another
     * thread is delivering already, it picks up the new events and this call returns at once.
     */
    public void drain() {
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

    /** Drops every listener and every queued event (the store is closing). */
    public void clear() {
        listeners.clear();
        pending.clear();
    }

    private final class Listener implements Registration {
        private final Consumer<StoreEvent> consumer;

        Listener(Consumer<StoreEvent> consumer) {
            this.consumer = consumer;
        }

        void deliver(StoreEvent event) {
            try {
                consumer.accept(event);
            } catch (Throwable t) { // a listener must break neither the store nor other listeners
                if (t instanceof VirtualMachineError v) {
                    throw v;
                }
                LOG.log(System.Logger.Level.WARNING, "store event listener of user " + user + " failed on " + event, t);
            }
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }
}
