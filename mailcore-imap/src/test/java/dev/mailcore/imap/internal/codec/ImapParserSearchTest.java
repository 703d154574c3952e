package dev.mailcore.imap.internal.codec;

import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ImapCommand.SearchReturn;
import dev.mailcore.imap.internal.command.ImapCommand.SortCriterion;
import dev.mailcore.imap.internal.command.ImapCommand.SortKey;
import dev.mailcore.imap.internal.command.SearchKey;
import dev.mailcore.imap.internal.command.SearchKey.Comparison;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.command.SequenceSet.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static dev.mailcore.imap.internal.codec.ParserTestSupport.bad;
import static dev.mailcore.imap.internal.codec.ParserTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;

class ImapParserSearchTest {

    private static SearchKey key(String keys) {
        return command("a SEARCH " + keys, ImapCommand.Search.class).key();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ANSWERED|\\Answered|true", "deleted|\\Deleted|true", "DRAFT|\\Draft|true", "FLAGGED|\\Flagged|true",
        "Seen|\\Seen|true", "UNANSWERED|\\Answered|false", "UNDELETED|\\Deleted|false", "UNDRAFT|\\Draft|false",
        "UNFLAGGED|\\Flagged|false", "unseen|\\Seen|false", "KEYWORD $Junk|$Junk|true",
        "UNKEYWORD NonJunk|NonJunk|false"})
    void parsesFlagKeys(String keys, String flag, boolean set) {
        assertThat(key(keys)).isEqualTo(new SearchKey.Flag(flag, set));
    }

    @Test
    void parsesKeysWithoutArguments() {
        assertThat(key("ALL")).isEqualTo(new SearchKey.All());
        assertThat(key("RECENT")).isEqualTo(new SearchKey.Recent());
        assertThat(key("NEW")).isEqualTo(new SearchKey.New());
        assertThat(key("OLD")).isEqualTo(new SearchKey.Old());
    }

    @Test
    void parsesStringKeys() {
        assertThat(key("FROM \"Smith\"")).isEqualTo(new SearchKey.Header("FROM", "Smith"));
        assertThat(key("to joe")).isEqualTo(new SearchKey.Header("TO", "joe"));
        assertThat(key("CC {3}\r\nbob")).isEqualTo(new SearchKey.Header("CC", "bob"));
        assertThat(key("BCC x")).isEqualTo(new SearchKey.Header("BCC", "x"));
        assertThat(key("SUBJECT \"hello world\"")).isEqualTo(new SearchKey.Header("SUBJECT", "hello world"));
        assertThat(key("HEADER X-Mailer \"\"")).isEqualTo(new SearchKey.Header("X-Mailer", ""));
        assertThat(key("BODY blurdybloop")).isEqualTo(new SearchKey.Body("blurdybloop"));
        assertThat(key("TEXT \"foo bar\"")).isEqualTo(new SearchKey.Text("foo bar"));
    }

    @Test
    void parsesDateKeysQuotedOrNot() {
        LocalDate d = LocalDate.of(1994, 2, 1);
        assertThat(key("SINCE 1-Feb-1994")).isEqualTo(new SearchKey.Date(false, Comparison.SINCE, d));
        assertThat(key("BEFORE \"01-feb-1994\"")).isEqualTo(new SearchKey.Date(false, Comparison.BEFORE, d));
        assertThat(key("ON 1-FEB-1994")).isEqualTo(new SearchKey.Date(false, Comparison.ON, d));
        assertThat(key("SENTBEFORE 1-Feb-1994")).isEqualTo(new SearchKey.Date(true, Comparison.BEFORE, d));
        assertThat(key("SENTON 1-Feb-1994")).isEqualTo(new SearchKey.Date(true, Comparison.ON, d));
        assertThat(key("SENTSINCE 1-Feb-1994")).isEqualTo(new SearchKey.Date(true, Comparison.SINCE, d));
    }

    @Test
    void parsesNumericAndSetKeys() {
        assertThat(key("LARGER 1024")).isEqualTo(new SearchKey.Size(true, 1024));
        assertThat(key("SMALLER 10000000000")).isEqualTo(new SearchKey.Size(false, 10_000_000_000L));
        assertThat(key("UID 1:5,7")).isEqualTo(new SearchKey.Uid(SequenceSet.of(new Range(1, 5), Range.single(7))));
        assertThat(key("UID $")).isEqualTo(new SearchKey.Uid(SequenceSet.SAVED));
        assertThat(key("2:*")).isEqualTo(new SearchKey.Sequence(SequenceSet.of(new Range(2, SequenceSet.STAR))));
        assertThat(key("$")).isEqualTo(new SearchKey.Sequence(SequenceSet.SAVED));
        assertThat(key("OLDER 3600")).isEqualTo(new SearchKey.Within(true, 3600));
        assertThat(key("YOUNGER 60")).isEqualTo(new SearchKey.Within(false, 60));
        assertThat(key("MODSEQ 620162338")).isEqualTo(new SearchKey.ModSeq(620162338L));
        assertThat(key("MODSEQ \"/flags/\\\\draft\" all 620162338")).isEqualTo(new SearchKey.ModSeq(620162338L));
        assertThat(key("MODSEQ \"/flags/$Junk\" PRIV 5")).isEqualTo(new SearchKey.ModSeq(5));
    }

    @Test
    void parsesNotOrAndNestedLists() {
        assertThat(key("NOT SEEN")).isEqualTo(new SearchKey.Not(new SearchKey.Flag("\\Seen", true)));
        assertThat(key("OR FROM a (TO b CC c)")).isEqualTo(new SearchKey.Or(new SearchKey.Header("FROM", "a"),
                new SearchKey.And(List.of(new SearchKey.Header("TO", "b"), new SearchKey.Header("CC", "c")))));
        assertThat(key("DELETED FROM \"SMITH\" SINCE 1-Feb-1994")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Flag("\\Deleted", true), new SearchKey.Header("FROM", "SMITH"),
                new SearchKey.Date(false, Comparison.SINCE, LocalDate.of(1994, 2, 1)))));
        assertThat(key("((SEEN))")).isEqualTo(new SearchKey.Flag("\\Seen", true));
        assertThat(key("OR OR 1 2 NOT (3 4)")).isEqualTo(new SearchKey.Or(new SearchKey.Or(
                new SearchKey.Sequence(SequenceSet.of(Range.single(1))),
                new SearchKey.Sequence(SequenceSet.of(Range.single(2)))),
                new SearchKey.Not(new SearchKey.And(List.of(new SearchKey.Sequence(SequenceSet.of(Range.single(3))),
                        new SearchKey.Sequence(SequenceSet.of(Range.single(4))))))));
    }

    @Test
    void parsesReturnOptionsAndCharset() {
        ImapCommand.Search plain = command("a SEARCH ALL", ImapCommand.Search.class);
        assertThat(plain.returns()).isNull();
        assertThat(plain.charset()).isNull();
        assertThat(plain.uid()).isFalse();
        ImapCommand.Search s = command("a UID SEARCH RETURN (MIN max ALL count SAVE) CHARSET utf-8 UNSEEN",
                ImapCommand.Search.class);
        assertThat(s.uid()).isTrue();
        assertThat(s.returns()).containsExactlyInAnyOrder(SearchReturn.values());
        assertThat(s.charset()).isEqualTo("UTF-8");
        assertThat(command("a SEARCH RETURN () ALL", ImapCommand.Search.class).returns()).isEmpty();
        assertThat(command("a SEARCH CHARSET \"US-ASCII\" ALL", ImapCommand.Search.class).charset())
                .isEqualTo("US-ASCII");
    }

    @Test
    void decodesSearchStringsInTheGivenCharset() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        ImapInput input = ImapParser.parse(new CommandText(List.of("a SEARCH CHARSET ISO-8859-1 SUBJECT {4}", ""),
                List.of(Literal.inMemory(latin1, false))));
        assertThat(((ImapCommand.Search) ((ImapInput.Command) input).command().command()).key())
                .isEqualTo(new SearchKey.Header("SUBJECT", "caf\u00e9"));
        assertThat(key("SUBJECT \"caf\u00e9\"")).isEqualTo(new SearchKey.Header("SUBJECT", "caf\u00e9"));
    }

    @Test
    void answersAnUnknownCharsetWithBadCharset() {
        assertThat(ParserTestSupport.parse("a SEARCH CHARSET X-NOPE ALL")).isEqualTo(new ImapInput.Bad(
                "a NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset", false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a SEARCH|Missing argument",
        "a SEARCH FOO|Unknown search key FOO",
        "a SEARCH FROM|Missing argument",
        "a SEARCH HEADER Subject|Missing argument",
        "a SEARCH SINCE 31-Feb-2020|Invalid date",
        "a SEARCH SINCE 1-Foo-2020|Invalid month",
        "a SEARCH SINCE 1-Feb-20|Invalid date",
        "a SEARCH SINCE 123-Feb-2020|Invalid date",
        "a SEARCH SINCE \"1-Feb-2020|Invalid date",
        "a SEARCH LARGER x|Invalid number",
        "a SEARCH OLDER 0|Invalid number 0",
        "a SEARCH OR SEEN|Missing argument",
        "a SEARCH NOT|Missing argument",
        "a SEARCH (SEEN|Missing ')'",
        "a SEARCH ()|Missing search key",
        "a SEARCH SEEN)|Expected a space",
        "a SEARCH UID|Missing argument",
        "a SEARCH UID x|Invalid sequence set",
        "a SEARCH RETURN (FOO) ALL|Unknown SEARCH return option FOO",
        "a SEARCH RETURN ALL|Expected '('",
        "a SEARCH CHARSET|Missing argument",
        "a SEARCH KEYWORD \\Seen|Invalid characters in atom",
        "a SEARCH MODSEQ \"/x/y\" all 5|Invalid MODSEQ entry name",
        "a SEARCH MODSEQ \"/flags/x\" every 5|Invalid MODSEQ entry type",
        "a SEARCH 1:0|Invalid sequence set",
    })
    void rejectsMalformedSearch(String wire, String problem) {
        assertThat(bad(wire)).startsWith("a BAD Error in IMAP command SEARCH: ").contains(problem);
    }

    @Test
    void rejectsASearchWithoutKeys() {
        assertThat(bad("a SEARCH ")).isEqualTo("a BAD Error in IMAP command SEARCH: Missing search key");
        assertThat(bad("a SEARCH RETURN (ALL) ")).isEqualTo("a BAD Error in IMAP command SEARCH: Missing search key");
    }

    @Test
    void rejectsSearchKeysNestedTooDeeply() {
        assertThat(bad("a SEARCH " + "NOT ".repeat(100) + "SEEN")).contains("Search keys nested too deeply");
        assertThat(bad("a SEARCH " + "(".repeat(5000) + "SEEN" + ")".repeat(5000)))
                .contains("Search keys nested too deeply");
        assertThat(key("NOT ".repeat(50) + "SEEN")).isInstanceOf(SearchKey.Not.class);
    }

    // ------------------------------------------------------------------------------------------- SORT, THREAD

    @Test
    void parsesSort() {
        ImapCommand.Sort sort = command("a UID SORT (REVERSE date subject DISPLAYFROM) UTF-8 SINCE 1-Feb-1994 SEEN",
                ImapCommand.Sort.class);
        assertThat(sort.uid()).isTrue();
        assertThat(sort.criteria()).containsExactly(new SortCriterion(SortKey.DATE, true),
                new SortCriterion(SortKey.SUBJECT, false), new SortCriterion(SortKey.DISPLAYFROM, false));
        assertThat(sort.charset()).isEqualTo("UTF-8");
        assertThat(sort.key()).isInstanceOf(SearchKey.And.class);
        assertThat(command("a SORT (ARRIVAL CC FROM SIZE TO DISPLAYTO) US-ASCII ALL", ImapCommand.Sort.class)
                .criteria()).hasSize(6);
    }

    @Test
    void rejectsMalformedSort() {
        assertThat(bad("a SORT (FOO) UTF-8 ALL")).contains("SORT: Unknown sort criterion FOO");
        assertThat(bad("a SORT (REVERSE) UTF-8 ALL")).contains("Expected a space");
        assertThat(bad("a SORT () UTF-8 ALL")).contains("Invalid characters in atom");
        assertThat(bad("a SORT (DATE) UTF-8")).contains("Missing argument");
        assertThat(bad("a SORT (DATE) ALL")).contains("NO [BADCHARSET"); // ALL is read as the charset
        assertThat(bad("a SORT DATE UTF-8 ALL")).contains("Expected '('");
        assertThat(bad("a SORT (DATE) X-NOPE ALL")).contains("NO [BADCHARSET");
    }

    @Test
    void parsesThread() {
        assertThat(command("a THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000", ImapCommand.Thread.class)).isEqualTo(
                new ImapCommand.Thread(false, ImapCommand.ThreadAlgorithm.ORDEREDSUBJECT, "UTF-8",
                        new SearchKey.Date(false, Comparison.SINCE, LocalDate.of(2000, 3, 5))));
        assertThat(command("a UID THREAD references US-ASCII ALL", ImapCommand.Thread.class).algorithm())
                .isEqualTo(ImapCommand.ThreadAlgorithm.REFERENCES);
        assertThat(bad("a THREAD REFS UTF-8 ALL")).contains("THREAD: Unknown threading algorithm REFS");
        assertThat(bad("a THREAD REFERENCES UTF-8")).contains("Missing argument");
    }
}
