package dev.mailcore.netty.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short session ids unique within one server: a random base-36 prefix chosen per server (so ids from two servers
 * in one log rarely collide) followed by a base-36 counter.
 */
public final class SessionIds {

    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public SessionIds() {
        SecureRandom random = new SecureRandom();
        char[] chars = new char[4];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = DIGITS.charAt(random.nextInt(DIGITS.length()));
        }
        this.prefix = new String(chars);
    }

    SessionIds(String prefix) {
        this.prefix = prefix;
    }

    /** The next id, such as {@code k3x91}. */
    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
