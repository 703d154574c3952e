package dev.mailcore.imap.internal.message;

import dev.mailcore.imap.internal.command.ImapCommand.ThreadAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadTest {

    private static SearchCandidate msg(int n, String id, String refs, String subject, String date) {
        List<String> h = new ArrayList<>();
        if (id != null) {
            h.add("Message-ID: " + id);
        }
        if (refs != null) {
            h.add(refs);
        }
        h.add("Subject: " + subject);
        if (date != null) {
            h.add("Date: " + date);
        }
        h.add("");
        h.add("body");
        return TestCandidate.message(n, h.toArray(new String[0])).build();
    }

    private static String day(int d) {
        return d + " Mar 2000 10:00:00 +0000";
    }

    private static String bySequence(List<SearchCandidate> c, ThreadAlgorithm a) {
        return Search.thread(c, a, SearchCandidate::sequence);
    }

    @Test
    void threadsByOrderedSubject() {
        List<SearchCandidate> c = List.of(
                msg(1, null, null, "A", day(2)),
                msg(2, null, null, "B", day(3)),
                msg(3, null, null, "Re: A", day(4)),
                msg(4, null, null, "re: a", day(5)),
                msg(5, null, null, "Re: B", day(6)),
                msg(6, null, null, "C", day(1)));
        assertThat(bySequence(c, ThreadAlgorithm.ORDEREDSUBJECT)).isEqualTo("(6)(1 (3)(4))(2 5)");
    }

    @Test
    void orderedSubjectSortsWithinAThreadBySentDateThenSequence() {
        List<SearchCandidate> c = List.of(
                msg(1, null, null, "Re: x", day(9)),
                msg(2, null, null, "x", day(9)),
                msg(3, null, null, "Fwd: x", day(1)));
        assertThat(bySequence(c, ThreadAlgorithm.ORDEREDSUBJECT)).isEqualTo("(3 (1)(2))");
    }

    @Test
    void reproducesTheRfc5256ResponseExample() {
        // numbered by UID: 2, 3, 6, 4, 23, 44, 7, 96
        List<SearchCandidate> c = List.of(
                TestCandidate.message(1, "Message-ID: <3@x>", "Subject: x", "Date: " + day(1), "", "").uid(3).build(),
                TestCandidate.message(2, "Message-ID: <6@x>", "References: <3@x>", "Subject: Re: x",
                        "Date: " + day(2), "", "").uid(6).build(),
                TestCandidate.message(3, "Message-ID: <4@x>", "References: <3@x> <6@x>", "Subject: Re: x",
                        "Date: " + day(3), "", "").uid(4).build(),
                TestCandidate.message(4, "Message-ID: <23@x>", "References: <3@x> <6@x> <4@x>", "Subject: Re: x",
                        "Date: " + day(4), "", "").uid(23).build(),
                TestCandidate.message(5, "Message-ID: <44@x>", "References: <3@x>", " <6@x>", "Subject: Re: x",
                        "Date: " + day(5), "", "").uid(44).build(),
                TestCandidate.message(6, "Message-ID: <7@x>", "In-Reply-To: <44@x> (sent by someone)",
                        "Subject: Re: x", "Date: " + day(6), "", "").uid(7).build(),
                TestCandidate.message(7, "Message-ID: <96@x>", "References: <3@x> <6@x> <44@x> <7@x>",
                        "Subject: Re: x", "Date: " + day(7), "", "").uid(96).build(),
                TestCandidate.message(8, "Message-ID: <2@x>", "Subject: y", "Date: 1 Feb 2000 00:00 +0000", "", "")
                        .uid(2).build());
        assertThat(Search.thread(c, ThreadAlgorithm.REFERENCES, s -> s.meta().uid()))
                .isEqualTo("(2)(3 6 (4 23)(44 7 96))");
    }

    @Test
    void threadsByReferencesWithDummiesAndSubjectMerging() {
        List<SearchCandidate> c = List.of(
                msg(1, "<1@x>", null, "root", day(1)),
                msg(2, "<2@x>", "References: <1@x>", "Re: root", day(2)),
                msg(3, "<3@x>", "References: <1@x> <2@x>", "Re: root", day(3)),
                msg(4, "<4@x>", "In-Reply-To: <1@x>", "Re: root", day(4)),
                msg(5, "<5@x>", "References: <missing@x>", "other", day(5)),
                msg(6, "<6@x>", "References: <missing@x>", "Re: other", day(6)),
                msg(7, "<7@x>", null, "Re: lonely", day(7)),
                msg(8, "<8@x>", null, "lonely", day(8)));
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(1 (2 3)(4))((5)(6))(8 7)");
    }

    @Test
    void promotesTheOnlyChildOfAMissingParentToTheTop() {
        List<SearchCandidate> c = List.of(
                msg(1, "<a@x>", "References: <gone@x>", "one", day(2)),
                msg(2, "<b@x>", null, "two", day(1)));
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(2)(1)");
    }

    @Test
    void givesDuplicateMessageIdsOnlyToTheFirstMessage() {
        List<SearchCandidate> c = List.of(
                msg(1, "<d@x>", null, "first", day(1)),
                msg(2, "<d@x>", null, "second", day(2)),
                msg(3, "<e@x>", "References: <d@x>", "third", day(3)));
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(1 3)(2)");
    }

    @Test
    void refusesLinksThatWouldMakeALoop() {
        List<SearchCandidate> c = List.of(
                msg(1, "<a@x>", "References: <b@x>", "a", day(1)),
                msg(2, "<b@x>", "References: <a@x>", "b", day(2)),
                msg(3, "<c@x>", "References: <c@x>", "c", day(3)));
        // 1 made the (dummy) <b@x> its parent first; 2 then may not become 1's child
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(2 1)(3)");
    }

    @Test
    void mergesThreadsWithTheSameSubjectUnderADummyWhenNeitherIsAReply() {
        List<SearchCandidate> c = List.of(
                msg(1, "<a@x>", null, "same", day(1)),
                msg(2, "<b@x>", null, "Same", day(2)),
                msg(3, "<c@x>", null, "", day(3)),
                msg(4, "<d@x>", null, "", day(4)));
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("((1)(2))(3)(4)");
    }

    @Test
    void normalizesQuotedMessageIds() {
        List<SearchCandidate> c = List.of(
                msg(1, "<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>", null, "q", day(1)),
                msg(2, "<b@x>", "References: <01KF8JCEOCBS0045PS@xxx.yyy.com>", "other", day(2)));
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(1 2)");
    }

    @Test
    void usesTheInternalDateWhenThereIsNoDateHeader() {
        List<SearchCandidate> c = List.of(
                TestCandidate.message(1, "Subject: late", "", "").internalDate("2024-05-01T00:00:00Z").build(),
                TestCandidate.message(2, "Subject: early", "", "").internalDate("2024-04-01T00:00:00Z").build());
        assertThat(bySequence(c, ThreadAlgorithm.REFERENCES)).isEqualTo("(2)(1)");
        assertThat(bySequence(c, ThreadAlgorithm.ORDEREDSUBJECT)).isEqualTo("(2)(1)");
    }

    @Test
    void threadsNothingAsEmptyData() {
        assertThat(bySequence(List.of(), ThreadAlgorithm.REFERENCES)).isEmpty();
    }
}
