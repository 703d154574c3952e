package dev.mailcore.imap.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two sessions on one mailbox: what one does shows up in the other, at the moments RFC 9051 §7.5.1 allows. */
class ImapNotificationTest extends ImapTestSupport {

    @Test
    void appendInOneSessionIsAnnouncedInTheOtherAtTheNextCommand() {
        ImapTester a = selected();
        ImapTester b = selected();
        assertThat(a.run("a1 APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE)).last().asString()
                .startsWith("a1 OK [APPENDUID ");
        b.expectNothing();
        assertThat(b.run("b1 NOOP")).containsExactly("* 1 EXISTS", "* 0 RECENT", "b1 OK NOOP completed.");
    }

    @Test
    void flagChangesOfAnotherSessionAppearAsFetch() {
        deliver(MESSAGE);
        ImapTester a = selected();
        ImapTester b = selected();
        assertThat(a.run("a1 STORE 1 +FLAGS (\\Flagged)")).containsExactly("* 1 FETCH (FLAGS (\\Flagged \\Recent))",
                "a1 OK Store completed.");
        assertThat(b.run("b1 NOOP")).containsExactly("* 1 FETCH (FLAGS (\\Flagged))", "b1 OK NOOP completed.");
        // the session that made the change is not told twice
        assertThat(a.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
    }

    @Test
    void flagChangesCarryModSeqOnceCondStoreIsEnabled() {
        deliver(MESSAGE);
        ImapTester a = selected();
        ImapTester b = session();
        b.run("b0 ENABLE CONDSTORE");
        b.run("b1 SELECT INBOX");
        a.run("a1 STORE 1 +FLAGS (\\Answered)");
        long modSeq = store.messages(MailboxRef.inbox("alice")).get(0).modSeq();
        assertThat(b.run("b2 NOOP")).containsExactly("* 1 FETCH (UID 1 FLAGS (\\Answered) MODSEQ (" + modSeq + "))",
                "b2 OK NOOP completed.");
    }

    @Test
    void expungesAreHeldBackDuringFetchStoreAndSearch() {
        deliver(message("one", "1"));
        deliver(message("two", "2"));
        deliver(message("three", "3"));
        ImapTester a = selected();
        ImapTester b = selected();
        a.run("a1 STORE 2 +FLAGS.SILENT (\\Deleted)");
        assertThat(a.run("a2 EXPUNGE")).containsExactly("* 2 EXPUNGE", "a2 OK Expunge completed.");

        List<String> fetch = b.run("b1 FETCH 1:3 (UID)");
        assertThat(fetch).noneMatch(l -> l.endsWith(" EXPUNGE"));
        assertThat(fetch).contains("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)");
        assertThat(b.run("b2 STORE 3 +FLAGS.SILENT (\\Seen)")).noneMatch(l -> l.contains("EXPUNGE"));
        assertThat(b.run("b3 SEARCH ALL")).noneMatch(l -> l.contains("EXPUNGE"));
        // sequence numbers still count the expunged message until the EXPUNGE is sent
        assertThat(b.run("b4 FETCH 3 (UID)")).first().isEqualTo("* 3 FETCH (UID 3)");
        assertThat(b.run("b5 NOOP")).containsExactly("* 2 EXPUNGE", "b5 OK NOOP completed.");
        assertThat(b.run("b6 FETCH 2 (UID)")).first().isEqualTo("* 2 FETCH (UID 3)");
    }

    @Test
    void uidCommandsMayReportExpunges() {
        deliver(message("one", "1"));
        deliver(message("two", "2"));
        ImapTester a = selected();
        ImapTester b = selected();
        a.run("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
        a.run("a2 EXPUNGE");
        assertThat(b.run("b1 UID FETCH 1:* (FLAGS)")).contains("* 1 EXPUNGE").last().asString()
                .isEqualTo("b1 OK Fetch completed.");
    }

    @Test
    void qresyncClientsGetVanishedInsteadOfExpunge() {
        deliver(message("one", "1"));
        deliver(message("two", "2"));
        ImapTester a = selected();
        ImapTester b = session();
        b.run("b0 ENABLE QRESYNC");
        b.run("b1 SELECT INBOX");
        store.expunge(MailboxRef.inbox("alice"), List.of(1L));
        assertThat(b.run("b2 NOOP")).containsExactly("* VANISHED 1", "b2 OK NOOP completed.");
        a.expectNothing();
        assertThat(a.run("a1 NOOP")).containsExactly("* 1 EXPUNGE", "a1 OK NOOP completed.");
    }

    @Test
    void idleReportsChangesAsTheyHappen() {
        deliver(MESSAGE);
        ImapTester a = selected();
        a.send("a1 IDLE");
        assertThat(a.nextLine()).isEqualTo("+ idling");
        deliver(message("new", "x"));
        assertThat(a.nextLine()).isEqualTo("* 2 EXISTS");
        assertThat(a.nextLine()).isEqualTo("* 2 RECENT");
        store.updateFlags(MailboxRef.inbox("alice"), List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN),
                Long.MAX_VALUE);
        assertThat(a.nextLine()).isEqualTo("* 1 FETCH (FLAGS (\\Seen \\Recent))");
        store.expunge(MailboxRef.inbox("alice"), List.of(1L));
        assertThat(a.nextLine()).isEqualTo("* 1 EXPUNGE");
        a.send("DONE");
        assertThat(a.nextLine()).isEqualTo("a1 OK Idle completed.");
        assertThat(a.run("a2 FETCH 1 (UID)")).first().isEqualTo("* 1 FETCH (UID 2)");
    }

    @Test
    void newKeywordsAreAnnouncedBeforeUse() {
        deliver(MESSAGE);
        ImapTester a = selected();
        ImapTester b = selected();
        assertThat(a.run("a1 STORE 1 +FLAGS ($Important)")).containsExactly(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important \\*)] Flags permitted.",
                "* 1 FETCH (FLAGS (\\Recent $Important))",
                "a1 OK Store completed.");
        assertThat(b.run("b1 NOOP")).containsExactly(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Important \\*)] Flags permitted.",
                "* 1 FETCH (FLAGS ($Important))",
                "b1 OK NOOP completed.");
    }

    @Test
    void endsTheStoreSubscriptionOnUnselectLogoutAndDisconnect() {
        CountingStore counting = new CountingStore(store);
        dev.mailcore.imap.ImapProtocol protocol = new dev.mailcore.imap.ImapProtocol(
                configBuilder().store(counting).build());
        ImapTester a = ImapTester.connect(protocol);
        a.nextLine();
        a.login();
        a.run("a1 SELECT INBOX");
        assertThat(counting.open()).isEqualTo(1);
        a.run("a2 SELECT INBOX");
        assertThat(counting.open()).isEqualTo(1);
        a.run("a3 UNSELECT");
        assertThat(counting.open()).isZero();
        a.run("a4 EXAMINE INBOX");
        a.run("a5 CLOSE");
        assertThat(counting.open()).isZero();
        a.run("a6 SELECT INBOX");
        a.run("a7 LOGOUT");
        assertThat(counting.open()).isZero();

        ImapTester b = ImapTester.connect(protocol);
        b.nextLine();
        b.login();
        b.run("b1 SELECT INBOX");
        assertThat(counting.open()).isEqualTo(1);
        b.channel.close();
        b.settle();
        assertThat(counting.open()).isZero();
        assertThat(counting.opened()).isEqualTo(5);
    }

    @Test
    void qresyncSelectReportsVanishedAndChangedMessages() {
        deliver(message("one", "1"));
        deliver(message("two", "2"));
        deliver(message("three", "3"));
        MailboxRef inbox = MailboxRef.inbox("alice");
        long validity = store.mailbox(inbox).get().uidValidity();
        long modSeq = store.mailbox(inbox).get().highestModSeq();
        store.expunge(inbox, List.of(2L));
        store.updateFlags(inbox, List.of(3L), FlagOperation.ADD, Flags.of(Flag.FLAGGED), Long.MAX_VALUE);
        long changed = store.messages(inbox).get(1).modSeq();
        ImapTester imap = session();
        imap.run("a0 ENABLE QRESYNC");
        List<String> lines = imap.run("a1 SELECT INBOX (QRESYNC (" + validity + " " + modSeq + " 1:3))");
        assertThat(lines).contains("* VANISHED (EARLIER) 2",
                "* 2 FETCH (UID 3 FLAGS (\\Flagged \\Recent) MODSEQ (" + changed + "))")
                .noneMatch(l -> l.contains("UID 1 "));
        assertThat(last(lines)).isEqualTo("a1 OK [READ-WRITE] Select completed.");
    }

    @Test
    void anotherSessionDeletingTheSelectedMailboxEndsTheConnection() {
        store.createMailbox(new MailboxRef("alice", "Work"));
        deliver("Work", MESSAGE);
        ImapTester a = session();
        assertThat(a.run("a1 SELECT Work")).last().asString().startsWith("a1 OK");
        ImapTester b = session();
        assertThat(b.run("b1 DELETE Work")).containsExactly("b1 OK Delete completed.");
        assertThat(a.nextLine()).isEqualTo("* BYE Selected mailbox was deleted, have to disconnect.");
        assertThat(a.channel.isOpen()).isFalse();
        assertThat(b.channel.isOpen()).isTrue();
    }

    @Test
    void anotherSessionRenamingTheSelectedMailboxEndsTheConnectionEvenWhileIdling() {
        store.createMailbox(new MailboxRef("alice", "Work"));
        ImapTester a = session();
        a.run("a1 SELECT Work");
        a.send("a2 IDLE");
        assertThat(a.nextLine()).isEqualTo("+ idling");
        ImapTester b = session();
        assertThat(b.run("b1 RENAME Work Jobs")).containsExactly("b1 OK Rename completed.");
        assertThat(a.nextLine()).isEqualTo("* BYE Selected mailbox was renamed, have to disconnect.");
        assertThat(a.channel.isOpen()).isFalse();
    }

    @Test
    void deletingOrRenamingAnotherMailboxLeavesTheSelectedOneAlone() {
        store.createMailbox(new MailboxRef("alice", "Work"));
        store.createMailbox(new MailboxRef("alice", "Other"));
        ImapTester a = session();
        a.run("a1 SELECT Work");
        ImapTester b = session();
        b.run("b1 RENAME Other Else");
        b.run("b2 DELETE Else");
        assertThat(a.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
    }

    @Test
    void renamingOrDeletingTheOwnSelectedMailboxClosesIt() {
        store.createMailbox(new MailboxRef("alice", "Work"));
        ImapTester a = session();
        a.run("a1 SELECT Work");
        assertThat(a.run("a2 RENAME Work Jobs")).containsExactly("* OK [CLOSED] Mailbox closed.",
                "a2 OK Rename completed.");
        assertThat(a.run("a3 FETCH 1 FLAGS")).containsExactly("a3 BAD No mailbox selected.");
        a.run("a4 SELECT Jobs");
        assertThat(a.run("a5 DELETE Jobs")).containsExactly("* OK [CLOSED] Mailbox closed.",
                "a5 OK Delete completed.");
        assertThat(a.run("a6 NOOP")).containsExactly("a6 OK NOOP completed.");
        assertThat(a.channel.isOpen()).isTrue();
    }

    @Test
    void fetchingAMessageExpungedElsewhereButNotYetAnnouncedSaysExpungeIssued() {
        deliver(message("one", "1"));
        deliver(message("two", "2"));
        deliver(message("three", "3"));
        ImapTester b = selected();
        store.expunge(MailboxRef.inbox("alice"), List.of(2L));
        assertThat(b.run("b1 FETCH 1:3 (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)",
                "b1 OK [EXPUNGEISSUED] Some messages were already expunged.");
        assertThat(b.run("b2 NOOP")).containsExactly("* 2 EXPUNGE", "b2 OK NOOP completed.");
        assertThat(b.run("b3 FETCH 1:2 (UID)")).containsExactly("* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)",
                "b3 OK Fetch completed.");
    }

    @Test
    void aMailboxDeletedWhileACommandRunsEndsTheConnectionAfterItsTaggedResponse() {
        store.createMailbox(new MailboxRef("alice", "Work"));
        java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
        ImapTester a = ImapTester.connect(new dev.mailcore.imap.ImapProtocol(
                configBuilder().store(new CountingStore(store)).executor(held::add).build()));
        a.nextLine();
        a.send("a1 LOGIN alice secret");
        runAll(held, a);
        assertThat(a.nextLine()).startsWith("a1 OK");
        a.send("a2 SELECT Work");
        runAll(held, a);
        assertThat(a.until("a2 ")).last().asString().startsWith("a2 OK");
        a.send("a3 STATUS INBOX (MESSAGES)");
        assertThat(held).isNotEmpty(); // the STATUS waits for the store
        ImapTester b = session();
        assertThat(b.run("b1 DELETE Work")).containsExactly("b1 OK Delete completed.");
        a.expectNothing();
        runAll(held, a);
        assertThat(a.nextLine()).isEqualTo("* STATUS INBOX (MESSAGES 0)");
        assertThat(a.nextLine()).isEqualTo("a3 OK Status completed.");
        assertThat(a.nextLine()).isEqualTo("* BYE Selected mailbox was deleted, have to disconnect.");
        assertThat(a.channel.isOpen()).isFalse();
    }

    private static void runAll(java.util.ArrayDeque<Runnable> held, ImapTester imap) {
        while (!held.isEmpty()) {
            held.poll().run();
            imap.settle();
        }
    }
}
