package dev.mailcore.pop3.internal;

import dev.mailcore.api.store.Store;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Who holds a POP3 maildrop lock: at most one POP3 session per user and {@link Store} instance in this JVM, whatever
 * the listener (so port 110 and 995 share the lock when they share the store). Keys are the store's identity (stores
 * do not override {@code equals}) and {@link dev.mailcore.api.store.MailboxRef#userKey() the lower-cased user}.
 * Thread-safe.
 */
public final class MaildropLocks {
    private static final Map<Store, Set<String>> HELD = new WeakHashMap<>();

    private MaildropLocks() {
    }

    /** Takes the lock; {@code false} when another session holds it. */
    public static boolean tryLock(Store store, String userKey) {
        synchronized (HELD) {
            return HELD.computeIfAbsent(store, s -> new HashSet<>()).add(userKey);
        }
    }

    /** Releases a lock taken with {@link #tryLock}. */
    public static void unlock(Store store, String userKey) {
        synchronized (HELD) {
            Set<String> users = HELD.get(store);
            if (users != null) {
                users.remove(userKey);
                if (users.isEmpty()) {
                    HELD.remove(store);
                }
            }
        }
    }

    /** Whether some session holds the lock (tests). */
    public static boolean isLocked(Store store, String userKey) {
        synchronized (HELD) {
            Set<String> users = HELD.get(store);
            return users != null && users.contains(userKey);
        }
    }
}
