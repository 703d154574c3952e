package dev.mailcore.store.internal;

import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Everything a store keeps for one user: mailboxes by name, subscriptions, quota use and limits, and event listeners.
 * Mailbox data is guarded by {@link #lock()}; listeners and the event queue are thread-safe on their own.
 *
 * <p>Events are {@link #emit queued} while the lock is held, so the queue order is the order of the changes (and of
 * their MODSEQs), and {@link #drainEvents() delivered} after it is released, by one thread at a time.
 */
public final class UserState {
    private static final Logger LOG = LoggerFactory.getLogger(UserState.class);

    private final String key;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, MailboxState> mailboxes = new TreeMap<>();
    private final TreeSet<String> subscriptions = new TreeSet<>();
    private long bytes;
    private long messages;
    private volatile long bytesLimit;
    private volatile long messagesLimit;

    private final CopyOnWriteArrayList<ListenerRegistration> listeners = new CopyOnWriteArrayList<>();
    private final Queue<StoreEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    public UserState(String key, long bytesLimit, long messagesLimit) {
        this.key = key;
        this.bytesLimit = bytesLimit;
        this.messagesLimit = messagesLimit;
    }

    /** The user's key (lower-case user name); users are locked in this order when several are involved. */
    public String key() {
        return key;
    }

    public void lock() {
        lock.lock();
    }

    public void unlock() {
        lock.unlock();
    }

    /** Mailboxes by name; guarded by the lock. */
    public TreeMap<String, MailboxState> mailboxes() {
        return mailboxes;
    }

    /** Subscribed names; guarded by the lock. */
    public TreeSet<String> subscriptions() {
        return subscriptions;
    }

    // ---- quota ----

    public void setLimits(long bytesLimit, long messagesLimit) {
        this.bytesLimit = bytesLimit;
        this.messagesLimit = messagesLimit;
    }

    public QuotaUsage quota() {
        return new QuotaUsage(bytes, bytesLimit, messages, messagesLimit);
    }

    /**
     * Fails with {@link StoreError#OVER_QUOTA} unless {@code count} more messages of {@code totalBytes} octets in all
     * fit within the user's limits. Changes nothing.
     */
    public void checkQuota(long count, long totalBytes) {
        long bl = bytesLimit;
        long ml = messagesLimit;
        if (bl != QuotaUsage.UNLIMITED && totalBytes > bl - bytes) {
            throw new StoreException(StoreError.OVER_QUOTA, "quota exceeded for " + key + ": " + bytes + " of " + bl
                    + " bytes used, " + totalBytes + " more needed");
        }
        if (ml != QuotaUsage.UNLIMITED && count > ml - messages) {
            throw new StoreException(StoreError.OVER_QUOTA, "quota exceeded for " + key + ": " + messages + " of "
                    + ml + " messages stored");
        }
    }

    /** Records that {@code count} messages of {@code totalBytes} octets were added (negative: removed). */
    public void account(long count, long totalBytes) {
        messages += count;
        bytes += totalBytes;
    }

    // ---- events ----

    /** Adds a listener for this user's events. */
    public Registration subscribe(Consumer<StoreEvent> listener) {
        ListenerRegistration r = new ListenerRegistration(Objects.requireNonNull(listener, "listener"));
        listeners.add(r);
        return r;
    }

    /** Drops every listener. */
    public void clearListeners() {
        listeners.clear();
    }

    /** Queues an event; call with the lock held, right after the change, then {@link #drainEvents()} after unlock. */
    public void emit(StoreEvent event) {
        if (!listeners.isEmpty()) {
            pending.add(event);
        }
    }

    /**
     * Delivers queued events to the listeners, in queue order. Call without holding the lock. If another thread is
     * delivering already, it picks up the new events and this call returns at once.
     */
    public void drainEvents() {
        while (!pending.isEmpty()) {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                StoreEvent e;
                while ((e = pending.poll()) != null) {
                    for (ListenerRegistration r : listeners) {
                        r.deliver(e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private final class ListenerRegistration implements Registration {
        private final Consumer<StoreEvent> listener;

        ListenerRegistration(Consumer<StoreEvent> listener) {
            this.listener = listener;
        }

        void deliver(StoreEvent event) {
            try {
                listener.accept(event);
            } catch (Throwable ex) { // a listener must not break the store or other listeners
                if (ex instanceof VirtualMachineError vme) {
                    throw vme;
                }
                LOG.warn("store event listener of user {} failed on {}", key, event, ex);
            }
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }
}
