package dev.mailcore.store;

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
import dev.mailcore.store.tck.StoreContract;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract for {@link MemoryStore}, plus what only the memory store has: byte limit, builder, sharing. */
class MemoryStoreTest extends StoreContract {

    @Override
    protected Store newStore() {
        return new MemoryStore();
    }

    @Override
    protected Store newStoreWithQuota(long bytesPerUser, long messagesPerUser) {
        return MemoryStore.builder().quota(bytesPerUser, messagesPerUser).build();
    }

    @Override
    protected Store newStoreWithDefaultFolders() {
        return MemoryStore.builder().standardFolders().build();
    }

    @Test
    void aFullStoreSaysHowManyBytesAreUsed() {
        MemoryStore s = MemoryStore.builder().maxBytes(100).build();
        s.append(INBOX, MessageSource.of(new byte[60]), Flags.NONE, DATE);
        assertThatThrownBy(() -> s.append(INBOX, MessageSource.of(new byte[50]), Flags.NONE, DATE))
                .isInstanceOfSatisfying(dev.mailcore.api.store.StoreException.class, e -> {
                    assertThat(e.error()).isEqualTo(StoreError.STORAGE_FULL);
                    assertThat(e.getMessage()).isEqualTo("memory store full: 60 of 100 bytes used");
                });
        assertThat(s.messages(INBOX)).hasSize(1);
        assertThat(s.usedBytes()).isEqualTo(60);
        s.append(INBOX, MessageSource.of(new byte[40]), Flags.NONE, DATE);
        assertThat(s.usedBytes()).isEqualTo(100);
    }

    @Test
    void aDeliveryThatDoesNotFitTheStoreChangesNothing() {
        MemoryStore s = MemoryStore.builder().maxBytes(10).build();
        assertStoreError(StoreError.STORAGE_FULL, () -> s.deliver(
                List.of(INBOX, MailboxRef.inbox("bob"), new MailboxRef("carol", "New")),
                MessageSource.of(new byte[11]), DATE));
        assertThat(s.messages(INBOX)).isEmpty();
        assertThat(s.mailbox(new MailboxRef("carol", "New"))).isEmpty();
        assertThat(s.usedBytes()).isZero();
    }

    @Test
    void deliveredCopiesShareOneByteArray() {
        MemoryStore s = MemoryStore.builder().maxBytes(1000).build();
        List<AppendResult> r = s.deliver(List.of(INBOX, MailboxRef.inbox("bob"), MailboxRef.inbox("carol")),
                MessageSource.of(new byte[600]), DATE);
        assertThat(s.usedBytes()).isEqualTo(600);
        assertThat(s.quota("bob").bytes()).isEqualTo(600);

        s.createMailbox(new MailboxRef("alice", "Copy"));
        s.copy(INBOX, List.of(r.get(0).uid()), new MailboxRef("alice", "Copy"));
        assertThat(s.usedBytes()).as("a copy shares the bytes").isEqualTo(600);
        assertThat(s.quota("alice").bytes()).as("quota counts every copy").isEqualTo(1200);

        s.expunge(INBOX, List.of(r.get(0).uid()));
        s.expunge(MailboxRef.inbox("bob"), List.of(r.get(1).uid()));
        s.deleteMailbox(new MailboxRef("alice", "Copy"));
        assertThat(s.usedBytes()).as("still held by carol").isEqualTo(600);
        s.expunge(MailboxRef.inbox("carol"), List.of(r.get(2).uid()));
        assertThat(s.usedBytes()).isZero();
    }

    @Test
    void aSourceShorterThanItsSizeIsRejectedAndNothingIsStored() {
        MemoryStore s = new MemoryStore();
        MessageSource liar = new FixedSource(new byte[5], 10);
        assertStoreError(StoreError.FAILURE, () -> s.append(INBOX, liar, Flags.NONE, DATE));
        assertStoreError(StoreError.FAILURE, () -> s.deliver(List.of(INBOX), liar, DATE));
        assertThat(s.messages(INBOX)).isEmpty();
        assertThat(s.usedBytes()).isZero();
    }

    @Test
    void aSourceLongerThanItsSizeIsRejected() {
        MemoryStore s = new MemoryStore();
        assertStoreError(StoreError.FAILURE, () -> s.append(INBOX, new FixedSource(new byte[12], 10), Flags.NONE,
                DATE));
        assertThat(s.quota("alice").messages()).isZero();
    }

    @Test
    void aSourceThatFailsToReadGivesFailure() {
        MessageSource broken = new MessageSource() {
            @Override
            public long size() {
                return 3;
            }

            @Override
            public InputStream openStream() throws IOException {
                throw new IOException("spool gone");
            }
        };
        assertStoreError(StoreError.FAILURE, () -> new MemoryStore().append(INBOX, broken, Flags.NONE, DATE));
    }

    @Test
    void noDefaultFoldersUnlessConfigured() {
        assertThat(new MemoryStore().mailboxes("alice")).extracting(i -> i.ref().name()).containsExactly("INBOX");
    }

    @Test
    void standardFoldersComeWithSpecialUseAndSubscription() {
        MemoryStore s = MemoryStore.builder().standardFolders().defaultFolder("Lists/Java").build();
        List<MailboxInfo> boxes = s.mailboxes("alice");
        assertThat(boxes).extracting(i -> i.ref().name())
                .containsExactlyInAnyOrder("INBOX", "Drafts", "Sent", "Junk", "Trash", "Archive", "Lists",
                        "Lists/Java");
        assertThat(s.mailbox(new MailboxRef("alice", "Sent")).orElseThrow().specialUse()).containsExactly("\\Sent");
        assertThat(s.mailbox(new MailboxRef("alice", "Trash")).orElseThrow().specialUse())
                .containsExactly("\\Trash");
        assertThat(s.mailbox(INBOX).orElseThrow().specialUse()).isEmpty();
        assertThat(s.subscriptions("alice")).contains("Sent", "Drafts", "Lists/Java");
        // a special-use folder may be deleted by its user
        s.deleteMailbox(new MailboxRef("alice", "Junk"));
        assertThat(s.mailbox(new MailboxRef("alice", "Junk"))).isEmpty();
        assertThat(s.mailbox(new MailboxRef("bob", "Junk"))).isPresent();
    }

    @Test
    void specialUseStaysWithARenamedFolder() {
        MemoryStore s = MemoryStore.builder().defaultFolder("Sent", "\\Sent").build();
        s.renameMailbox(new MailboxRef("alice", "Sent"), new MailboxRef("alice", "Sent Items"));
        assertThat(s.mailbox(new MailboxRef("alice", "Sent Items")).orElseThrow().specialUse())
                .containsExactly("\\Sent");
    }

    @Test
    void uidValidityComesFromTheClockAndNeverRepeats() {
        Clock fixed = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        MemoryStore s = MemoryStore.builder().clock(fixed).build();
        long inbox = s.mailbox(INBOX).orElseThrow().uidValidity();
        long a = s.createMailbox(new MailboxRef("alice", "a")).uidValidity();
        s.deleteMailbox(new MailboxRef("alice", "a"));
        long again = s.createMailbox(new MailboxRef("alice", "a")).uidValidity();
        assertThat(inbox).isEqualTo(1_700_000_000L);
        assertThat(a).isEqualTo(1_700_000_001L);
        assertThat(again).isEqualTo(1_700_000_002L);
    }

    @Test
    void renamingInboxKeepsItsUidValidityAndUidNext() {
        MemoryStore s = new MemoryStore();
        s.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE, DATE);
        MailboxInfo before = s.mailbox(INBOX).orElseThrow();
        s.renameMailbox(INBOX, new MailboxRef("alice", "Old"));
        MailboxInfo after = s.mailbox(INBOX).orElseThrow();
        assertThat(after.uidValidity()).isEqualTo(before.uidValidity());
        assertThat(after.uidNext()).isEqualTo(before.uidNext());
        assertThat(after.highestModSeq()).isGreaterThan(before.highestModSeq());
        assertThat(s.mailbox(new MailboxRef("alice", "Old")).orElseThrow().uidValidity())
                .isNotEqualTo(before.uidValidity());
    }

    @Test
    void aMissingInternalDateComesFromTheClock() {
        Instant now = Instant.parse("2026-11-25T01:00:00Z");
        MemoryStore s = MemoryStore.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        s.append(INBOX, MessageSource.of(new byte[1]), null, null);
        s.deliver(List.of(INBOX), MessageSource.of(new byte[1]), null);
        assertThat(s.messages(INBOX)).allSatisfy(m -> {
            assertThat(m.internalDate()).isEqualTo(now);
            assertThat(m.flags()).isEqualTo(Flags.NONE);
        });
    }

    @Test
    void setQuotaOverridesTheDefaultForOneUser() {
        MemoryStore s = MemoryStore.builder().quota(100, 10).build();
        s.setQuota("Bob", 5, QuotaUsage.UNLIMITED);
        assertThat(s.quota("bob")).isEqualTo(new QuotaUsage(0, 5, 0, QuotaUsage.UNLIMITED));
        assertThat(s.quota("alice")).isEqualTo(new QuotaUsage(0, 100, 0, 10));
        assertStoreError(StoreError.OVER_QUOTA, () -> s.append(MailboxRef.inbox("bob"),
                MessageSource.of(new byte[6]), Flags.NONE, DATE));
    }

    @Test
    void userNamesAreCaseInsensitive() {
        MemoryStore s = new MemoryStore();
        s.append(MailboxRef.inbox("Alice"), MessageSource.of(new byte[3]), Flags.NONE, DATE);
        assertThat(s.messages(INBOX)).hasSize(1);
        assertThat(s.quota("ALICE").messages()).isEqualTo(1);
    }

    @Test
    void builderRejectsNonsense() {
        assertThatThrownBy(() -> MemoryStore.builder().maxBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryStore.builder().quota(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryStore.builder().defaultFolder("inbox"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryStore.builder().defaultFolder("Sent", "Sent"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryStore.builder().defaultFolder("a//b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MemoryStore.builder().defaultFolder("x", "\\Flagged").build().mailbox(
                new MailboxRef("u", "x")).orElseThrow().specialUse()).isEqualTo(Set.of("\\Flagged"));
    }

    @Test
    void closeDropsListeners() {
        MemoryStore s = new MemoryStore();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        s.subscribe("alice", e -> calls.incrementAndGet());
        s.close();
        s.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE, DATE);
        assertThat(calls).hasValue(0);
    }

    @Test
    void listenersRunOutsideTheUserLock() throws Exception {
        MemoryStore s = new MemoryStore();
        CountDownLatch otherAppendDone = new CountDownLatch(1);
        CountDownLatch listenerEntered = new CountDownLatch(1);
        List<Long> addedUids = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean notBlocked = new java.util.concurrent.atomic.AtomicBoolean();
        s.subscribe("alice", e -> {
            if (e instanceof StoreEvent.MessagesAdded a) {
                addedUids.add(a.messages().get(0).uid());
                if (addedUids.size() == 1) {
                    listenerEntered.countDown();
                    try {
                        // the second append must not be blocked by this listener holding a lock
                        notBlocked.set(otherAppendDone.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<AppendResult> first = pool.submit(() -> s.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE,
                    DATE));
            assertThat(listenerEntered.await(10, TimeUnit.SECONDS)).isTrue();
            AppendResult second = s.append(INBOX, MessageSource.of(new byte[2]), Flags.NONE, DATE);
            otherAppendDone.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(notBlocked).as("second append finished while the listener ran").isTrue();
            // the first thread, still delivering, hands the second event on in order
            assertThat(addedUids).containsExactly(1L, second.uid());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void movesBetweenTwoUsersInOppositeDirectionsDoNotDeadlock() throws Exception {
        MemoryStore s = new MemoryStore();
        MailboxRef bob = MailboxRef.inbox("bob");
        for (int i = 0; i < 200; i++) {
            s.append(INBOX, MessageSource.of(new byte[] {1}), Flags.NONE, DATE);
            s.append(bob, MessageSource.of(new byte[] {2}), Flags.NONE, DATE);
        }
        java.util.concurrent.atomic.AtomicInteger threadNo = new java.util.concurrent.atomic.AtomicInteger();
        runConcurrently(4, () -> {
            boolean toBob = threadNo.getAndIncrement() % 2 == 0;
            MailboxRef from = toBob ? INBOX : bob;
            MailboxRef to = toBob ? bob : INBOX;
            for (int i = 0; i < 300; i++) {
                List<MessageMeta> here = s.messages(from);
                if (!here.isEmpty()) {
                    s.move(from, List.of(here.get(0).uid()), to);
                }
            }
        });
        assertThat(s.messages(INBOX).size() + s.messages(bob).size()).isEqualTo(400);
        assertThat(s.quota("alice").messages() + s.quota("bob").messages()).isEqualTo(400);
        assertThat(s.usedBytes()).isEqualTo(400);
    }

    @Test
    void mixedConcurrentOperationsKeepQuotaAndSharedBytesConsistent() throws Exception {
        MemoryStore s = new MemoryStore();
        List<MailboxRef> boxes = List.of(INBOX, new MailboxRef("alice", "Work"), MailboxRef.inbox("bob"),
                new MailboxRef("bob", "Work"));
        s.createMailbox(boxes.get(1));
        s.createMailbox(boxes.get(3));
        java.util.concurrent.atomic.AtomicInteger threadNo = new java.util.concurrent.atomic.AtomicInteger();
        runConcurrently(4, () -> {
            java.util.Random random = new java.util.Random(threadNo.getAndIncrement());
            for (int i = 0; i < 400; i++) {
                MailboxRef from = boxes.get(random.nextInt(boxes.size()));
                MailboxRef to = boxes.get(random.nextInt(boxes.size()));
                List<MessageMeta> present = s.messages(from);
                List<Long> some = present.isEmpty() ? List.of(1L)
                        : List.of(present.get(random.nextInt(present.size())).uid());
                switch (random.nextInt(6)) {
                    case 0 -> s.append(from, MessageSource.of(new byte[1 + random.nextInt(50)]), Flags.NONE, DATE);
                    case 1 -> s.deliver(List.of(from, to), MessageSource.of(new byte[1 + random.nextInt(50)]), DATE);
                    case 2 -> s.copy(from, some, to);
                    case 3 -> s.move(from, some, to);
                    case 4 -> s.updateFlags(from, some, FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
                    default -> s.expunge(from, some);
                }
            }
        });
        for (String user : List.of("alice", "bob")) {
            long bytes = 0;
            long count = 0;
            for (MailboxInfo info : s.mailboxes(user)) {
                bytes += info.totalSize();
                count += info.messages();
                assertThat(s.messages(info.ref())).hasSize(info.messages()).extracting(MessageMeta::uid).isSorted();
            }
            assertThat(s.quota(user)).isEqualTo(new QuotaUsage(bytes, QuotaUsage.UNLIMITED, count,
                    QuotaUsage.UNLIMITED));
        }
        // every shared array is released exactly once, after its last copy
        for (MailboxRef box : boxes) {
            s.expunge(box, s.messages(box).stream().map(MessageMeta::uid).toList());
        }
        assertThat(s.usedBytes()).isZero();
    }

    @Test
    void aCopyToAnotherUserCountsAgainstThatUsersQuota() {
        MemoryStore s = new MemoryStore();
        s.setQuota("bob", 5, QuotaUsage.UNLIMITED);
        long small = s.append(INBOX, MessageSource.of(new byte[5]), Flags.NONE, DATE).uid();
        long big = s.append(INBOX, MessageSource.of(new byte[6]), Flags.NONE, DATE).uid();
        assertStoreError(StoreError.OVER_QUOTA, () -> s.copy(INBOX, List.of(big), MailboxRef.inbox("bob")));
        s.move(INBOX, List.of(small), MailboxRef.inbox("bob"));
        assertThat(s.quota("bob")).isEqualTo(new QuotaUsage(5, 5, 1, QuotaUsage.UNLIMITED));
        assertThat(s.quota("alice").bytes()).isEqualTo(6);
        assertThat(s.usedBytes()).isEqualTo(11);
    }

    @Test
    void aTargetListedTwiceGetsTwoCopies() {
        MemoryStore s = new MemoryStore();
        List<AppendResult> r = s.deliver(List.of(INBOX, INBOX), MessageSource.of(new byte[4]), DATE);
        assertThat(r).extracting(AppendResult::uid).containsExactly(1L, 2L);
        assertThat(s.usedBytes()).isEqualTo(4);
        assertThat(s.quota("alice").bytes()).isEqualTo(8);
    }

    /** A source whose declared size differs from what its stream yields. */
    private record FixedSource(byte[] bytes, long size) implements MessageSource {
        @Override
        public InputStream openStream() {
            return new ByteArrayInputStream(bytes);
        }
    }
}
