package dev.mailcore.netty.internal;

import dev.mailcore.netty.ProtocolSupport.Refusal;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimiterTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void refusesOverTheTotalLimit() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(2, 10);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isNull();
        assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isNull();
        assertThat(limiter.tryAcquire(ip("192.0.2.3"))).isEqualTo(Refusal.TOO_MANY_CONNECTIONS);
        assertThat(limiter.open()).isEqualTo(2);
    }

    @Test
    void refusesOverThePerIpLimitButServesOtherAddresses() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 2);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isNull();
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isNull();
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(Refusal.TOO_MANY_FROM_IP);
        assertThat(limiter.tryAcquire(ip("192.0.2.9"))).isNull();
        assertThat(limiter.open()).isEqualTo(3);
        assertThat(limiter.open(ip("192.0.2.1"))).isEqualTo(2);
    }

    @Test
    void releasingMakesRoomAgain() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1, 1);
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isNull();
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(Refusal.TOO_MANY_CONNECTIONS);
        limiter.release(ip("192.0.2.1"));
        assertThat(limiter.open()).isZero();
        assertThat(limiter.open(ip("192.0.2.1"))).isZero();
        assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isNull();
    }

    @Test
    void refusedAttemptsAreNotCounted() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(5, 1);
        limiter.tryAcquire(ip("192.0.2.1"));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEqualTo(Refusal.TOO_MANY_FROM_IP);
        }
        assertThat(limiter.open()).isEqualTo(1);
        assertThat(limiter.open(ip("192.0.2.1"))).isEqualTo(1);
    }

    @Test
    void countsStayConsistentUnderConcurrentUse() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1000, 1000);
        InetAddress address = ip("192.0.2.1");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (limiter.tryAcquire(address) == null) {
                        limiter.release(address);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(limiter.open()).isZero();
        assertThat(limiter.open(address)).isZero();
    }

    @Test
    void loopbackClientsAreCountedButNotLimitedPerIp() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 1);
        assertThat(limiter.tryAcquire(ip("127.0.0.1"))).isNull();
        assertThat(limiter.tryAcquire(ip("127.0.0.1"))).isNull();
        assertThat(limiter.open(ip("127.0.0.1"))).isEqualTo(2);
        limiter.release(ip("127.0.0.1"));
        limiter.release(ip("127.0.0.1"));
        assertThat(limiter.open()).isZero();
    }
}
