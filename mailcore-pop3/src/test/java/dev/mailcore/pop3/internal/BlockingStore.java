package dev.mailcore.pop3.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.ForwardingStore;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that is not {@link dev.mailcore.api.NonBlocking} (so sessions call it on the executor), delegating to
 * another, with switches to make calls fail.
 */
final class BlockingStore extends ForwardingStore {
    volatile boolean failExpunge;
    volatile boolean failMessages;
    final AtomicInteger contentCalls = new AtomicInteger();
    /** How many times message content was read (each read goes through the whole message or its start). */
    final AtomicInteger streamsOpened = new AtomicInteger();

    BlockingStore(Store delegate) {
        super(delegate);
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        if (failMessages) {
            throw new StoreException(StoreError.FAILURE, "disk on fire");
        }
        return delegate().messages(mailbox);
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        contentCalls.incrementAndGet();
        MessageSource source = delegate().content(mailbox, uid);
        return new MessageSource() {
            @Override
            public long size() {
                return source.size();
            }

            @Override
            public java.io.InputStream openStream() throws java.io.IOException {
                streamsOpened.incrementAndGet();
                return source.openStream();
            }
        };
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        if (failExpunge) {
            throw new StoreException(StoreError.FAILURE, "disk on fire");
        }
        return delegate().expunge(mailbox, uids);
    }
}
