package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.imap.internal.command.SearchKey;
import dev.mailcore.imap.internal.command.SequenceSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SearchTest {

    private static final SearchContext CONTEXT = new SearchContext(10, 100, uid -> uid == 7,
            Instant.parse("2024-01-10T12:00:00Z"), ZoneOffset.UTC);

    private static final TestCandidate MAIL = TestCandidate.message(3,
                    "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.org>",
                    "To: Team: alice@example.org, bob@example.net;",
                    "Cc: carol@example.com",
                    "Bcc: dave@example.com",
                    "Subject: Quarterly REPORT",
                    "X-Priority: 1",
                    "X-Empty:",
                    "Date: Sun, 31 Dec 2023 23:30:00 -0500",
                    "Content-Type: text/plain; charset=utf-8",
                    "Content-Transfer-Encoding: quoted-printable",
                    "",
                    "Die Zahlen f=C3=BCr das Quartal sind gut.")
            .uid(7).internalDate("2024-01-01T23:30:00Z").flags(Flag.SEEN, Flag.FLAGGED).keywords("$Work")
            .modSeq(42).build();

    private static boolean matches(SearchKey key) {
        return Search.matches(key, MAIL, CONTEXT);
    }

    private static boolean matches(SearchKey key, SearchContext context) {
        return Search.matches(key, MAIL, context);
    }

    @Test
    void matchesAll() {
        assertThat(matches(new SearchKey.All())).isTrue();
    }

    @Test
    void matchesSystemFlagsAndKeywordsCaseInsensitively() {
        assertThat(matches(new SearchKey.Flag("\\Seen", true))).isTrue();
        assertThat(matches(new SearchKey.Flag("\\SEEN", false))).isFalse();
        assertThat(matches(new SearchKey.Flag("\\Flagged", true))).isTrue();
        assertThat(matches(new SearchKey.Flag("\\Answered", true))).isFalse();
        assertThat(matches(new SearchKey.Flag("\\Deleted", false))).isTrue();
        assertThat(matches(new SearchKey.Flag("\\Draft", true))).isFalse();
        assertThat(matches(new SearchKey.Flag("$work", true))).isTrue();
        assertThat(matches(new SearchKey.Flag("$WORK", false))).isFalse();
        assertThat(matches(new SearchKey.Flag("$Other", true))).isFalse();
    }

    @Test
    void matchesRecentNewAndOldFromTheSession() {
        TestCandidate recentUnseen = TestCandidate.message(1, "Subject: x", "", "").recent().build();
        TestCandidate recentSeen = TestCandidate.message(2, "Subject: x", "", "").recent().flags(Flag.SEEN).build();
        assertThat(Search.matches(new SearchKey.Recent(), recentUnseen, CONTEXT)).isTrue();
        assertThat(Search.matches(new SearchKey.New(), recentUnseen, CONTEXT)).isTrue();
        assertThat(Search.matches(new SearchKey.New(), recentSeen, CONTEXT)).isFalse();
        assertThat(Search.matches(new SearchKey.Old(), recentSeen, CONTEXT)).isFalse();
        assertThat(matches(new SearchKey.Recent())).isFalse();
        assertThat(matches(new SearchKey.Old())).isTrue();
        assertThat(matches(new SearchKey.Flag("\\Recent", true))).isFalse();
    }

    @Test
    void matchesAddressHeadersOnDecodedValues() {
        assertThat(matches(new SearchKey.Header("FROM", "jörg"))).isTrue();
        assertThat(matches(new SearchKey.Header("from", "JOERG@EXAMPLE"))).isTrue();
        assertThat(matches(new SearchKey.Header("TO", "bob@example.net"))).isTrue();
        assertThat(matches(new SearchKey.Header("TO", "carol"))).isFalse();
        assertThat(matches(new SearchKey.Header("CC", "carol"))).isTrue();
        assertThat(matches(new SearchKey.Header("BCC", "dave"))).isTrue();
        assertThat(matches(new SearchKey.Header("BCC", "alice"))).isFalse();
    }

    @Test
    void matchesSubjectAndArbitraryHeaders() {
        assertThat(matches(new SearchKey.Header("SUBJECT", "quarterly report"))).isTrue();
        assertThat(matches(new SearchKey.Header("SUBJECT", "annual"))).isFalse();
        assertThat(matches(new SearchKey.Header("X-Priority", "1"))).isTrue();
        assertThat(matches(new SearchKey.Header("x-priority", "2"))).isFalse();
    }

    @Test
    void matchesAnEmptyHeaderValueWhenTheFieldIsPresent() {
        assertThat(matches(new SearchKey.Header("X-Empty", ""))).isTrue();
        assertThat(matches(new SearchKey.Header("X-Priority", ""))).isTrue();
        assertThat(matches(new SearchKey.Header("X-Missing", ""))).isFalse();
    }

    @Test
    void matchesDecodedBodyText() {
        assertThat(matches(new SearchKey.Body("FÜR DAS"))).isTrue();
        assertThat(matches(new SearchKey.Body("f=C3=BCr"))).isFalse();
        assertThat(matches(new SearchKey.Body("Quarterly"))).isFalse();
        assertThat(matches(new SearchKey.Text("Quarterly"))).isTrue();
        assertThat(matches(new SearchKey.Text("quartal"))).isTrue();
        assertThat(matches(new SearchKey.Text("nowhere"))).isFalse();
    }

    @Test
    void comparesInternalDatesInTheContextZone() {
        LocalDate jan1 = LocalDate.of(2024, 1, 1);
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.ON, jan1))).isTrue();
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.BEFORE, jan1))).isFalse();
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.SINCE, jan1))).isTrue();
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.BEFORE, jan1.plusDays(1)))).isTrue();
        SearchContext berlin = new SearchContext(10, 100, uid -> false, CONTEXT.now(), ZoneId.of("Europe/Berlin"));
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.ON, jan1), berlin)).isFalse();
        assertThat(matches(new SearchKey.Date(false, SearchKey.Comparison.ON, jan1.plusDays(1)), berlin)).isTrue();
    }

    @Test
    void comparesSentDatesInTheDateHeadersOwnZone() {
        LocalDate dec31 = LocalDate.of(2023, 12, 31);
        assertThat(matches(new SearchKey.Date(true, SearchKey.Comparison.ON, dec31))).isTrue();
        assertThat(matches(new SearchKey.Date(true, SearchKey.Comparison.BEFORE, dec31))).isFalse();
        assertThat(matches(new SearchKey.Date(true, SearchKey.Comparison.SINCE, dec31))).isTrue();
        assertThat(matches(new SearchKey.Date(true, SearchKey.Comparison.SINCE, dec31.plusDays(1)))).isFalse();
        TestCandidate undated = TestCandidate.message(1, "Subject: x", "", "").build();
        assertThat(Search.matches(new SearchKey.Date(true, SearchKey.Comparison.SINCE, dec31), undated, CONTEXT))
                .isFalse();
    }

    @Test
    void comparesSizes() {
        long size = MAIL.meta().size();
        assertThat(matches(new SearchKey.Size(true, size - 1))).isTrue();
        assertThat(matches(new SearchKey.Size(true, size))).isFalse();
        assertThat(matches(new SearchKey.Size(false, size + 1))).isTrue();
        assertThat(matches(new SearchKey.Size(false, size))).isFalse();
    }

    @Test
    void matchesSequenceSetsWithStarAndSavedResult() {
        assertThat(matches(new SearchKey.Sequence(SequenceSet.of(new SequenceSet.Range(1, 3))))).isTrue();
        assertThat(matches(new SearchKey.Sequence(SequenceSet.of(SequenceSet.Range.single(4))))).isFalse();
        assertThat(matches(new SearchKey.Sequence(SequenceSet.of(new SequenceSet.Range(SequenceSet.STAR, 3)))))
                .isTrue();
        SearchContext three = new SearchContext(3, 100, uid -> false, CONTEXT.now(), ZoneOffset.UTC);
        assertThat(matches(new SearchKey.Sequence(SequenceSet.of(SequenceSet.Range.single(SequenceSet.STAR))),
                three)).isTrue();
        assertThat(matches(new SearchKey.Sequence(SequenceSet.SAVED))).isTrue();
        assertThat(matches(new SearchKey.Sequence(SequenceSet.SAVED), three)).isFalse();
    }

    @Test
    void matchesUidSetsWithStarAndSavedResult() {
        assertThat(matches(new SearchKey.Uid(SequenceSet.of(SequenceSet.Range.single(7))))).isTrue();
        assertThat(matches(new SearchKey.Uid(SequenceSet.of(SequenceSet.Range.single(3))))).isFalse();
        assertThat(matches(new SearchKey.Uid(SequenceSet.of(new SequenceSet.Range(8, SequenceSet.STAR))))).isFalse();
        SearchContext seven = new SearchContext(10, 7, uid -> false, CONTEXT.now(), ZoneOffset.UTC);
        assertThat(matches(new SearchKey.Uid(SequenceSet.of(SequenceSet.Range.single(SequenceSet.STAR))), seven))
                .isTrue();
        assertThat(matches(new SearchKey.Uid(SequenceSet.SAVED))).isTrue();
        assertThat(matches(new SearchKey.Uid(SequenceSet.SAVED), seven)).isFalse();
    }

    @Test
    void matchesModSeqAtLeast() {
        assertThat(matches(new SearchKey.ModSeq(42))).isTrue();
        assertThat(matches(new SearchKey.ModSeq(43))).isFalse();
    }

    @Test
    void matchesOlderAndYoungerAgainstNow() {
        long age = CONTEXT.now().getEpochSecond() - MAIL.meta().internalDate().getEpochSecond();
        assertThat(matches(new SearchKey.Within(true, age - 1))).isTrue();
        assertThat(matches(new SearchKey.Within(true, age + 1))).isFalse();
        assertThat(matches(new SearchKey.Within(false, age + 1))).isTrue();
        assertThat(matches(new SearchKey.Within(false, age))).isTrue();
        assertThat(matches(new SearchKey.Within(false, age - 1))).isFalse();
    }

    @Test
    void combinesWithNotOrAndAnd() {
        SearchKey seen = new SearchKey.Flag("\\Seen", true);
        SearchKey answered = new SearchKey.Flag("\\Answered", true);
        assertThat(matches(new SearchKey.Not(seen))).isFalse();
        assertThat(matches(new SearchKey.Or(answered, seen))).isTrue();
        assertThat(matches(new SearchKey.Or(answered, new SearchKey.Not(seen)))).isFalse();
        assertThat(matches(new SearchKey.And(List.of(seen, new SearchKey.Header("SUBJECT", "report"))))).isTrue();
        assertThat(matches(new SearchKey.And(List.of(seen, answered)))).isFalse();
        assertThat(matches(new SearchKey.And(List.of()))).isTrue();
    }

    @Test
    void evaluatesCheapKeysBeforeTouchingTheContent() {
        TestCandidate c = TestCandidate.message(1, "Subject: hello", "", "body").build();
        SearchKey query = new SearchKey.And(List.of(
                new SearchKey.Body("body"),
                new SearchKey.Header("SUBJECT", "hello"),
                new SearchKey.Flag("\\Seen", true)));
        assertThat(Search.matches(query, c, CONTEXT)).isFalse();
        assertThat(c.parses.get()).isZero();
        SearchKey or = new SearchKey.Or(new SearchKey.Text("hello"), new SearchKey.Size(true, 1));
        assertThat(Search.matches(or, c, CONTEXT)).isTrue();
        assertThat(c.parses.get()).isZero();
    }

    @Test
    void neverThrowsOnBrokenMessages() {
        SearchCandidate broken = new SearchCandidate() {
            private final byte[] raw = "\u0000\r\n--x\r\nContent-Type: multipart/mixed; boundary=".getBytes();

            @Override
            public long sequence() {
                return 1;
            }

            @Override
            public MessageMeta meta() {
                return new MessageMeta(1, 1, raw.length, Instant.EPOCH, new Flags(Set.of(), Set.of()));
            }

            @Override
            public boolean recent() {
                return false;
            }

            @Override
            public ParsedMessage parsed() {
                return MessageParser.parse(raw);
            }

            @Override
            public MessageSource raw() {
                return MessageSource.of(raw);
            }
        };
        assertThat(Search.matches(new SearchKey.Text("zzz"), broken, CONTEXT)).isFalse();
        assertThat(Search.matches(new SearchKey.Body("--x"), broken, CONTEXT)).isFalse();
        assertThat(Search.matches(new SearchKey.Header("FROM", "x"), broken, CONTEXT)).isFalse();
    }
}
