package dev.mailcore.imap.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImapMessageCommandsTest extends ImapTestSupport {

    @Test
    void fetchesMetadataAndBodySections() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<String> lines = imap.run("a1 FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (Subject)] BODY.PEEK[TEXT])");
        assertThat(lines.get(0)).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Recent) INTERNALDATE \"24-Nov-2026 10:00:00 +0000\""
                + " RFC822.SIZE " + MESSAGE.length() + " BODY[HEADER.FIELDS (SUBJECT)] {18}");
        assertThat(lines.get(1)).isEqualTo("Subject: Hello");
        assertThat(lines.get(2)).isEmpty();
        assertThat(lines.get(3)).isEqualTo(" BODY[TEXT] {14}");
        assertThat(lines.get(4)).isEqualTo("Hello Alice!");
        assertThat(lines.get(5)).isEqualTo(")");
        assertThat(last(lines)).isEqualTo("a1 OK Fetch completed.");
    }

    @Test
    void fetchesPartialBodyWithOrigin() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<String> lines = imap.run("a1 FETCH 1 BODY.PEEK[]<6.3>");
        assertThat(lines.get(0)).isEqualTo("* 1 FETCH (BODY[]<6> {3}");
        assertThat(lines.get(1)).isEqualTo("Bob)");
    }

    @Test
    void fetchingTheBodySetsSeenAndReportsFlags() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<String> lines = imap.run("a1 FETCH 1 (BODY[TEXT])");
        assertThat(lines.get(0)).isEqualTo("* 1 FETCH (BODY[TEXT] {14}");
        assertThat(lines.get(2)).isEqualTo(" FLAGS (\\Seen \\Recent))");
        assertThat(store.messages(MailboxRef.inbox("alice")).get(0).flags().contains(Flag.SEEN)).isTrue();
        assertThat(imap.run("a2 FETCH 1 (BODY[TEXT])").get(2)).isEqualTo(")");
    }

    @Test
    void examineDoesNotSetSeen() {
        deliver(MESSAGE);
        ImapTester imap = session();
        imap.run("a0 EXAMINE INBOX");
        imap.run("a1 FETCH 1 RFC822");
        assertThat(store.messages(MailboxRef.inbox("alice")).get(0).flags().contains(Flag.SEEN)).isFalse();
    }

    @Test
    void uidFetchAlwaysIncludesTheUid() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = selected();
        assertThat(imap.run("a1 UID FETCH 2:* FLAGS")).containsExactly("* 2 FETCH (UID 2 FLAGS (\\Recent))",
                "a1 OK Fetch completed.");
        assertThat(imap.run("a2 UID FETCH 7 FLAGS")).containsExactly("a2 OK Fetch completed.");
    }

    @Test
    void rejectsSequenceNumbersThatDoNotExist() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        assertThat(imap.run("a1 FETCH 2 FLAGS")).containsExactly("a1 BAD Error in IMAP command FETCH: Invalid messageset");
    }

    @Test
    void fetchesEnvelopeAndBodyStructure() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<String> lines = imap.run("a1 FETCH 1 (ENVELOPE BODYSTRUCTURE)");
        assertThat(lines.get(0)).startsWith("* 1 FETCH (ENVELOPE (\"Tue, 24 Nov 2026 10:00:00 +0000\" \"Hello\"")
                .contains("BODYSTRUCTURE (\"text\" \"plain\"");
    }

    @Test
    void fetchesModSeqAndChangedSince() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<MessageMeta> metas = store.messages(MailboxRef.inbox("alice"));
        assertThat(imap.run("a1 FETCH 1:2 (MODSEQ)")).containsExactly(
                "* OK [HIGHESTMODSEQ " + metas.get(1).modSeq() + "] Highest",
                "* 1 FETCH (MODSEQ (" + metas.get(0).modSeq() + "))",
                "* 2 FETCH (MODSEQ (" + metas.get(1).modSeq() + "))", "a1 OK Fetch completed.");
        assertThat(imap.run("a2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + metas.get(0).modSeq() + ")")).containsExactly(
                "* 2 FETCH (UID 2 FLAGS (\\Recent) MODSEQ (" + metas.get(1).modSeq() + "))", "a2 OK Fetch completed.");
    }

    @Test
    void storesFlagsInEveryMode() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        assertThat(imap.run("a1 STORE 1 FLAGS (\\Seen \\Flagged)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent))", "a1 OK Store completed.");
        assertThat(imap.run("a2 STORE 1 -FLAGS (\\Seen)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Flagged \\Recent))", "a2 OK Store completed.");
        assertThat(imap.run("a3 UID STORE 1 +FLAGS.SILENT (\\Deleted)")).containsExactly("a3 OK Store completed.");
        assertThat(store.messages(MailboxRef.inbox("alice")).get(0).flags().contains(Flag.DELETED)).isTrue();
        assertThat(imap.run("a4 STORE 1 +FLAGS (\\Bogus)")).last().asString().startsWith("a4 BAD");
    }

    @Test
    void conditionalStoreReportsModifiedMessages() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<MessageMeta> metas = store.messages(MailboxRef.inbox("alice"));
        long first = metas.get(0).modSeq();
        List<String> lines = imap.run("a1 STORE 1:2 (UNCHANGEDSINCE " + first + ") +FLAGS (\\Seen)");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("* OK [HIGHESTMODSEQ " + metas.get(1).modSeq() + "] Highest");
        assertThat(lines.get(1)).startsWith("* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) MODSEQ (");
        assertThat(lines.get(2)).isEqualTo("a1 OK [MODIFIED 2] Conditional store failed.");
    }

    @Test
    void silentConditionalStoreStillReportsUidAndModSeq() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = selected();
        MailboxRef inbox = MailboxRef.inbox("alice");
        long highest = store.mailbox(inbox).get().highestModSeq();
        List<String> lines = imap.run("a1 STORE 1:2 (UNCHANGEDSINCE " + highest + ") +FLAGS.SILENT (\\Deleted)");
        List<MessageMeta> metas = store.messages(inbox);
        assertThat(metas.get(0).modSeq()).isGreaterThan(highest);
        assertThat(lines).containsExactly("* OK [HIGHESTMODSEQ " + highest + "] Highest",
                "* 1 FETCH (UID 1 MODSEQ (" + metas.get(0).modSeq() + "))",
                "* 2 FETCH (UID 2 MODSEQ (" + metas.get(1).modSeq() + "))", "a1 OK Store completed.");
    }

    @Test
    void onceCondStoreIsEnabledEveryStoreFetchCarriesUidAndModSeq() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        MailboxRef inbox = MailboxRef.inbox("alice");
        long highest = store.mailbox(inbox).get().highestModSeq();
        assertThat(imap.run("a1 ENABLE CONDSTORE")).containsExactly("* OK [HIGHESTMODSEQ " + highest + "] Highest",
                "* ENABLED CONDSTORE", "a1 OK Enabled.");
        List<String> store1 = imap.run("a2 STORE 1 +FLAGS (\\Flagged)");
        assertThat(store1).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent) MODSEQ ("
                + store.messages(inbox).get(0).modSeq() + "))", "a2 OK Store completed.");
        List<String> store2 = imap.run("a3 STORE 1 +FLAGS.SILENT (\\Answered)");
        assertThat(store2).containsExactly("* 1 FETCH (UID 1 MODSEQ (" + store.messages(inbox).get(0).modSeq() + "))",
                "a3 OK Store completed.");
    }

    @Test
    void implicitSeenFetchCarriesUidAndModSeqForCondStoreClients() {
        deliver(MESSAGE);
        ImapTester imap = session();
        imap.run("a0 ENABLE CONDSTORE");
        imap.run("a1 SELECT INBOX");
        List<String> lines = imap.run("a2 FETCH 1 (BODY[TEXT])");
        long modSeq = store.messages(MailboxRef.inbox("alice")).get(0).modSeq();
        assertThat(lines).containsExactly("* 1 FETCH (UID 1 BODY[TEXT] {14}", "Hello Alice!",
                " FLAGS (\\Seen \\Recent) MODSEQ (" + modSeq + "))", "a2 OK Fetch completed.");
        // a FETCH that changes nothing is answered as asked
        assertThat(imap.run("a3 FETCH 1 (FLAGS)")).containsExactly("* 1 FETCH (FLAGS (\\Seen \\Recent))",
                "a3 OK Fetch completed.");
    }

    @Test
    void sortByModSeqAppendsTheHighestModSeq() {
        deliver(message("b subject", "1"));
        deliver(message("a subject", "2"));
        ImapTester imap = session();
        imap.run("a0 ENABLE CONDSTORE");
        imap.run("a1 SELECT INBOX");
        List<MessageMeta> metas = store.messages(MailboxRef.inbox("alice"));
        assertThat(imap.run("a2 SORT (SUBJECT) UTF-8 MODSEQ 1")).containsExactly(
                "* SORT 2 1 (MODSEQ " + metas.get(1).modSeq() + ")", "a2 OK Sort completed.");
        assertThat(imap.run("a3 UID SORT (SUBJECT) UTF-8 MODSEQ " + (metas.get(1).modSeq() + 1)))
                .containsExactly("* SORT", "a3 OK Sort completed.");
    }

    @Test
    void searchesWithRev1AndEsearchResponses() {
        deliver(message("one", "apple"), Flag.SEEN);
        deliver(message("two", "banana"));
        deliver(message("three", "apple pie"));
        ImapTester imap = selected();
        assertThat(imap.run("a1 SEARCH UNSEEN")).containsExactly("* SEARCH 2 3", "a1 OK Search completed.");
        assertThat(imap.run("a2 UID SEARCH BODY apple")).containsExactly("* SEARCH 1 3", "a2 OK Search completed.");
        assertThat(imap.run("a3 SEARCH RETURN (MIN MAX COUNT ALL) ALL")).containsExactly(
                "* ESEARCH (TAG \"a3\") MIN 1 MAX 3 COUNT 3 ALL 1:3", "a3 OK Search completed.");
        assertThat(imap.run("a4 UID SEARCH RETURN () SUBJECT nothing")).containsExactly(
                "* ESEARCH (TAG \"a4\") UID", "a4 OK Search completed.");
        // every charset the parser can decode is searchable; the others are refused alike by SEARCH, SORT and THREAD
        assertThat(imap.run("a5 SEARCH CHARSET KOI8-R ALL")).containsExactly("* SEARCH 1 2 3",
                "a5 OK Search completed.");
        assertThat(imap.run("a6 SEARCH CHARSET X-NOPE ALL")).containsExactly(
                "a6 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
        assertThat(imap.run("a7 SORT (SUBJECT) X-NOPE ALL")).containsExactly(
                "a7 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
        assertThat(imap.run("a8 THREAD REFERENCES X-NOPE ALL")).containsExactly(
                "a8 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
    }

    @Test
    void savesSearchResultsForDollar() {
        deliver(message("one", "apple"));
        deliver(message("two", "banana"));
        deliver(message("three", "apple pie"));
        ImapTester imap = selected();
        assertThat(imap.run("a1 UID SEARCH RETURN (SAVE) BODY apple")).containsExactly("a1 OK Search completed.");
        assertThat(imap.run("a2 FETCH $ (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)",
                "a2 OK Fetch completed.");
    }

    @Test
    void rev2SearchAlwaysAnswersWithEsearch() {
        deliver(MESSAGE);
        ImapTester imap = session();
        imap.run("a0 ENABLE IMAP4rev2");
        imap.run("a1 SELECT INBOX");
        assertThat(imap.run("a2 SEARCH ALL")).containsExactly("* ESEARCH (TAG \"a2\") ALL 1", "a2 OK Search completed.");
    }

    @Test
    void searchByModSeqReportsTheHighest() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = selected();
        List<MessageMeta> metas = store.messages(MailboxRef.inbox("alice"));
        assertThat(imap.run("a1 SEARCH MODSEQ " + metas.get(1).modSeq())).containsExactly(
                "* OK [HIGHESTMODSEQ " + metas.get(1).modSeq() + "] Highest",
                "* SEARCH 2 (MODSEQ " + metas.get(1).modSeq() + ")", "a1 OK Search completed.");
    }

    @Test
    void copiesWithCopyUidAndAsksToCreateMissingTargets() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        store.createMailbox(new MailboxRef("alice", "Archive"));
        long validity = store.mailbox(new MailboxRef("alice", "Archive")).get().uidValidity();
        ImapTester imap = selected();
        assertThat(imap.run("a1 COPY 1:2 Archive")).containsExactly(
                "a1 OK [COPYUID " + validity + " 1:2 1:2] Copy completed.");
        assertThat(imap.run("a2 COPY 1 Nowhere")).containsExactly("a2 NO [TRYCREATE] Mailbox doesn't exist: Nowhere");
        assertThat(store.messages(new MailboxRef("alice", "Archive"))).hasSize(2);
    }

    @Test
    void expungesDeletedMessagesAndUidExpungeOnlyTheGivenOnes() {
        deliver(message("1", "1"), Flag.DELETED);
        deliver(message("2", "2"), Flag.DELETED);
        deliver(message("3", "3"));
        deliver(message("4", "4"), Flag.DELETED);
        ImapTester imap = selected();
        assertThat(imap.run("a1 UID EXPUNGE 2:3")).containsExactly("* 2 EXPUNGE", "a1 OK Expunge completed.");
        assertThat(imap.run("a2 EXPUNGE")).containsExactly("* 1 EXPUNGE", "* 2 EXPUNGE", "a2 OK Expunge completed.");
        assertThat(store.messages(MailboxRef.inbox("alice"))).extracting(MessageMeta::uid).containsExactly(3L);
    }

    @Test
    void closeExpungesSilentlyAndUnselectDoesNot() {
        deliver(message("1", "1"), Flag.DELETED);
        deliver(message("2", "2"));
        ImapTester imap = selected();
        assertThat(imap.run("a1 UNSELECT")).containsExactly("a1 OK Unselect completed.");
        assertThat(store.messages(MailboxRef.inbox("alice"))).hasSize(2);
        imap.run("a2 SELECT INBOX");
        assertThat(imap.run("a3 CLOSE")).containsExactly("a3 OK Close completed.");
        assertThat(store.messages(MailboxRef.inbox("alice"))).hasSize(1);
        assertThat(imap.run("a4 FETCH 1 FLAGS")).containsExactly("a4 BAD No mailbox selected.");
    }

    @Test
    void sortsAndThreads() {
        deliver(message("b subject", "1"));
        deliver(message("a subject", "2"));
        ImapTester imap = selected();
        assertThat(imap.run("a1 SORT (SUBJECT) UTF-8 ALL")).containsExactly("* SORT 2 1", "a1 OK Sort completed.");
        assertThat(imap.run("a2 UID SORT (REVERSE SUBJECT) UTF-8 ALL")).containsExactly("* SORT 1 2",
                "a2 OK Sort completed.");
        assertThat(imap.run("a3 THREAD ORDEREDSUBJECT UTF-8 ALL")).containsExactly("* THREAD (1)(2)",
                "a3 OK Thread completed.");
    }

    @Test
    void aFetchWhoseClientLeftBeforeItRanReadsNoMessage() {
        assertThat(readsAfterTheClientLeft("a3 FETCH 1:* (BODY.PEEK[])")).isZero();
    }

    @Test
    void aSearchWhoseClientLeftBeforeItRanReadsNoMessage() {
        assertThat(readsAfterTheClientLeft("a3 SEARCH BODY nowhere")).isZero();
    }

    /** How many messages {@code command} reads when the client leaves before the store call runs. */
    private int readsAfterTheClientLeft(String command) {
        for (int i = 0; i < 5; i++) {
            deliver(MESSAGE);
        }
        CountingStore counting = new CountingStore(store);
        java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
        ImapTester imap = ImapTester.connect(new dev.mailcore.imap.ImapProtocol(
                configBuilder().store(counting).executor(held::add).build()));
        imap.nextLine();
        imap.send("a1 LOGIN alice secret");
        runAll(held, imap);
        imap.send("a2 SELECT INBOX");
        runAll(held, imap);
        assertThat(last(imap.until("a2 "))).startsWith("a2 OK");
        imap.send(command);
        assertThat(held).hasSize(1); // the command waits for the executor
        imap.channel.close();
        runAll(held, imap);
        assertThat(counting.open()).isZero();
        return counting.contentReads();
    }

    private static void runAll(java.util.ArrayDeque<Runnable> held, ImapTester imap) {
        while (!held.isEmpty()) {
            held.poll().run();
            imap.settle();
        }
    }
}
