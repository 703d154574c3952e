package dev.mailcore.imap.internal.message;

import dev.mailcore.imap.internal.command.ImapCommand.SortCriterion;
import dev.mailcore.imap.internal.command.ImapCommand.SortKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortTest {

    private static final List<SearchCandidate> MAILS = List.of(
            TestCandidate.message(1, "From: Zed <zed@x.test>", "To: b@x.test", "Cc: y@x.test",
                    "Subject: Re: beta", "Date: 2 Jan 2024 00:00:00 +0000", "", "a longer body here")
                    .internalDate("2024-01-05T00:00:00Z").build(),
            TestCandidate.message(2, "From: alice@x.test", "To: \"Zora\" <a@x.test>", "Subject: ALPHA",
                    "Date: 1 Jan 2024 23:00:00 -0500", "", "")
                    .internalDate("2024-01-03T00:00:00Z").build(),
            TestCandidate.message(3, "From: Bob <BOB@x.test>", "Cc: x@x.test", "Subject: [list] gamma", "", "bb")
                    .internalDate("2024-01-01T00:00:00Z").build(),
            TestCandidate.message(4, "From: Bob <bob@x.test>", "Subject: alpha", "Date: garbage", "", "bb")
                    .internalDate("2024-01-04T00:00:00Z").build());

    private static List<Long> sort(SortCriterion... criteria) {
        return Search.sort(MAILS, List.of(criteria)).stream().map(SearchCandidate::sequence).toList();
    }

    private static SortCriterion by(SortKey key) {
        return new SortCriterion(key, false);
    }

    private static SortCriterion reverse(SortKey key) {
        return new SortCriterion(key, true);
    }

    @Test
    void sortsByArrival() {
        assertThat(sort(by(SortKey.ARRIVAL))).containsExactly(3L, 2L, 4L, 1L);
        assertThat(sort(reverse(SortKey.ARRIVAL))).containsExactly(1L, 4L, 2L, 3L);
    }

    @Test
    void sortsBySentDateFallingBackToTheInternalDate() {
        // 3: no Date -> 2024-01-01T00:00Z; 1: 2024-01-02T00:00Z; 2: 2024-01-02T04:00Z; 4: garbage -> 2024-01-04
        assertThat(sort(by(SortKey.DATE))).containsExactly(3L, 1L, 2L, 4L);
    }

    @Test
    void sortsByBaseSubjectCaseInsensitivelyWithTiesBySequence() {
        assertThat(sort(by(SortKey.SUBJECT))).containsExactly(2L, 4L, 1L, 3L);
        assertThat(sort(reverse(SortKey.SUBJECT))).containsExactly(3L, 1L, 2L, 4L);
    }

    @Test
    void sortsByTheFirstAddressMailbox() {
        assertThat(sort(by(SortKey.FROM))).containsExactly(2L, 3L, 4L, 1L);
        assertThat(sort(by(SortKey.TO))).containsExactly(3L, 4L, 2L, 1L);
        assertThat(sort(by(SortKey.CC))).containsExactly(2L, 4L, 3L, 1L);
    }

    @Test
    void sortsByDisplayNames() {
        // display: Zed, alice@x.test, Bob, Bob
        assertThat(sort(by(SortKey.DISPLAYFROM))).containsExactly(2L, 3L, 4L, 1L);
        // display: b@x.test, Zora, "", ""
        assertThat(sort(by(SortKey.DISPLAYTO))).containsExactly(3L, 4L, 1L, 2L);
    }

    @Test
    void sortsBySizeAndCombinesCriteria() {
        assertThat(sort(by(SortKey.SIZE), by(SortKey.ARRIVAL)))
                .isEqualTo(sortedBySize());
        assertThat(sort(by(SortKey.FROM), reverse(SortKey.ARRIVAL))).containsExactly(2L, 4L, 3L, 1L);
    }

    private static List<Long> sortedBySize() {
        return MAILS.stream()
                .sorted(java.util.Comparator.comparingLong((SearchCandidate c) -> c.meta().size())
                        .thenComparing(c -> c.meta().internalDate()))
                .map(SearchCandidate::sequence).toList();
    }
}
