package dev.mailcore.store.internal;

import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreEventQueue;
import dev.mailcore.api.store.StoreException;

import java.util.TreeMap;
import java.util.TreeSet;
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

    private final String key;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, MailboxState> mailboxes = new TreeMap<>();
    private final TreeSet<String> subscriptions = new TreeSet<>();
    private long bytes;
    private long messages;
    private volatile long bytesLimit;
    private volatile long messagesLimit;

    private final StoreEventQueue events;

    public UserState(String key, long bytesLimit, long messagesLimit) {
        this.key = key;
        this.events = new StoreEventQueue(key);
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
        return events.subscribe(listener);
    }

    /** Drops every listener. */
    public void clearListeners() {
        events.clear();
    }

    /** Queues an event; call with the lock held, right after the change, then {@link #drainEvents()} after unlock. */
    public void emit(StoreEvent event) {
        events.emit(event);
    }

    /** Delivers queued events to the listeners (see {@link StoreEventQueue#drain}); call without the lock. */
    public void drainEvents() {
        events.drain();
    }
}
