package dev.mailcore.imap.internal.codec;

import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.imap.internal.command.FetchItem;
import dev.mailcore.imap.internal.command.FetchItem.Rfc822Kind;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.Partial;
import dev.mailcore.imap.internal.command.Section;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.command.SequenceSet.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.mailcore.imap.internal.codec.ParserTestSupport.bad;
import static dev.mailcore.imap.internal.codec.ParserTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;

class ImapParserFetchStoreTest {

    private static List<FetchItem> items(String wire) {
        return command(wire, ImapCommand.Fetch.class).items();
    }

    @Test
    void expandsFetchMacros() {
        assertThat(items("a FETCH 1 ALL")).containsExactly(new FetchItem.Flags(), new FetchItem.InternalDate(),
                new FetchItem.Rfc822Size(), new FetchItem.Envelope());
        assertThat(items("a FETCH 1 fast")).containsExactly(new FetchItem.Flags(), new FetchItem.InternalDate(),
                new FetchItem.Rfc822Size());
        assertThat(items("a FETCH 1 FULL")).containsExactly(new FetchItem.Flags(), new FetchItem.InternalDate(),
                new FetchItem.Rfc822Size(), new FetchItem.Envelope(), new FetchItem.BodyStructure(false));
        assertThat(bad("a FETCH 1 (ALL)")).isEqualTo("a BAD Error in IMAP command FETCH: ALL cannot be used in a "
                + "list");
    }

    @Test
    void parsesSimpleFetchItems() {
        assertThat(items("a FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY UID MODSEQ RFC822 "
                + "RFC822.HEADER RFC822.TEXT)")).containsExactly(new FetchItem.Flags(), new FetchItem.InternalDate(),
                new FetchItem.Rfc822Size(), new FetchItem.Envelope(), new FetchItem.BodyStructure(true),
                new FetchItem.BodyStructure(false), new FetchItem.Uid(), new FetchItem.ModSeq(),
                new FetchItem.Rfc822(Rfc822Kind.FULL), new FetchItem.Rfc822(Rfc822Kind.HEADER),
                new FetchItem.Rfc822(Rfc822Kind.TEXT));
        assertThat(items("a fetch 2 flags")).containsExactly(new FetchItem.Flags());
        ImapCommand.Fetch f = command("a UID FETCH 4827313:4828442 (uid flags)", ImapCommand.Fetch.class);
        assertThat(f.uid()).isTrue();
        assertThat(f.set()).isEqualTo(SequenceSet.of(new Range(4827313, 4828442)));
        assertThat(f.changedSince()).isEqualTo(-1);
        assertThat(f.vanished()).isFalse();
    }

    @Test
    void parsesBodySections() {
        assertThat(items("a FETCH 1 (BODY[] BODY.PEEK[HEADER] BODY[TEXT] BODY[1.2] BODY[3.MIME] BODY[4.HEADER]"
                + " BODY[1.TEXT])")).containsExactly(
                new FetchItem.Body(Section.WHOLE, false, null),
                new FetchItem.Body(new Section(List.of(), Section.Text.HEADER, List.of()), true, null),
                new FetchItem.Body(new Section(List.of(), Section.Text.TEXT, List.of()), false, null),
                new FetchItem.Body(new Section(List.of(1, 2), null, List.of()), false, null),
                new FetchItem.Body(new Section(List.of(3), Section.Text.MIME, List.of()), false, null),
                new FetchItem.Body(new Section(List.of(4), Section.Text.HEADER, List.of()), false, null),
                new FetchItem.Body(new Section(List.of(1), Section.Text.TEXT, List.of()), false, null));
    }

    @Test
    void parsesHeaderFieldsAndPartials() {
        assertThat(items("a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To \"Subject\" {4}\r\nDate)]<0.2048> "
                + "body[1.header.fields.not (X-Spam)]<10.5> BODY[]<0.0>)")).containsExactly(
                new FetchItem.Body(new Section(List.of(), Section.Text.HEADER_FIELDS,
                        List.of("From", "To", "Subject", "Date")), true, new Partial(0, 2048)),
                new FetchItem.Body(new Section(List.of(1), Section.Text.HEADER_FIELDS_NOT, List.of("X-Spam")),
                        false, new Partial(10, 5)),
                new FetchItem.Body(Section.WHOLE, false, new Partial(0, 0)));
    }

    @Test
    void parsesBinaryItems() {
        assertThat(items("a FETCH 1 (BINARY[] BINARY.PEEK[1.2]<0.100> BINARY.SIZE[3] binary.size[])"))
                .containsExactly(new FetchItem.Binary(List.of(), false, null),
                        new FetchItem.Binary(List.of(1, 2), true, new Partial(0, 100)),
                        new FetchItem.BinarySize(List.of(3)), new FetchItem.BinarySize(List.of()));
    }

    @Test
    void parsesFetchModifiers() {
        ImapCommand.Fetch f = command("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
                ImapCommand.Fetch.class);
        assertThat(f.changedSince()).isEqualTo(12345);
        assertThat(f.vanished()).isTrue();
        assertThat(command("a FETCH 1:* FLAGS (changedsince 0)", ImapCommand.Fetch.class).changedSince())
                .isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a FETCH|Missing argument",
        "a FETCH 1|Missing argument",
        "a FETCH 1 ()|Invalid item",
        "a FETCH 1 (FLAGS|Missing ')'",
        "a FETCH 1 FOO|Unknown FETCH item FOO",
        "a FETCH 1 BODY.PEEK|Missing '['",
        "a FETCH 1 BODY[|Missing ']'",
        "a FETCH 1 BODY[FOO]|Invalid section FOO",
        "a FETCH 1 BODY[MIME]|MIME needs a part number",
        "a FETCH 1 BODY[0]|Invalid part number",
        "a FETCH 1 BODY[1.]|Invalid section",
        "a FETCH 1 BODY[1..2]|Invalid section",
        "a FETCH 1 BODY[HEADER.FIELDS]|Expected a space",
        "a FETCH 1 BODY[HEADER.FIELDS ()]|Invalid characters in atom",
        "a FETCH 1 BODY[HEADER.FIELDS (\"a:b\")]|Invalid header field name",
        "a FETCH 1 BODY[]<1>|Expected '.'",
        "a FETCH 1 BODY[]<1.2|Missing '>'",
        "a FETCH 1 BINARY[TEXT]|Invalid part number",
        "a FETCH 1 BINARY.SIZE[1]<0.1>|Expected a space",
        "a FETCH 1 FLAGS (VANISHED)|VANISHED needs UID FETCH and CHANGEDSINCE",
        "a UID FETCH 1 FLAGS (VANISHED)|VANISHED needs UID FETCH and CHANGEDSINCE",
        "a FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)|VANISHED needs UID FETCH and CHANGEDSINCE",
        "a FETCH 1 FLAGS (FOO)|Unknown or repeated FETCH modifier FOO",
        "a FETCH 1 FLAGS (CHANGEDSINCE x)|Invalid number",
        "a FETCH 1 FLAGS FLAGS|Expected '('",
        "a FETCH 0 FLAGS|Invalid sequence set",
    })
    void rejectsMalformedFetch(String wire, String problem) {
        String response = bad(wire);
        assertThat(response).startsWith("a BAD Error in IMAP command " + (wire.contains("UID") ? "UID FETCH" : "FETCH")
                + ": ");
        assertThat(response).contains(problem);
    }

    // ------------------------------------------------------------------------------------------------- STORE

    @Test
    void parsesStoreForms() {
        assertThat(command("a STORE 2:4 +FLAGS (\\Deleted)", ImapCommand.Store.class)).isEqualTo(
                new ImapCommand.Store(false, SequenceSet.of(new Range(2, 4)), -1, FlagOperation.ADD, false,
                        List.of("\\Deleted")));
        assertThat(command("a STORE 1 +FLAGS \\Deleted", ImapCommand.Store.class).flags())
                .containsExactly("\\Deleted");
        assertThat(command("a store 1 -flags.silent \\Seen $Junk", ImapCommand.Store.class)).isEqualTo(
                new ImapCommand.Store(false, SequenceSet.of(Range.single(1)), -1, FlagOperation.REMOVE, true,
                        List.of("\\Seen", "$Junk")));
        assertThat(command("a UID STORE 1:* FLAGS ()", ImapCommand.Store.class)).isEqualTo(
                new ImapCommand.Store(true, SequenceSet.of(new Range(1, SequenceSet.STAR)), -1,
                        FlagOperation.REPLACE, false, List.of()));
        assertThat(command("a STORE $ (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)",
                ImapCommand.Store.class).unchangedSince()).isEqualTo(320162338L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a STORE|Missing argument",
        "a STORE 1|Missing argument",
        "a STORE 1 +FLAGS|Missing argument",
        "a STORE 1 LABELS (x)|Unknown STORE item LABELS",
        "a STORE 1 +FLAGS (\\Seen|Missing ')'",
        "a STORE 1 +FLAGS (\\*)|Invalid flag",
        "a STORE 1 +FLAGS \\|Invalid flag",
        "a STORE 1 +FLAGS (a(b)|Expected a space",
        "a STORE 1 (FOO 1) FLAGS x|Unknown STORE modifier FOO",
        "a STORE 1 (UNCHANGEDSINCE) FLAGS x|Expected a space",
    })
    void rejectsMalformedStore(String wire, String problem) {
        assertThat(bad(wire)).startsWith("a BAD Error in IMAP command STORE: ").contains(problem);
    }

    @Test
    void rejectsATrailingSpaceAfterBareFlags() {
        assertThat(bad("a STORE 1 FLAGS x ")).isEqualTo("a BAD Error in IMAP command STORE: Missing flag");
    }
}
