package dev.mailcore.api.store;

import dev.mailcore.api.MessageSource;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Per-user mail storage for SMTP delivery, IMAP and POP3.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>A user's {@code INBOX} exists implicitly: it is created on first use and cannot be deleted.</li>
 *   <li>UIDs are positive and strictly ascending per mailbox; a UID is never reused while the UIDVALIDITY stays.</li>
 *   <li>Every change (append, flag change, expunge) takes a new MODSEQ, higher than any before in that mailbox.</li>
 *   <li>The bytes read back are exactly the bytes appended.</li>
 *   <li>A durable store has the message on stable storage when {@link #append} or {@link #deliver} returns.</li>
 *   <li>Failures throw {@link StoreException} with a {@link StoreError}; a failed call changes nothing.</li>
 *   <li>All methods are thread-safe and may block; protocol code calls them off its I/O threads.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {

    /** The hierarchy delimiter of mailbox names in this SPI. */
    char HIERARCHY_DELIMITER = '/';

    // ---- mailboxes ----

    /** All mailboxes of the user, INBOX included, in name order. */
    List<MailboxInfo> mailboxes(String user);

    /** One mailbox, or empty when it does not exist. */
    Optional<MailboxInfo> mailbox(MailboxRef mailbox);

    /** Creates a mailbox, and its missing parents. Fails with {@link StoreError#MAILBOX_EXISTS} if it exists. */
    MailboxInfo createMailbox(MailboxRef mailbox);

    /** Deletes a mailbox and its messages (not its children). INBOX cannot be deleted. */
    void deleteMailbox(MailboxRef mailbox);

    /**
     * Renames a mailbox and its children. Renaming INBOX moves its messages into a new mailbox and leaves INBOX
     * empty (RFC 9051 §6.3.6).
     */
    void renameMailbox(MailboxRef from, MailboxRef to);

    /** The names the user subscribed to (they need not exist). */
    Set<String> subscriptions(String user);

    void setSubscribed(MailboxRef mailbox, boolean subscribed);

    // ---- messages ----

    /**
     * Appends a message to an existing mailbox.
     *
     * @param content      the raw message; its {@link MessageSource#size()} is counted against the quota
     * @param flags        initial flags
     * @param internalDate the internal date to record
     */
    AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate);

    /**
     * Delivers one message into several mailboxes (SMTP with many local recipients), all or nothing: either every
     * target has the message when this returns, or none has (and the exception says why). Missing mailboxes are
     * created. A store may keep the bytes once for all targets.
     *
     * @return one result per target, in the order given
     */
    List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate);

    /** Metadata of every message in the mailbox, in ascending UID order. */
    List<MessageMeta> messages(MailboxRef mailbox);

    /** The raw bytes of one message. Fails with {@link StoreError#NO_SUCH_MESSAGE} when the UID is gone. */
    MessageSource content(MailboxRef mailbox, long uid);

    /**
     * Changes flags of the given messages. UIDs that do not exist are skipped.
     *
     * @param unchangedSince only change messages whose MODSEQ is at most this (RFC 7162 UNCHANGEDSINCE); {@code
     *                       Long.MAX_VALUE} for no condition
     * @return the messages that were considered, with their flags and MODSEQ after the call; a message whose flags
     *         did not change keeps its MODSEQ; a message skipped by {@code unchangedSince} is absent
     */
    List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation, Flags flags,
                                  long unchangedSince);

    /** Copies messages, keeping flags and internal dates; the copies get new UIDs in the target. */
    CopyResult copy(MailboxRef from, Collection<Long> uids, MailboxRef to);

    /** Like {@link #copy}, then removes the originals, as one operation (RFC 6851). */
    CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to);

    /**
     * Removes exactly these messages (whatever their flags; IMAP filters on {@code \Deleted} first).
     *
     * @return the UIDs that were removed, ascending
     */
    List<Long> expunge(MailboxRef mailbox, Collection<Long> uids);

    // ---- quota and events ----

    QuotaUsage quota(String user);

    /**
     * Subscribes to changes of the user's mailboxes, made through this store by any session (and, for shared stores,
     * by other nodes). The listener is called after the change is visible, on a store thread; it must not block.
     */
    Registration subscribe(String user, Consumer<StoreEvent> listener);

    /** Releases resources. The default does nothing. */
    @Override
    default void close() {
    }
}
