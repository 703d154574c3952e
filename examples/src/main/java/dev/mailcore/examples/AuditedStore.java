package dev.mailcore.examples;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.ForwardingStore;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A custom store backend: any {@link Store} (here usually a {@code MemoryStore} or {@code MaildirStore}) with an
 * audit trail of every change to mail, for compliance logs. It extends {@link ForwardingStore}, so it only overrides
 * what it adds to; whether it still behaves like a store is checked by the Store TCK ({@code AuditedStoreTest} in
 * this module's tests extends {@code dev.mailcore.store.tck.StoreContract}). Do the same for your own backend.
 *
 * <pre>{@code
 * MailServer server = MailServer.builder()
 *         .store(new AuditedStore(new MemoryStore(), line -> auditLog.info(line)))
 *         ...
 * }</pre>
 */
public final class AuditedStore extends ForwardingStore {
    private final Consumer<String> audit;

    /** Audits changes made through this store to {@code audit}; closing this store closes {@code delegate}. */
    public AuditedStore(Store delegate, Consumer<String> audit) {
        super(delegate);
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        AppendResult result = super.append(mailbox, content, flags, internalDate);
        audit.accept("append " + mailbox.user() + "/" + mailbox.name() + " uid " + result.uid());
        return result;
    }

    @Override
    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        List<AppendResult> results = super.deliver(targets, content, internalDate);
        for (AppendResult r : results) {
            audit.accept("deliver " + r.mailbox().user() + "/" + r.mailbox().name() + " uid " + r.uid());
        }
        return results;
    }

    @Override
    public CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        CopyResult result = super.move(from, uids, to);
        audit.accept("move " + from.user() + "/" + from.name() + " " + result.sourceUids() + " to " + to.name());
        return result;
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        List<Long> gone = super.expunge(mailbox, uids);
        if (!gone.isEmpty()) {
            audit.accept("expunge " + mailbox.user() + "/" + mailbox.name() + " " + gone);
        }
        return gone;
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        super.deleteMailbox(mailbox);
        audit.accept("delete " + mailbox.user() + "/" + mailbox.name());
    }

    /** Closes the wrapped store too: this backend owns it. */
    @Override
    public void close() {
        delegate().close();
    }
}
