package dev.mailcore.examples;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.MemoryStore;
import dev.mailcore.store.tck.StoreContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A custom store backend tested with the Store TCK: extending {@link StoreContract} runs every contract test against
 * {@link AuditedStore}; the store's own behaviour gets ordinary tests next to them.
 */
class AuditedStoreTest extends StoreContract {
    final List<String> trail = new CopyOnWriteArrayList<>();

    @Override
    protected Store newStore() {
        return new AuditedStore(new MemoryStore(), trail::add);
    }

    @Override
    protected Store newStoreWithQuota(long bytesPerUser, long messagesPerUser) {
        return new AuditedStore(MemoryStore.builder().quota(bytesPerUser, messagesPerUser).build(), trail::add);
    }

    @Test
    void recordsAppendsAndExpungesInTheAuditTrail() {
        Store store = track(newStore());
        MailboxRef inbox = MailboxRef.inbox("alice"); // every user has an INBOX without creating it
        byte[] message = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        long uid = store.append(inbox, MessageSource.of(message), Flags.NONE, Instant.now()).uid();
        store.expunge(inbox, List.of(uid));
        assertThat(trail).containsExactly("append alice/INBOX uid " + uid, "expunge alice/INBOX [" + uid + "]");
    }
}
