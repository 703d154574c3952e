package dev.mailcore.netty.internal;

import dev.mailcore.netty.ProtocolSupport.Refusal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a listener's open connections, in total and per client IP; the per-IP limit does not apply to loopback
 * clients. Thread-safe.
 */
public final class ConnectionLimiter {

    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxConnections, int maxConnectionsPerIp) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    /**
     * Counts one more connection from {@code ip}, or returns why it may not be opened (and counts nothing). Every
     * successful call must be paired with one {@link #release} for the same address.
     */
    public Refusal tryAcquire(InetAddress ip) {
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            return Refusal.TOO_MANY_CONNECTIONS;
        }
        boolean[] granted = {false};
        perIp.compute(ip, (key, count) -> {
            int current = count == null ? 0 : count;
            // loopback clients (local submission, monitoring, test and benchmark drivers) are exempt, as Postfix
            // exempts $mynetworks from its per-client limits
            if (current >= maxConnectionsPerIp && !key.isLoopbackAddress()) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        if (!granted[0]) {
            total.decrementAndGet();
            return Refusal.TOO_MANY_FROM_IP;
        }
        return null;
    }

    /** Forgets one connection from {@code ip} counted by {@link #tryAcquire}. */
    public void release(InetAddress ip) {
        perIp.computeIfPresent(ip, (key, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** Connections counted now. */
    public int open() {
        return total.get();
    }

    /** Connections counted now from {@code ip}. */
    public int open(InetAddress ip) {
        Integer count = perIp.get(ip);
        return count == null ? 0 : count;
    }
}
