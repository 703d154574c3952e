package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreEvent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A store that delegates and counts event subscriptions (opened, and still open); not NonBlocking, so sessions call it on their executor. */
public final class CountingStore implements Store {
    private final Store delegate;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();

    public CountingStore(Store delegate) {
        this.delegate = delegate;
    }

    public int open() {
        return open.get();
    }

    public int opened() {
        return opened.get();
    }

    /** Waits until exactly {@code expected} subscriptions are open; false on timeout. */
    public synchronized boolean awaitOpen(int expected, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() != expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void changed() {
        notifyAll();
    }

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        Registration r = delegate.subscribe(user, listener);
        open.incrementAndGet();
        opened.incrementAndGet();
        changed();
        return new Registration() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    open.decrementAndGet();
                    r.close();
                    changed();
                }
            }
        };
    }

    @Override
    public List<MailboxInfo> mailboxes(String user) {
        return delegate.mailboxes(user);
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxRef mailbox) {
        return delegate.mailbox(mailbox);
    }

    @Override
    public MailboxInfo createMailbox(MailboxRef mailbox) {
        return delegate.createMailbox(mailbox);
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        delegate.deleteMailbox(mailbox);
    }

    @Override
    public void renameMailbox(MailboxRef from, MailboxRef to) {
        delegate.renameMailbox(from, to);
    }

    @Override
    public Set<String> subscriptions(String user) {
        return delegate.subscriptions(user);
    }

    @Override
    public void setSubscribed(MailboxRef mailbox, boolean subscribed) {
        delegate.setSubscribed(mailbox, subscribed);
    }

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        return delegate.append(mailbox, content, flags, internalDate);
    }

    @Override
    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        return delegate.deliver(targets, content, internalDate);
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        return delegate.messages(mailbox);
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        return delegate.content(mailbox, uid);
    }

    @Override
    public List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation,
                                         Flags flags, long unchangedSince) {
        return delegate.updateFlags(mailbox, uids, operation, flags, unchangedSince);
    }

    @Override
    public CopyResult copy(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return delegate.copy(from, uids, to);
    }

    @Override
    public CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return delegate.move(from, uids, to);
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        return delegate.expunge(mailbox, uids);
    }

    @Override
    public QuotaUsage quota(String user) {
        return delegate.quota(user);
    }
}
