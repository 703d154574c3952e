package dev.mailcore.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MailboxRefTest {

    @ParameterizedTest
    @CsvSource({"inbox, INBOX", "Inbox, INBOX", "INBOX, INBOX", "iNbOx, INBOX", "Inbox/sub, INBOX/sub",
        "inbox/Sub/Deeper, INBOX/Sub/Deeper", "INBOX/sub, INBOX/sub", "Inboxes, Inboxes", "inbox.sub, inbox.sub",
        "Archive/inbox, Archive/inbox", "Sent, Sent", "my inbox, my inbox"})
    void normalisesInboxCaseOnly(String given, String expected) {
        assertThat(new MailboxRef("alice", given).name()).isEqualTo(expected);
    }

    @Test
    void inboxIsInbox() {
        assertThat(MailboxRef.inbox("alice").isInbox()).isTrue();
        assertThat(new MailboxRef("alice", "inbox").isInbox()).isTrue();
        assertThat(new MailboxRef("alice", "inbox")).isEqualTo(MailboxRef.inbox("alice"));
        assertThat(new MailboxRef("alice", "Inbox/sub").isInbox()).isFalse();
    }

    @Test
    void userKeyIsLowerCase() {
        MailboxRef r = new MailboxRef("Alice@Example.ORG", "Sent");
        assertThat(r.userKey()).isEqualTo("alice@example.org");
        assertThat(r.user()).isEqualTo("Alice@Example.ORG");
    }

    @Test
    void rejectsEmptyOrNullNames() {
        assertThatThrownBy(() -> new MailboxRef("alice", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailboxRef("alice", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MailboxRef(null, "INBOX")).isInstanceOf(NullPointerException.class);
    }
}
