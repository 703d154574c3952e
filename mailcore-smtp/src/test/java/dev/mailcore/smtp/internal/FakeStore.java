package dev.mailcore.smtp.internal;

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
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.api.store.StoreEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Records {@link #deliver} and {@link #expunge} calls; can be told to fail; answers {@link #quota} from a map.
 * Everything else is unsupported.
 */
class FakeStore implements Store {

    /** One delivery: its targets and the bytes read from the source. */
    record Delivery(List<MailboxRef> targets, String content) {
    }

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** What {@link #expunge} removed: one line per call, {@code user/mailbox [uids]}. */
    final List<String> expunged = new CopyOnWriteArrayList<>();
    private final AtomicLong nextUid = new AtomicLong(1);
    volatile StoreError failWith;
    /** Quotas {@link #quota} answers with; users not in it are unlimited. */
    final Map<String, QuotaUsage> quotas = new ConcurrentHashMap<>();

    @Override
    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        if (failWith != null) {
            throw new StoreException(failWith, "injected failure");
        }
        String text;
        try (InputStream in = content.openStream()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != content.size()) {
                throw new AssertionError("size " + content.size() + " but read " + bytes.length);
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deliveries.add(new Delivery(List.copyOf(targets), text));
        List<AppendResult> results = new ArrayList<>();
        for (MailboxRef target : targets) {
            long uid = nextUid.getAndIncrement();
            results.add(new AppendResult(target, 1, uid, uid));
        }
        return results;
    }

    /** The only delivery's content. */
    String onlyContent() {
        if (deliveries.size() != 1) {
            throw new AssertionError("expected one delivery, got " + deliveries.size());
        }
        return deliveries.get(0).content();
    }

    @Override
    public List<MailboxInfo> mailboxes(String user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxRef mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxInfo createMailbox(MailboxRef mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void renameMailbox(MailboxRef from, MailboxRef to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> subscriptions(String user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setSubscribed(MailboxRef mailbox, boolean subscribed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation,
                                         Flags flags, long unchangedSince) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CopyResult copy(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        expunged.add(mailbox.user() + "/" + mailbox.name() + " " + uids);
        return List.copyOf(uids);
    }

    @Override
    public QuotaUsage quota(String user) {
        return quotas.getOrDefault(user, new QuotaUsage(0, QuotaUsage.UNLIMITED, 0, QuotaUsage.UNLIMITED));
    }

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        throw new UnsupportedOperationException();
    }
}
