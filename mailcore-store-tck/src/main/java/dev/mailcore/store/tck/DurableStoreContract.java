package dev.mailcore.store.tck;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link StoreContract} plus what a store that persists must do: everything survives closing the store and
 * opening the same storage again. A subclass supplies {@link #reopen(Store)} besides the factories:
 *
 * <pre>{@code
 * class MyDurableStoreTest extends DurableStoreContract {
 *     private final Map<Store, Path> dirs = new IdentityHashMap<>();
 *     @Override
 *     protected Store newStore() {
 *         return open(newTempDirectory("my-store"));
 *     }
 *     @Override
 *     protected Store reopen(Store old) {   // same storage, same settings (quota, default folders)
 *         Path dir = dirs.get(old);
 *         old.close();
 *         return open(dir);
 *     }
 *     private Store open(Path dir) {
 *         Store s = MyStore.open(dir);
 *         dirs.put(s, dir);
 *         return s;
 *     }
 *     // newStoreWithQuota(...) likewise
 * }
 * }</pre>
 */
public abstract class DurableStoreContract extends StoreContract {

    /**
     * Closes {@code old} and opens the same storage again, with the same configuration (quota, default folders) that
     * made {@code old}; {@code old} may have come from any of the factories or from an earlier reopen.
     */
    protected abstract Store reopen(Store old);

    /** Reopens {@code old}, tracking the new store for closing after the test. */
    protected Store reopened(Store old) {
        untrack(old);
        return track(reopen(old));
    }

    @Test
    void messagesFlagsKeywordsAndInternalDatesSurviveAReopen() {
        Instant other = Instant.parse("1999-12-31T23:59:58Z");
        store.createMailbox(box("Work/2026"));
        AppendResult a = store.append(INBOX, msg("Subject: a\r\n\r\na\r\n"),
                new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$Label1", "Project-X")), DATE);
        AppendResult b = store.append(INBOX, msg("Subject: b\r\n\r\nb\r\n"), Flags.NONE, other);
        AppendResult c = store.append(box("Work/2026"), msg("c"), Flags.of(Flag.DRAFT), DATE);
        store.updateFlags(INBOX, List.of(b.uid()), FlagOperation.ADD,
                new Flags(Set.of(Flag.ANSWERED, Flag.DELETED), Set.of("$Work")), Long.MAX_VALUE);
        List<MessageMeta> inboxBefore = store.messages(INBOX);
        List<MessageMeta> workBefore = store.messages(box("Work/2026"));

        store = reopened(store);

        assertThat(store.messages(INBOX)).containsExactlyElementsOf(inboxBefore);
        assertThat(store.messages(box("Work/2026"))).containsExactlyElementsOf(workBefore);
        MessageMeta ma = store.messages(INBOX).get(0);
        assertThat(ma.uid()).isEqualTo(a.uid());
        assertThat(ma.flags().keywords()).containsExactlyInAnyOrder("$Label1", "Project-X");
        MessageMeta mb = store.messages(INBOX).get(1);
        assertThat(mb.internalDate()).isEqualTo(other);
        assertThat(mb.flags()).isEqualTo(new Flags(Set.of(Flag.ANSWERED, Flag.DELETED), Set.of("$Work")));
        assertThat(text(store.content(INBOX, b.uid()))).isEqualTo("Subject: b\r\n\r\nb\r\n");
        assertThat(text(store.content(box("Work/2026"), c.uid()))).isEqualTo("c");
        MailboxInfo inbox = info(INBOX);
        assertThat(inbox.messages()).isEqualTo(2);
        assertThat(inbox.unseen()).isEqualTo(1);
        assertThat(inbox.deleted()).isEqualTo(1);
    }

    @Test
    void aKeywordKeepsItsSpellingAcrossAReopen() {
        long uid = store.append(INBOX, msg("x"), new Flags(Set.of(), Set.of("$MixedCase")), DATE).uid();
        store = reopened(store);
        assertThat(store.messages(INBOX).get(0).flags().keywords()).containsExactly("$MixedCase");
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(uid), FlagOperation.REMOVE,
                new Flags(Set.of(), Set.of("$MIXEDCASE")), Long.MAX_VALUE);
        assertThat(r.get(0).flags().isEmpty()).isTrue();
    }

    @Test
    void mailboxesAndSubscriptionsSurviveAReopen() {
        store.createMailbox(box("a/b/c"));
        store.createMailbox(box("Empty"));
        store.createMailbox(box("Old"));
        store.renameMailbox(box("Old"), box("New name"));
        store.createMailbox(box("Gone"));
        store.deleteMailbox(box("Gone"));
        store.setSubscribed(box("a/b"), true);
        store.setSubscribed(box("Ghost"), true);
        store.setSubscribed(box("Dropped"), true);
        store.setSubscribed(box("Dropped"), false);
        store.createMailbox(new MailboxRef("bob", "Bobs"));
        List<MailboxInfo> before = store.mailboxes("alice");

        store = reopened(store);

        assertThat(store.mailboxes("alice")).containsExactlyElementsOf(before);
        assertThat(names(store, "alice")).containsExactlyInAnyOrder("INBOX", "New name", "a", "a/b", "a/b/c",
                "Empty").isSorted();
        assertThat(store.subscriptions("alice")).containsExactlyInAnyOrder("a/b", "Ghost");
        assertThat(names(store, "bob")).containsExactlyInAnyOrder("Bobs", "INBOX");
    }

    @Test
    void uidValidityOfEveryMailboxIsUnchangedByAReopen() {
        store.createMailbox(box("Work"));
        append(box("Work"), "w");
        append(INBOX, "i");
        Map<String, MailboxInfo> before = new HashMap<>();
        for (MailboxInfo i : store.mailboxes("alice")) {
            before.put(i.ref().name(), i);
        }
        store = reopened(store);
        for (MailboxInfo i : store.mailboxes("alice")) {
            MailboxInfo was = before.get(i.ref().name());
            assertThat(i.uidValidity()).as(i.ref().name()).isEqualTo(was.uidValidity());
            assertThat(i.uidNext()).as(i.ref().name()).isGreaterThanOrEqualTo(was.uidNext());
            assertThat(i.highestModSeq()).as(i.ref().name()).isGreaterThanOrEqualTo(was.highestModSeq());
            assertThat(i.messages()).isEqualTo(was.messages());
            assertThat(i.totalSize()).isEqualTo(was.totalSize());
        }
    }

    @Test
    void uidsAreNotReusedAfterExpungingTheNewestAndReopening() {
        long a = append(INBOX, "a").uid();
        long b = append(INBOX, "b").uid();
        long c = append(INBOX, "c").uid();
        store.expunge(INBOX, List.of(b, c));
        long uidValidity = info(INBOX).uidValidity();

        store = reopened(store);

        AppendResult d = append(INBOX, "d");
        assertThat(d.uidValidity()).isEqualTo(uidValidity);
        assertThat(d.uid()).isGreaterThan(c);
        assertThat(uids(INBOX)).containsExactly(a, d.uid());
    }

    @Test
    void modSeqKeepsIncreasingAfterAReopen() {
        AppendResult a = append(INBOX, "a");
        store.updateFlags(INBOX, List.of(a.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        long b = append(INBOX, "b").uid();
        store.expunge(INBOX, List.of(b)); // the highest MODSEQ now belongs to no message
        long highest = info(INBOX).highestModSeq();

        store = reopened(store);

        assertThat(info(INBOX).highestModSeq()).isGreaterThanOrEqualTo(highest);
        List<MessageMeta> flagged = store.updateFlags(INBOX, List.of(a.uid()), FlagOperation.ADD,
                Flags.of(Flag.FLAGGED), Long.MAX_VALUE);
        assertThat(flagged.get(0).modSeq()).isGreaterThan(highest);
        AppendResult c = append(INBOX, "c");
        assertThat(c.modSeq()).isGreaterThan(flagged.get(0).modSeq());
        assertThat(info(INBOX).highestModSeq()).isEqualTo(c.modSeq());
    }

    @Test
    void uidsAndModSeqsKeepIncreasingOverManyReopens() {
        long lastUid = 0;
        long lastModSeq = info(INBOX).highestModSeq();
        for (int round = 0; round < 5; round++) {
            AppendResult r = append(INBOX, "round " + round);
            assertThat(r.uid()).isGreaterThan(lastUid);
            assertThat(r.modSeq()).isGreaterThan(lastModSeq);
            lastUid = r.uid();
            lastModSeq = r.modSeq();
            if (round % 2 == 0) {
                store.expunge(INBOX, List.of(r.uid()));
                lastModSeq = info(INBOX).highestModSeq();
            }
            store = reopened(store);
        }
        assertThat(store.messages(INBOX)).hasSize(2);
    }

    @Test
    void aRecreatedMailboxDoesNotReuseUidsAcrossAReopen() {
        MailboxInfo first = store.createMailbox(box("Box"));
        long uid = append(box("Box"), "x").uid();
        store.deleteMailbox(box("Box"));
        store = reopened(store);
        MailboxInfo again = store.createMailbox(box("Box"));
        long next = append(box("Box"), "y").uid();
        if (again.uidValidity() == first.uidValidity()) {
            assertThat(next).isGreaterThan(uid);
        }
    }

    @Test
    void expungedMessagesAndDeletedMailboxesStayGoneAfterAReopen() {
        store.createMailbox(box("Doomed"));
        append(box("Doomed"), "bye");
        long keep = append(INBOX, "keep").uid();
        long drop = append(INBOX, "drop").uid();
        store.expunge(INBOX, List.of(drop));
        store.deleteMailbox(box("Doomed"));

        store = reopened(store);

        assertThat(uids(INBOX)).containsExactly(keep);
        assertThat(store.mailbox(box("Doomed"))).isEmpty();
        assertStoreError(StoreError.NO_SUCH_MESSAGE, () -> store.content(INBOX, drop));
        assertThat(store.quota("alice").messages()).isEqualTo(1);
        assertThat(store.quota("alice").bytes()).isEqualTo(4);
    }

    @Test
    void movedAndCopiedMessagesSurviveAReopen() {
        store.createMailbox(box("Archive"));
        long a = store.append(INBOX, msg("moved"), Flags.of(Flag.SEEN), DATE).uid();
        long b = append(INBOX, "copied").uid();
        var moved = store.move(INBOX, List.of(a), box("Archive"));
        var copied = store.copy(INBOX, List.of(b), box("Archive"));

        store = reopened(store);

        assertThat(uids(INBOX)).containsExactly(b);
        assertThat(uids(box("Archive"))).containsExactly(moved.targetUids().get(0), copied.targetUids().get(0));
        assertThat(text(store.content(box("Archive"), moved.targetUids().get(0)))).isEqualTo("moved");
        assertThat(store.messages(box("Archive")).get(0).flags()).isEqualTo(Flags.of(Flag.SEEN));
        assertThat(text(store.content(box("Archive"), copied.targetUids().get(0)))).isEqualTo("copied");
        assertThat(store.quota("alice").messages()).isEqualTo(3);
    }

    @Test
    void aRenamedInboxStaysEmptyAndItsMessagesStayMovedAfterAReopen() {
        append(INBOX, "one");
        store.renameMailbox(INBOX, box("Old"));
        store = reopened(store);
        assertThat(store.messages(INBOX)).isEmpty();
        assertThat(store.messages(box("Old"))).hasSize(1);
        assertThat(text(store.content(box("Old"), store.messages(box("Old")).get(0).uid()))).isEqualTo("one");
    }

    @Test
    void deliveredMessagesSurviveAReopenForEveryTarget() {
        List<AppendResult> r = store.deliver(List.of(INBOX, MailboxRef.inbox("bob"), box("Lists/java")),
                msg("to all"), DATE);
        store = reopened(store);
        for (AppendResult each : r) {
            assertThat(text(store.content(each.mailbox(), each.uid()))).isEqualTo("to all");
            assertThat(store.messages(each.mailbox())).singleElement()
                    .satisfies(m -> assertThat(m.internalDate()).isEqualTo(DATE));
        }
        assertThat(names(store, "alice")).contains("Lists", "Lists/java");
    }

    @Test
    void aReopenedStoreSendsEventsToNewSubscribers() {
        append(INBOX, "before");
        store = reopened(store);
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        AppendResult r = append(INBOX, "after");
        assertThat(next(q)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class,
                e -> assertThat(e.messages()).extracting(MessageMeta::uid).containsExactly(r.uid()));
    }

    // ---- failed changes leave nothing behind ----

    @Test
    void anAppendOverQuotaLeavesNothingAfterAReopen() {
        Store s = track(newStoreWithQuota(10, QuotaUsage.UNLIMITED));
        s.append(INBOX, MessageSource.of(new byte[10]), Flags.NONE, DATE);
        assertStoreError(StoreError.OVER_QUOTA, () -> s.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE,
                DATE));
        long uidNext = s.mailbox(INBOX).orElseThrow().uidNext();

        Store again = reopened(s);

        assertThat(again.messages(INBOX)).hasSize(1);
        assertThat(again.quota("alice")).isEqualTo(new QuotaUsage(10, 10, 1, QuotaUsage.UNLIMITED));
        assertStoreError(StoreError.OVER_QUOTA, () -> again.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE,
                DATE));
        again.expunge(INBOX, List.of(again.messages(INBOX).get(0).uid()));
        assertThat(again.append(INBOX, MessageSource.of(new byte[3]), Flags.NONE, DATE).uid())
                .isGreaterThanOrEqualTo(uidNext);
    }

    @Test
    void aDeliveryOverQuotaLeavesNothingAfterAReopen() {
        Store s = track(newStoreWithQuota(100, QuotaUsage.UNLIMITED));
        MailboxRef bob = MailboxRef.inbox("bob");
        s.append(bob, MessageSource.of(new byte[95]), Flags.NONE, DATE);
        assertStoreError(StoreError.OVER_QUOTA, () -> s.deliver(
                List.of(INBOX, box("New"), bob), MessageSource.of(new byte[10]), DATE));

        Store again = reopened(s);

        assertThat(again.messages(INBOX)).isEmpty();
        assertThat(again.mailbox(box("New"))).isEmpty();
        assertThat(again.messages(bob)).hasSize(1);
        assertThat(again.quota("alice").bytes()).isZero();
        assertThat(again.quota("bob").bytes()).isEqualTo(95);
    }

    @Test
    void anAppendWhoseContentFailsToReadLeavesNothingAfterAReopen() {
        byte[] half = new byte[64 * 1024];
        MessageSource breaksHalfway = new MessageSource() {
            @Override
            public long size() {
                return 2L * half.length;
            }

            @Override
            public InputStream openStream() {
                return new FilterInputStream(new java.io.ByteArrayInputStream(half)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n < 0) {
                            throw new IOException("spool file vanished");
                        }
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        if (c < 0) {
                            throw new IOException("spool file vanished");
                        }
                        return c;
                    }
                };
            }
        };
        append(INBOX, "kept");
        assertThatThrownBy(() -> store.append(INBOX, breaksHalfway, Flags.NONE, DATE))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.deliver(List.of(INBOX, MailboxRef.inbox("bob")), breaksHalfway, DATE))
                .isInstanceOf(StoreException.class);

        store = reopened(store);

        assertThat(store.messages(INBOX)).hasSize(1);
        assertThat(store.messages(MailboxRef.inbox("bob"))).isEmpty();
        assertThat(store.quota("alice")).satisfies(q -> {
            assertThat(q.messages()).isEqualTo(1);
            assertThat(q.bytes()).isEqualTo(4);
        });
        assertThat(store.quota("bob").messages()).isZero();
    }

    // ---- default folders ----

    @Test
    void defaultFoldersSurviveAReopenOnceAndWithTheirUidValidity() {
        Store s = defaultFolderStore();
        s.append(box("Sent"), msg("sent"), Flags.of(Flag.SEEN), DATE);
        s.deleteMailbox(box("Junk"));
        Map<String, MailboxInfo> before = new HashMap<>();
        s.mailboxes("alice").forEach(i -> before.put(i.ref().name(), i));

        Store again = reopened(s);

        List<MailboxInfo> after = again.mailboxes("alice");
        assertThat(after).extracting(i -> i.ref().name()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(before.keySet());
        for (MailboxInfo i : after) {
            assertThat(i.uidValidity()).isEqualTo(before.get(i.ref().name()).uidValidity());
            assertThat(i.specialUse()).isEqualTo(before.get(i.ref().name()).specialUse());
        }
        assertThat(again.mailbox(box("Sent")).orElseThrow().messages()).isEqualTo(1);
        assertThat(names(again, "newcomer")).contains("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
    }

    // ---- content ----

    @Test
    void aMessageLargerThanOneMebibyteIsReadBackExactlyAfterAReopen() {
        byte[] big = new byte[(1 << 20) + 4099];
        new Random(42).nextBytes(big);
        for (int i = 0; i < big.length; i += 997) { // sprinkle line ends, bare and paired
            big[i] = (byte) (i % 3 == 0 ? '\n' : '\r');
        }
        AppendResult r = store.append(INBOX, MessageSource.of(big.clone()), Flags.NONE, DATE);
        store = reopened(store);
        MessageSource back = store.content(INBOX, r.uid());
        assertThat(back.size()).isEqualTo(big.length);
        assertThat(bytes(back)).isEqualTo(big);
        assertThat(store.quota("alice").bytes()).isEqualTo(big.length);
    }

    /**
     * Whatever bytes are appended are read back the same after a reopen; some tries add a message over 1 MiB.
     */
    @Property(tries = 40)
    void appendedBytesAreReadBackExactlyAfterAReopen(@ForAll("rawMessageLists") List<byte[]> raws,
                                                     @ForAll("largeSizes") int largeSize) {
        Store s = newStore();
        try {
            List<byte[]> all = new ArrayList<>(raws);
            if (largeSize > 0) {
                byte[] large = new byte[largeSize];
                new Random(largeSize).nextBytes(large);
                all.add(large);
            }
            List<Long> uids = new ArrayList<>();
            for (byte[] raw : all) {
                uids.add(s.append(INBOX, MessageSource.of(raw.clone()), Flags.NONE, DATE).uid());
            }
            s = reopen(s);
            for (int i = 0; i < all.size(); i++) {
                MessageSource back = s.content(INBOX, uids.get(i));
                assertThat(back.size()).isEqualTo(all.get(i).length);
                assertThat(bytes(back)).isEqualTo(all.get(i));
            }
            assertThat(s.messages(INBOX)).extracting(MessageMeta::size)
                    .containsExactlyElementsOf(all.stream().map(b -> (long) b.length).toList());
        } finally {
            s.close();
        }
    }

    /** Up to five messages rich in NUL, bare CR and LF, dots and 8-bit octets. */
    @Provide
    protected Arbitrary<List<byte[]>> rawMessageLists() {
        return rawMessages().list().ofMinSize(1).ofMaxSize(5);
    }

    /** Mostly 0 (no large message), sometimes a size just over 1 MiB. */
    @Provide
    protected Arbitrary<Integer> largeSizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between((1 << 20) + 1, (1 << 20) + 70_000)));
    }
}
