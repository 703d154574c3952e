package dev.mailcore.imap.internal;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImapMailboxCommandsTest extends ImapTestSupport {

    @Test
    void createsListsRenamesAndDeletesMailboxes() {
        ImapTester imap = session();
        assertThat(imap.run("a1 CREATE Work/2026/")).containsExactly("a1 OK Create completed.");
        assertThat(imap.run("a2 CREATE Work")).containsExactly("a2 NO [ALREADYEXISTS] Mailbox already exists");
        assertThat(imap.run("a3 LIST \"\" *")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasChildren) \"/\" Work",
                "* LIST (\\HasNoChildren) \"/\" Work/2026",
                "a3 OK List completed.");
        assertThat(imap.run("a4 LIST \"\" %")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasChildren) \"/\" Work",
                "a4 OK List completed.");
        assertThat(imap.run("a5 LIST Work/ %")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Work/2026", "a5 OK List completed.");
        assertThat(imap.run("a6 RENAME Work Jobs")).containsExactly("a6 OK Rename completed.");
        assertThat(imap.run("a7 LIST \"\" Jobs*")).containsExactly(
                "* LIST (\\HasChildren) \"/\" Jobs",
                "* LIST (\\HasNoChildren) \"/\" Jobs/2026",
                "a7 OK List completed.");
        assertThat(imap.run("a8 DELETE Jobs/2026")).containsExactly("a8 OK Delete completed.");
        assertThat(imap.run("a9 DELETE Jobs/2026")).containsExactly("a9 NO [NONEXISTENT] Mailbox doesn't exist: Jobs/2026");
        assertThat(imap.run("b1 DELETE INBOX")).containsExactly("b1 NO [CANNOT] INBOX can't be deleted.");
    }

    @Test
    void listWithEmptyPatternGivesTheDelimiter() {
        ImapTester imap = session();
        assertThat(imap.run("a1 LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"", "a1 OK List completed.");
    }

    @Test
    void listMatchesInboxCaseInsensitively() {
        ImapTester imap = session();
        assertThat(imap.run("a1 LIST \"\" inbox")).containsExactly("* LIST (\\HasNoChildren) \"/\" INBOX",
                "a1 OK List completed.");
    }

    @Test
    void encodesNonAsciiNamesInModifiedUtf7ForRev1AndUtf8ForRev2() {
        ImapTester imap = session();
        assertThat(imap.run("a1 CREATE &ZeVnLIqe-")).containsExactly("a1 OK Create completed.");
        assertThat(store.mailbox(new MailboxRef("alice", "日本語"))).isPresent();
        assertThat(imap.run("a2 LIST \"\" &ZeVnLIqe-")).containsExactly("* LIST (\\HasNoChildren) \"/\" &ZeVnLIqe-",
                "a2 OK List completed.");
        imap.run("a3 ENABLE IMAP4rev2");
        assertThat(imap.run("a4 LIST \"\" \"日本語\"")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"日本語\"",
                "a4 OK List completed.");
    }

    @Test
    void subscribesAndListsSubscriptions() {
        ImapTester imap = session();
        imap.run("a1 CREATE Lists/java");
        assertThat(imap.run("a2 SUBSCRIBE Lists/java")).containsExactly("a2 OK Subscribe completed.");
        assertThat(imap.run("a3 LSUB \"\" *")).contains("* LSUB () \"/\" Lists/java").last().asString()
                .isEqualTo("a3 OK Lsub completed.");
        assertThat(imap.run("a4 LSUB \"\" %")).contains("* LSUB (\\Noselect) \"/\" Lists");
        assertThat(imap.run("a5 LIST (SUBSCRIBED) \"\" *")).contains(
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" Lists/java");
        assertThat(imap.run("a6 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %")).contains(
                "* LIST (\\HasChildren) \"/\" Lists (\"CHILDINFO\" (\"SUBSCRIBED\"))");
        assertThat(imap.run("a7 UNSUBSCRIBE Lists/java")).containsExactly("a7 OK Unsubscribe completed.");
        assertThat(imap.run("a8 LSUB \"\" Lists/*")).containsExactly("a8 OK Lsub completed.");
    }

    @Test
    void listsSpecialUseAndStatus() {
        MemoryStore withFolders = MemoryStore.builder().standardFolders().build();
        ImapProtocol protocol = new ImapProtocol(configBuilder().store(withFolders).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        List<String> lines = imap.run("a1 LIST (SPECIAL-USE) \"\" * RETURN (STATUS (MESSAGES UNSEEN))");
        assertThat(lines).contains("* LIST (\\HasNoChildren \\Sent) \"/\" Sent", "* STATUS Sent (MESSAGES 0 UNSEEN 0)")
                .noneMatch(l -> l.contains("INBOX"));
    }

    @Test
    void answersStatus() {
        deliver(MESSAGE);
        ImapTester imap = session();
        assertThat(imap.run("a1 STATUS INBOX (MESSAGES RECENT UIDNEXT UNSEEN SIZE DELETED APPENDLIMIT)"))
                .containsExactly("* STATUS INBOX (MESSAGES 1 RECENT 1 UIDNEXT 2 UNSEEN 1 SIZE " + MESSAGE.length()
                                + " DELETED 0 APPENDLIMIT " + protocol().config().maxMessageSize() + ")",
                        "a1 OK Status completed.");
        assertThat(imap.run("a2 STATUS Nowhere (MESSAGES)")).containsExactly(
                "a2 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere");
    }

    @Test
    void appendsWithFlagsDateAndAppendUid() {
        ImapTester imap = session();
        long validity = store.mailbox(MailboxRef.inbox("alice")).get().uidValidity();
        assertThat(imap.run("a1 APPEND INBOX (\\Seen $Work) \"24-Nov-2026 10:00:00 +0100\" {" + MESSAGE.length()
                + "+}\r\n" + MESSAGE)).containsExactly("a1 OK [APPENDUID " + validity + " 1] Append completed.");
        var meta = store.messages(MailboxRef.inbox("alice")).get(0);
        assertThat(meta.flags().keywords()).containsExactly("$Work");
        assertThat(meta.internalDate()).isEqualTo(java.time.Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(imap.run("a2 APPEND Nowhere {" + MESSAGE.length() + "+}\r\n" + MESSAGE)).containsExactly(
                "a2 NO [TRYCREATE] Mailbox doesn't exist: Nowhere");
    }

    @Test
    void appendsSeveralMessagesAtOnce() {
        ImapTester imap = session();
        long validity = store.mailbox(MailboxRef.inbox("alice")).get().uidValidity();
        assertThat(imap.run("a1 APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE + " (\\Seen) {"
                + MESSAGE.length() + "+}\r\n" + MESSAGE)).containsExactly(
                "a1 OK [APPENDUID " + validity + " 1:2] Append completed.");
    }

    @Test
    void multiappendIsAllOrNothingWhenOverQuota() {
        MemoryStore small = MemoryStore.builder().quota(MESSAGE.length() * 3L / 2, QuotaUsage.UNLIMITED).build();
        ImapProtocol protocol = new ImapProtocol(configBuilder().store(small).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        assertThat(imap.run("a1 APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE + " {" + MESSAGE.length()
                + "+}\r\n" + MESSAGE)).containsExactly("a1 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");
        assertThat(small.messages(MailboxRef.inbox("alice"))).isEmpty();
        List<String> quota = imap.run("a2 GETQUOTAROOT INBOX");
        assertThat(quota).containsExactly("* QUOTAROOT INBOX \"\"",
                "* QUOTA \"\" (STORAGE 0 " + (MESSAGE.length() * 3L / 2) / 1024 + ")", "a2 OK Getquotaroot completed.");
        assertThat(imap.run("a3 SETQUOTA \"\" (STORAGE 10)")).last().asString().startsWith("a3 NO");
        assertThat(imap.run("a4 GETQUOTA \"other\"")).containsExactly("a4 NO [NONEXISTENT] Quota root doesn't exist.");
    }

    @Test
    void refusesTooBigAppends() {
        ImapProtocol protocol = new ImapProtocol(configBuilder().maxMessageSize(10).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        List<String> lines = imap.run("a1 APPEND INBOX {" + MESSAGE.length() + "+}\r\n" + MESSAGE);
        assertThat(last(lines)).startsWith("a1 ").contains("[TOOBIG]");
    }

    @Test
    void withoutQuotaLimitsAMailboxHasNoQuotaRoot() {
        ImapTester imap = session();
        assertThat(imap.run("a1 GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX",
                "a1 OK Getquotaroot completed.");
        assertThat(imap.run("a2 GETQUOTAROOT NotYetCreated")).containsExactly("* QUOTAROOT NotYetCreated",
                "a2 OK Getquotaroot completed.");
        assertThat(imap.run("a3 GETQUOTA \"\"")).containsExactly("a3 NO [NONEXISTENT] Quota root doesn't exist.");
    }

    @Test
    void getQuotaReportsEveryLimitedResource() {
        MemoryStore limited = MemoryStore.builder().quota(10 * 1024, 5).build();
        ImapTester imap = ImapTester.connect(new ImapProtocol(configBuilder().store(limited).build()));
        imap.nextLine();
        imap.login();
        assertThat(imap.run("a1 GETQUOTA \"\"")).containsExactly("* QUOTA \"\" (STORAGE 0 10 MESSAGE 0 5)",
                "a1 OK Getquota completed.");
    }

    @Test
    void listMatchesInboxInAnyCaseAndOtherNamesExactly() {
        store.createMailbox(new MailboxRef("alice", "INBOX/Sub"));
        store.createMailbox(new MailboxRef("alice", "Work"));
        ImapTester imap = session();
        assertThat(imap.run("a1 LIST \"\" inbox*")).containsExactly(
                "* LIST (\\HasChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren) \"/\" INBOX/Sub",
                "a1 OK List completed.");
        assertThat(imap.run("a2 LIST \"\" i%")).containsExactly(
                "* LIST (\\HasChildren) \"/\" INBOX", "a2 OK List completed.");
        assertThat(imap.run("a3 LIST Inbox/ %")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX/Sub", "a3 OK List completed.");
        assertThat(imap.run("a4 LIST \"\" work")).containsExactly("a4 OK List completed.");
        assertThat(imap.run("a5 LIST \"\" W*")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Work", "a5 OK List completed.");
    }
}
