package dev.mailcore.delivery.smtp.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle sessions kept open for a short time per destination key (address, TLS policy, credentials), so that the next
 * message to the same server reuses the connection. A session idle for longer than the limit is sent QUIT.
 */
public final class SessionPool {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);

    private final Map<String, Deque<ClientSession>> idle = new ConcurrentHashMap<>();
    private final Duration maxIdle;
    private final int maxTransactions;
    private final AtomicLong reused = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param maxIdle         how long an idle session is kept; zero disables reuse
     * @param maxTransactions transactions after which a session is closed rather than kept
     */
    public SessionPool(Duration maxIdle, int maxTransactions) {
        this.maxIdle = maxIdle;
        this.maxTransactions = maxTransactions;
    }

    /** An idle, open session for {@code key}, or {@code null}. The caller checks it with RSET. */
    public ClientSession poll(String key) {
        Deque<ClientSession> deque = idle.get(key);
        if (deque == null) {
            return null;
        }
        long now = System.nanoTime();
        while (true) {
            ClientSession s;
            synchronized (deque) {
                s = deque.pollLast();
            }
            if (s == null) {
                return null;
            }
            if (s.isUsable() && now - s.idleSince() < maxIdle.toNanos()) {
                reused.incrementAndGet();
                return s;
            }
            s.quit();
        }
    }

    /** Keeps a session for reuse, or ends it when it is not reusable or reuse is off. */
    public void offer(String key, ClientSession s) {
        if (closed || maxIdle.isZero() || !s.isUsable() || s.transactions() >= maxTransactions) {
            s.quit();
            return;
        }
        s.idleSince(System.nanoTime());
        Deque<ClientSession> deque = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(s);
        }
        long idleAt = s.idleSince();
        s.channel().closeFuture().addListener(f -> remove(deque, s));
        try {
            s.channel().eventLoop().schedule(() -> {
                if (s.idleSince() == idleAt && remove(deque, s)) {
                    LOG.debug("closing idle session with {}", s.peer());
                    s.quit();
                }
            }, maxIdle.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            remove(deque, s);
            s.close();
        }
        if (closed) {
            closeAll();
        }
    }

    private static boolean remove(Deque<ClientSession> deque, ClientSession s) {
        synchronized (deque) {
            return deque.remove(s);
        }
    }

    /** How many times a pooled session was handed out again. */
    public long reuseCount() {
        return reused.get();
    }

    /** Sends QUIT on every idle session and refuses further ones. */
    public void close() {
        closed = true;
        closeAll();
    }

    private void closeAll() {
        List<ClientSession> all = new ArrayList<>();
        for (Deque<ClientSession> deque : idle.values()) {
            synchronized (deque) {
                all.addAll(deque);
                deque.clear();
            }
        }
        for (ClientSession s : all) {
            s.quit();
        }
    }
}
