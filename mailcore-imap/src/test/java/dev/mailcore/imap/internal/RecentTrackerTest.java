package dev.mailcore.imap.internal;

import dev.mailcore.api.store.MailboxRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentTrackerTest {

    @Test
    void mailboxesWhoseNamesDifferOnlyInCaseAreTrackedApart() {
        RecentTracker tracker = new RecentTracker();
        tracker.claim(new MailboxRef("alice", "Work"), 7).claimUpTo(5);
        assertThat(tracker.peek(new MailboxRef("alice", "Work"), 7)).isEqualTo(5);
        assertThat(tracker.peek(new MailboxRef("alice", "work"), 7)).isZero();
    }

    @Test
    void inboxIsOneMailboxInAnyCase() {
        RecentTracker tracker = new RecentTracker();
        tracker.claim(new MailboxRef("alice", "inbox"), 7).claimUpTo(3);
        assertThat(tracker.peek(MailboxRef.inbox("alice"), 7)).isEqualTo(3);
        assertThat(tracker.peek(new MailboxRef("Alice", "Inbox"), 7)).isEqualTo(3);
    }
}
