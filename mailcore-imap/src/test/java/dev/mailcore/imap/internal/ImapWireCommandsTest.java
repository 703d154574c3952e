package dev.mailcore.imap.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.imap.ImapProtocol;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands that real clients use, exchanged at the wire level (they are also exercised through Angus Mail). */
class ImapWireCommandsTest extends ImapTestSupport {
    static final String MULTIPART = "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Files\r\n"
            + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "SGVsbG8gV29ybGQ=\r\n--b--\r\n";

    private final MailboxRef inbox = MailboxRef.inbox("alice");
    private final MailboxRef archive = new MailboxRef("alice", "Archive");

    private long validity(MailboxRef ref) {
        return store.mailbox(ref).get().uidValidity();
    }

    // ------------------------------------------------------------------ MOVE, COPY

    @Test
    void moveReportsCopyUidBeforeTheExpunges() {
        deliver(message("1", "1"));
        deliver(message("2", "2"));
        deliver(message("3", "3"));
        store.createMailbox(archive);
        ImapTester imap = selected();
        assertThat(imap.run("a1 MOVE 1:2 Archive")).containsExactly(
                "* OK [COPYUID " + validity(archive) + " 1:2 1:2] Moved UIDs.",
                "* 1 EXPUNGE", "* 1 EXPUNGE", "a1 OK Move completed.");
        assertThat(store.messages(inbox)).extracting(MessageMeta::uid).containsExactly(3L);
        assertThat(store.messages(archive)).hasSize(2);
        assertThat(imap.run("a2 FETCH 1 (UID)")).first().isEqualTo("* 1 FETCH (UID 3)");
    }

    @Test
    void uidMoveReportsVanishedToQresyncClients() {
        deliver(message("1", "1"));
        deliver(message("2", "2"));
        deliver(message("3", "3"));
        store.createMailbox(archive);
        ImapTester imap = session();
        imap.run("a0 ENABLE QRESYNC");
        imap.run("a1 SELECT INBOX");
        assertThat(imap.run("a2 UID MOVE 1,3 Archive")).containsExactly(
                "* OK [COPYUID " + validity(archive) + " 1,3 1:2] Moved UIDs.",
                "* VANISHED 1,3", "a2 OK Move completed.");
        assertThat(imap.run("a3 MOVE 1 INBOX")).containsExactly(
                "a3 NO [CANNOT] Can't move messages to the same mailbox.");
        assertThat(imap.run("a4 UID MOVE 2 Nowhere")).containsExactly(
                "a4 NO [TRYCREATE] Mailbox doesn't exist: Nowhere");
    }

    @Test
    void uidCopyAnswersWithCopyUid() {
        deliver(message("1", "1"));
        deliver(message("2", "2"));
        store.createMailbox(archive);
        ImapTester imap = selected();
        assertThat(imap.run("a1 UID COPY 2 Archive")).containsExactly(
                "a1 OK [COPYUID " + validity(archive) + " 2 1] Copy completed.");
        assertThat(imap.run("a2 UID COPY 5:9 Archive")).containsExactly("a2 OK No messages found.");
        assertThat(store.messages(inbox)).hasSize(2);
        assertThat(store.messages(archive)).hasSize(1);
    }

    // ------------------------------------------------------------------ mailboxes

    @Test
    void renamingInboxMovesItsMessagesAndLeavesAnEmptyInbox() {
        deliver(message("1", "1"));
        deliver(message("2", "2"));
        ImapTester imap = session();
        assertThat(imap.run("a1 RENAME INBOX Old")).containsExactly("a1 OK Rename completed.");
        assertThat(store.messages(inbox)).isEmpty();
        assertThat(store.messages(new MailboxRef("alice", "Old"))).hasSize(2);
        assertThat(imap.run("a2 LIST \"\" *")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren) \"/\" Old",
                "a2 OK List completed.");
        assertThat(imap.run("a3 STATUS INBOX (MESSAGES)")).containsExactly("* STATUS INBOX (MESSAGES 0)",
                "a3 OK Status completed.");
    }

    @Test
    void checkNeedsASelectedMailbox() {
        ImapTester imap = session();
        assertThat(imap.run("a1 CHECK")).containsExactly("a1 BAD No mailbox selected.");
        imap.run("a2 SELECT INBOX");
        assertThat(imap.run("a3 CHECK")).containsExactly("a3 OK Check completed.");
    }

    @Test
    void statusReportsHighestModSeq() {
        deliver(MESSAGE);
        deliver(MESSAGE);
        ImapTester imap = session();
        long highest = store.mailbox(inbox).get().highestModSeq();
        assertThat(imap.run("a1 STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)")).containsExactly(
                "* STATUS INBOX (MESSAGES 2 UIDNEXT 3 HIGHESTMODSEQ " + highest + ")", "a1 OK Status completed.");
    }

    @Test
    void listReturnChildrenMarksParents() {
        store.createMailbox(new MailboxRef("alice", "Work/2026"));
        ImapTester imap = session();
        assertThat(imap.run("a1 LIST \"\" * RETURN (CHILDREN)")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasChildren) \"/\" Work",
                "* LIST (\\HasNoChildren) \"/\" Work/2026",
                "a1 OK List completed.");
        assertThat(imap.run("a2 LIST \"\" % RETURN (CHILDREN)")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasChildren) \"/\" Work",
                "a2 OK List completed.");
    }

    // ------------------------------------------------------------------ FETCH sections

    @Test
    void fetchesDecodedBinaryPartsAndTheirSizes() {
        deliver(MULTIPART);
        ImapTester imap = selected();
        assertThat(imap.run("a1 FETCH 1 (BINARY.SIZE[2] BINARY.PEEK[2])")).containsExactly(
                "* 1 FETCH (BINARY.SIZE[2] 11 BINARY[2] {11}", "Hello World)", "a1 OK Fetch completed.");
        assertThat(imap.run("a2 FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])")).containsExactly(
                "* 1 FETCH (BINARY[1] {2}", "Hi BINARY.SIZE[1] 2)", "a2 OK Fetch completed.");
        List<String> whole = imap.run("a3 FETCH 1 (BINARY.SIZE[] BINARY.PEEK[])");
        assertThat(whole.get(0)).isEqualTo("* 1 FETCH (BINARY.SIZE[] " + MULTIPART.length() + " BINARY[] {"
                + MULTIPART.length() + "}");
        assertThat(String.join("\r\n", whole.subList(1, whole.size() - 1))).isEqualTo(MULTIPART + ")");
        assertThat(store.messages(inbox).get(0).flags().contains(Flag.SEEN)).isFalse();
    }

    @Test
    void fetchesThePartMimeHeader() {
        deliver(MULTIPART);
        ImapTester imap = selected();
        String mime = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        List<String> lines = imap.run("a1 FETCH 1 (BODY.PEEK[2.MIME])");
        assertThat(lines.get(0)).isEqualTo("* 1 FETCH (BODY[2.MIME] {" + mime.length() + "}");
        assertThat(String.join("\r\n", lines.subList(1, lines.size() - 1))).isEqualTo(mime + ")");
        assertThat(last(lines)).isEqualTo("a1 OK Fetch completed.");
    }

    @Test
    void fetchesHeaderFieldsNot() {
        deliver(MESSAGE);
        ImapTester imap = selected();
        String rest = "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\n\r\n";
        List<String> lines = imap.run("a1 FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Subject Date Message-ID)])");
        assertThat(lines.get(0)).isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS.NOT (SUBJECT DATE MESSAGE-ID)] {"
                + rest.length() + "}");
        assertThat(String.join("\r\n", lines.subList(1, lines.size() - 1))).isEqualTo(rest + ")");
    }

    @Test
    void fetchChangedSinceWithVanishedReportsExpungedAndChangedMessages() {
        deliver(message("1", "1"));
        deliver(message("2", "2"));
        deliver(message("3", "3"));
        long before = store.mailbox(inbox).get().highestModSeq();
        store.expunge(inbox, List.of(2L));
        store.updateFlags(inbox, List.of(3L), FlagOperation.ADD, Flags.of(Flag.FLAGGED), Long.MAX_VALUE);
        long changed = store.messages(inbox).get(1).modSeq();
        ImapTester imap = session();
        imap.run("a0 ENABLE QRESYNC");
        imap.run("a1 SELECT INBOX");
        assertThat(imap.run("a2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + " VANISHED)")).containsExactly(
                "* VANISHED (EARLIER) 2",
                "* 2 FETCH (UID 3 FLAGS (\\Flagged \\Recent) MODSEQ (" + changed + "))",
                "a2 OK Fetch completed.");
        assertThat(last(imap.run("a3 FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + " VANISHED)")))
                .startsWith("a3 BAD");
    }

    // ------------------------------------------------------------------ SEARCH, THREAD

    @Test
    void searchesTextInHeadersAndBody() {
        deliver(message("one", "apple"));
        deliver(message("two", "banana"));
        ImapTester imap = selected();
        assertThat(imap.run("a1 SEARCH TEXT banana")).containsExactly("* SEARCH 2", "a1 OK Search completed.");
        assertThat(imap.run("a2 SEARCH TEXT one")).containsExactly("* SEARCH 1", "a2 OK Search completed.");
        assertThat(imap.run("a3 SEARCH TEXT bob@example.org")).containsExactly("* SEARCH 1 2",
                "a3 OK Search completed.");
        assertThat(imap.run("a4 SEARCH TEXT cherry")).containsExactly("* SEARCH", "a4 OK Search completed.");
    }

    @Test
    void searchesOlderAndYoungerByInternalDate() {
        deliver(MESSAGE); // internal date 2026-11-24T10:00:00Z
        Clock twoHoursLater = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
        ImapTester imap = ImapTester.connect(new ImapProtocol(configBuilder().clock(twoHoursLater).build()));
        imap.nextLine();
        imap.login();
        imap.run("a0 SELECT INBOX");
        assertThat(imap.run("a1 SEARCH OLDER 3600")).containsExactly("* SEARCH 1", "a1 OK Search completed.");
        assertThat(imap.run("a2 SEARCH OLDER 10800")).containsExactly("* SEARCH", "a2 OK Search completed.");
        assertThat(imap.run("a3 SEARCH YOUNGER 10800")).containsExactly("* SEARCH 1", "a3 OK Search completed.");
        assertThat(imap.run("a4 SEARCH YOUNGER 3600")).containsExactly("* SEARCH", "a4 OK Search completed.");
    }

    @Test
    void threadsByReferences() {
        String date = "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n";
        deliver("From: a@example.org\r\nSubject: Plan\r\n" + date + "Message-ID: <p1@example.org>\r\n\r\nx\r\n");
        deliver("From: b@example.org\r\nSubject: Other\r\n" + date + "Message-ID: <o1@example.org>\r\n\r\nx\r\n");
        deliver("From: c@example.org\r\nSubject: Re: Plan\r\n" + date + "Message-ID: <p2@example.org>\r\n"
                + "In-Reply-To: <p1@example.org>\r\nReferences: <p1@example.org>\r\n\r\nx\r\n");
        ImapTester imap = selected();
        assertThat(imap.run("a1 THREAD REFERENCES UTF-8 ALL")).containsExactly("* THREAD (1 3)(2)",
                "a1 OK Thread completed.");
        assertThat(imap.run("a2 UID THREAD REFERENCES UTF-8 SUBJECT plan")).containsExactly("* THREAD (1 3)",
                "a2 OK Thread completed.");
    }
}
