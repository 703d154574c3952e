package dev.mailcore.api.store;

import dev.mailcore.api.MessageSource;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link Store} that passes every call to another one: extend it and override what a decorator changes (metrics,
 * access checks, fault injection, tests). It is not {@link dev.mailcore.api.NonBlocking}, whatever the delegate is,
 * so protocol code calls it off its I/O threads.
 */
public abstract class ForwardingStore implements Store {
    private final Store delegate;

    protected ForwardingStore(Store delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls go to. */
    protected Store delegate() {
        return delegate;
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

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        return delegate.subscribe(user, listener);
    }

    /** Does not close the delegate: whoever made it closes it. */
    @Override
    public void close() {
    }
}
