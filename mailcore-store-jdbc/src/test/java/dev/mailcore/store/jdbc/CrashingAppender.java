package dev.mailcore.store.jdbc;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Run in a child JVM by {@link JdbcH2CrashTest}: appends messages, prints each UID as soon as the append returned,
 * and then stops the JVM dead, without closing the store or running shutdown hooks.
 */
public final class CrashingAppender {
    private CrashingAppender() {
    }

    public static void main(String[] args) {
        JdbcStore store = JdbcStore.open(args[0]);
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            long uid = store.append(MailboxRef.inbox("alice"),
                    MessageSource.of(("message " + i).getBytes(StandardCharsets.US_ASCII)), Flags.NONE,
                    Instant.parse("2026-01-02T03:04:05Z")).uid();
            System.out.println(uid);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }
}
