package dev.mailcore.imap.internal.codec;

import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ImapCommand.ListReturn;
import dev.mailcore.imap.internal.command.ImapCommand.ListSelect;
import dev.mailcore.imap.internal.command.ParsedCommand;
import dev.mailcore.imap.internal.command.SequenceSet;
import dev.mailcore.imap.internal.command.SequenceSet.Range;
import dev.mailcore.imap.internal.command.StatusItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mailcore.imap.internal.codec.ParserTestSupport.bad;
import static dev.mailcore.imap.internal.codec.ParserTestSupport.command;
import static dev.mailcore.imap.internal.codec.ParserTestSupport.parsed;
import static org.assertj.core.api.Assertions.assertThat;

/** Commands other than FETCH, STORE and SEARCH/SORT/THREAD (see their own tests). */
class ImapParserTest {

    // ------------------------------------------------------------------------------------------------ tags, names

    @Test
    void readsTagAndCommandNameCaseInsensitively() {
        ParsedCommand p = parsed("A001 capability");
        assertThat(p.tag()).isEqualTo("A001");
        assertThat(p.command()).isInstanceOf(ImapCommand.Capability.class);
        assertThat(parsed("x.y]z NoOp").command()).isInstanceOf(ImapCommand.Noop.class);
        assertThat(parsed("1 LOGOUT").command()).isInstanceOf(ImapCommand.Logout.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+a NOOP", "a+ NOOP", "a(b NOOP", "a*b NOOP", "a%b NOOP", "a\"b NOOP", "a{b NOOP",
        "a\\b NOOP"})
    void rejectsInvalidTagsWithAnUntaggedBad(String line) {
        assertThat(bad(line)).isEqualTo("* BAD Invalid tag");
    }

    @Test
    void rejectsUnknownAndMissingCommands() {
        assertThat(bad("a1 FROBNICATE")).isEqualTo("a1 BAD Unknown command");
        assertThat(bad("a1")).isEqualTo("a1 BAD Missing command");
        assertThat(bad("a1 ")).isEqualTo("a1 BAD Missing command");
        assertThat(bad("a1 UID FROB 1")).startsWith("a1 BAD Unknown command UID");
        assertThat(bad("a1 UID")).startsWith("a1 BAD Error in IMAP command UID:");
        assertThat(bad("a1 UID LOGIN a b")).startsWith("a1 BAD Unknown command UID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "NAMESPACE", "IDLE", "CHECK", "CLOSE",
        "UNSELECT", "EXPUNGE"})
    void rejectsArgumentsOnCommandsThatTakeNone(String name) {
        assertThat(bad("t " + name + " extra")).isEqualTo("t BAD Error in IMAP command " + name
                + ": Unexpected extra arguments");
        assertThat(bad("t " + name + " ")).contains("Unexpected extra arguments");
    }

    @Test
    void parsesEveryArgumentlessCommand() {
        assertThat(parsed("t STARTTLS").command()).isInstanceOf(ImapCommand.StartTls.class);
        assertThat(parsed("t NAMESPACE").command()).isInstanceOf(ImapCommand.Namespace.class);
        assertThat(parsed("t IDLE").command()).isInstanceOf(ImapCommand.Idle.class);
        assertThat(parsed("t CHECK").command()).isInstanceOf(ImapCommand.Check.class);
        assertThat(parsed("t CLOSE").command()).isInstanceOf(ImapCommand.Close.class);
        assertThat(parsed("t UNSELECT").command()).isInstanceOf(ImapCommand.Unselect.class);
        assertThat(command("t EXPUNGE", ImapCommand.Expunge.class).uids()).isNull();
    }

    // ------------------------------------------------------------------------------------------ LOGIN, strings

    @Test
    void parsesLoginWithAtomsQuotedStringsAndLiterals() {
        assertThat(command("a LOGIN joe secret", ImapCommand.Login.class))
                .isEqualTo(new ImapCommand.Login("joe", "secret"));
        assertThat(command("a login \"joe smith\" \"p\\\"w\\\\d\"", ImapCommand.Login.class))
                .isEqualTo(new ImapCommand.Login("joe smith", "p\"w\\d"));
        assertThat(command("a LOGIN {3}\r\njoe {6+}\r\nse cr\"", ImapCommand.Login.class))
                .isEqualTo(new ImapCommand.Login("joe", "se cr\""));
        assertThat(command("a LOGIN \"\" \"\"", ImapCommand.Login.class)).isEqualTo(new ImapCommand.Login("", ""));
        assertThat(command("a LOGIN j]oe {0}\r\n", ImapCommand.Login.class))
                .isEqualTo(new ImapCommand.Login("j]oe", ""));
    }

    @Test
    void decodesUtf8InQuotedStringsAndLiterals() {
        assertThat(command("a LOGIN \"jörg\" {4}\r\nпа", ImapCommand.Login.class))
                .isEqualTo(new ImapCommand.Login("jörg", "па"));
    }

    @Test
    void rejectsMalformedStrings() {
        assertThat(bad("a LOGIN joe")).isEqualTo("a BAD Error in IMAP command LOGIN: Missing argument");
        assertThat(bad("a LOGIN")).isEqualTo("a BAD Error in IMAP command LOGIN: Missing argument");
        assertThat(bad("a LOGIN joe \"secret")).contains("Unterminated quoted string");
        assertThat(bad("a LOGIN joe \"se\\cret\"")).contains("Invalid escape in quoted string");
        assertThat(bad("a LOGIN joe secret extra")).contains("Unexpected extra arguments");
        assertThat(bad("a LOGIN joe  secret")).contains("LOGIN: Invalid characters in atom");
        assertThat(bad("a LOGIN jo(e secret")).contains("Expected a space");
        assertThat(bad("a LOGIN joe ~{3}\r\nabc")).contains("literal8 is not allowed here");
    }

    @Test
    void rejectsInvalidUtf8InStrings() {
        ImapInput input = ImapParser.parse(new CommandText(List.of("a LOGIN {2}", ""),
                List.of(Literal.inMemory(new byte[]{(byte) 0xC3, (byte) 0x28}, false))));
        assertThat(((ImapInput.Bad) input).response()).isEqualTo("a BAD Error in IMAP command LOGIN: Invalid UTF-8 "
                + "in a string");
        ImapInput quoted = ImapParser.parse(new CommandText(List.of("a LOGIN \"\u00ff\" x"), List.of()));
        assertThat(((ImapInput.Bad) quoted).response()).contains("Invalid UTF-8");
    }

    @Test
    void resourcesOfAParsedCommandReleaseItsLiterals() throws Exception {
        CommandText text = new CommandText(List.of("a LOGIN {3}", ""), List.of(Literal.inMemory(
                "joe".getBytes(StandardCharsets.US_ASCII), false)));
        ImapInput input = ImapParser.parse(text);
        assertThat(input).isInstanceOf(ImapInput.Bad.class); // the password is missing
        CommandText ok = new CommandText(List.of("a LOGIN {3}", " x"), List.of(Literal.inMemory(
                "joe".getBytes(StandardCharsets.US_ASCII), false)));
        ParsedCommand parsed = ((ImapInput.Command) ImapParser.parse(ok)).command();
        assertThat(parsed.resources()).isSameAs(ok);
    }

    // ---------------------------------------------------------------------------------------- AUTHENTICATE, ID

    @Test
    void parsesAuthenticateWithAndWithoutInitialResponse() {
        assertThat(command("a AUTHENTICATE plain", ImapCommand.Authenticate.class))
                .isEqualTo(new ImapCommand.Authenticate("PLAIN", null));
        assertThat(command("a AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=", ImapCommand.Authenticate.class))
                .isEqualTo(new ImapCommand.Authenticate("PLAIN", "AGpvZQBzZWNyZXQ="));
        assertThat(command("a AUTHENTICATE EXTERNAL =", ImapCommand.Authenticate.class))
                .isEqualTo(new ImapCommand.Authenticate("EXTERNAL", "="));
        assertThat(command("a AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlx",
                ImapCommand.Authenticate.class).mechanism()).isEqualTo("SCRAM-SHA-256");
    }

    @Test
    void rejectsMalformedAuthenticate() {
        assertThat(bad("a AUTHENTICATE")).contains("AUTHENTICATE: Missing argument");
        assertThat(bad("a AUTHENTICATE PLAIN abc")).contains("Invalid base64 initial response");
        assertThat(bad("a AUTHENTICATE PLAIN a=bc")).contains("Invalid base64 initial response");
        assertThat(bad("a AUTHENTICATE PLAIN AGpv!")).contains("Unexpected extra arguments");
        assertThat(bad("a AUTHENTICATE PLAIN AGpv ZQ==")).contains("Unexpected extra arguments");
    }

    @Test
    void parsesIdWithNilOrAList() {
        assertThat(command("a ID NIL", ImapCommand.Id.class).fields()).isNull();
        assertThat(command("a ID nil", ImapCommand.Id.class).fields()).isNull();
        Map<String, String> fields = command("a ID (\"name\" \"Thunderbird\" \"version\" NIL \"os\" {5}\r\nLinux)",
                ImapCommand.Id.class).fields();
        assertThat(fields).containsOnlyKeys("name", "version", "os").containsEntry("name", "Thunderbird")
                .containsEntry("version", null).containsEntry("os", "Linux");
        assertThat(fields.keySet()).containsExactly("name", "version", "os");
        assertThat(command("a ID ()", ImapCommand.Id.class).fields()).isEmpty();
    }

    @Test
    void rejectsMalformedId() {
        assertThat(bad("a ID")).contains("ID: Missing argument");
        assertThat(bad("a ID foo")).contains("Expected a list or NIL");
        assertThat(bad("a ID (\"name\")")).contains("Expected a space");
        assertThat(bad("a ID (\"name\" \"x\"")).contains("Missing ')'");
    }

    // ----------------------------------------------------------------------------------------- ENABLE, SELECT

    @Test
    void parsesEnableUpperCasingCapabilities() {
        assertThat(command("a ENABLE condstore QRESYNC UTF8=ACCEPT", ImapCommand.Enable.class).capabilities())
                .containsExactly("CONDSTORE", "QRESYNC", "UTF8=ACCEPT");
        assertThat(bad("a ENABLE")).contains("ENABLE: Missing argument");
    }

    @Test
    void parsesSelectAndExamineWithInboxInAnyCase() {
        assertThat(command("a SELECT inbox", ImapCommand.Select.class))
                .isEqualTo(new ImapCommand.Select("INBOX", false, false, null));
        assertThat(command("a EXAMINE \"Sent Items\"", ImapCommand.Select.class))
                .isEqualTo(new ImapCommand.Select("Sent Items", true, false, null));
        assertThat(command("a SELECT InBoX/sub", ImapCommand.Select.class).mailbox()).isEqualTo("InBoX/sub");
        assertThat(command("a SELECT {5}\r\niNbOx", ImapCommand.Select.class).mailbox()).isEqualTo("INBOX");
    }

    @Test
    void parsesSelectParameters() {
        assertThat(command("a SELECT INBOX (CONDSTORE)", ImapCommand.Select.class).condStore()).isTrue();
        ImapCommand.Select s = command("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
                ImapCommand.Select.class);
        assertThat(s.qresync()).isEqualTo(new ImapCommand.Qresync(67890007, 20050715194045000L,
                new SequenceSet(List.of(Range.single(41), new Range(43, 211), new Range(214, 541)), false), null,
                null));
        ImapCommand.Select full = command("a EXAMINE INBOX (CONDSTORE QRESYNC (1 2 1:* (1,5 10,20)))",
                ImapCommand.Select.class);
        assertThat(full.condStore()).isTrue();
        assertThat(full.qresync().knownSequences()).isEqualTo(SequenceSet.of(Range.single(1), Range.single(5)));
        assertThat(full.qresync().knownSequenceUids()).isEqualTo(SequenceSet.of(Range.single(10),
                Range.single(20)));
        ImapCommand.Select seqOnly = command("a SELECT INBOX (QRESYNC (1 2 (1 10)))", ImapCommand.Select.class);
        assertThat(seqOnly.qresync().knownUids()).isNull();
        assertThat(seqOnly.qresync().knownSequences()).isEqualTo(SequenceSet.of(Range.single(1)));
    }

    @Test
    void rejectsMalformedSelectParameters() {
        assertThat(bad("a SELECT")).contains("SELECT: Missing argument");
        assertThat(bad("a SELECT INBOX ()")).contains("Invalid characters in atom");
        assertThat(bad("a SELECT INBOX (FOO)")).contains("Unknown or repeated SELECT parameter FOO");
        assertThat(bad("a SELECT INBOX (CONDSTORE CONDSTORE)")).contains("Unknown or repeated");
        assertThat(bad("a SELECT INBOX (QRESYNC (0 2))")).contains("Invalid number 0");
        assertThat(bad("a SELECT INBOX (QRESYNC (1))")).contains("Expected a space");
        assertThat(bad("a SELECT INBOX (QRESYNC (1 2 $))")).contains("$ is not allowed");
        assertThat(bad("a SELECT INBOX CONDSTORE")).contains("Expected '('");
    }

    // --------------------------------------------------------------------------------- mailbox management

    @Test
    void parsesCreateWithAndWithoutSpecialUse() {
        assertThat(command("a CREATE Archive", ImapCommand.Create.class))
                .isEqualTo(new ImapCommand.Create("Archive", List.of()));
        assertThat(command("a CREATE MySpecial (USE (\\Drafts \\Sent))", ImapCommand.Create.class))
                .isEqualTo(new ImapCommand.Create("MySpecial", List.of("\\Drafts", "\\Sent")));
        assertThat(bad("a CREATE X (USE (Drafts))")).contains("Invalid special-use attribute");
        assertThat(bad("a CREATE X (FOO (\\Drafts))")).contains("Unknown CREATE parameter FOO");
        assertThat(bad("a CREATE")).contains("CREATE: Missing argument");
    }

    @Test
    void parsesDeleteRenameSubscribeAndUnsubscribe() {
        assertThat(command("a DELETE \"Old Stuff\"", ImapCommand.Delete.class).mailbox()).isEqualTo("Old Stuff");
        assertThat(command("a RENAME a b", ImapCommand.Rename.class)).isEqualTo(new ImapCommand.Rename("a", "b"));
        assertThat(command("a RENAME inbox Old", ImapCommand.Rename.class).from()).isEqualTo("INBOX");
        assertThat(command("a SUBSCRIBE x", ImapCommand.Subscribe.class).mailbox()).isEqualTo("x");
        assertThat(command("a UNSUBSCRIBE {1}\r\ny", ImapCommand.Unsubscribe.class).mailbox()).isEqualTo("y");
        assertThat(bad("a RENAME a")).contains("RENAME: Missing argument");
        assertThat(bad("a DELETE a b")).contains("Unexpected extra arguments");
    }

    // ----------------------------------------------------------------------------------------------- LIST

    @Test
    void parsesBasicListAndLsub() {
        assertThat(command("a LIST \"\" *", ImapCommand.ListMailboxes.class)).isEqualTo(
                new ImapCommand.ListMailboxes("", List.of("*"), Set.of(), Set.of(), List.of(), false));
        assertThat(command("a LIST \"\" %/Sub]x", ImapCommand.ListMailboxes.class).patterns())
                .containsExactly("%/Sub]x");
        assertThat(command("a LIST #news. \"comp.mail.*\"", ImapCommand.ListMailboxes.class).reference())
                .isEqualTo("#news.");
        assertThat(command("a LIST \"\" \"\"", ImapCommand.ListMailboxes.class).patterns()).containsExactly("");
        assertThat(command("a LSUB \"\" *", ImapCommand.ListMailboxes.class)).isEqualTo(
                new ImapCommand.ListMailboxes("", List.of("*"), Set.of(), Set.of(), List.of(), true));
    }

    @Test
    void parsesExtendedList() {
        ImapCommand.ListMailboxes list = command(
                "a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Sent\" %) RETURN (CHILDREN SPECIAL-USE "
                        + "STATUS (MESSAGES UNSEEN))", ImapCommand.ListMailboxes.class);
        assertThat(list.select()).containsExactlyInAnyOrder(ListSelect.SUBSCRIBED, ListSelect.RECURSIVEMATCH);
        assertThat(list.patterns()).containsExactly("INBOX", "Sent", "%");
        assertThat(list.returns()).containsExactlyInAnyOrder(ListReturn.CHILDREN, ListReturn.SPECIAL_USE,
                ListReturn.STATUS);
        assertThat(list.statusItems()).containsExactly(StatusItem.MESSAGES, StatusItem.UNSEEN);
        assertThat(command("a list () \"\" * return ()", ImapCommand.ListMailboxes.class).returns()).isEmpty();
        assertThat(command("a LIST (special-use remote) \"\" *", ImapCommand.ListMailboxes.class).select())
                .containsExactlyInAnyOrder(ListSelect.SPECIAL_USE, ListSelect.REMOTE);
        assertThat(command("a LIST \"\" * RETURN (SUBSCRIBED)", ImapCommand.ListMailboxes.class).returns())
                .containsExactly(ListReturn.SUBSCRIBED);
    }

    @Test
    void rejectsMalformedList() {
        assertThat(bad("a LIST \"\"")).contains("LIST: Missing argument");
        assertThat(bad("a LIST (FOO) \"\" *")).contains("Unknown LIST selection option FOO");
        assertThat(bad("a LIST (RECURSIVEMATCH) \"\" *")).contains("RECURSIVEMATCH needs another");
        assertThat(bad("a LIST \"\" * RETURN (FOO)")).contains("Unknown LIST return option FOO");
        assertThat(bad("a LIST \"\" * FOO (CHILDREN)")).contains("Expected RETURN");
        assertThat(bad("a LIST \"\" ()")).contains("Invalid mailbox pattern");
        assertThat(bad("a LIST \"\" * RETURN (STATUS (FOO))")).contains("Unknown STATUS item FOO");
        assertThat(bad("a LSUB \"\" * x")).contains("Unexpected extra arguments");
    }

    // ---------------------------------------------------------------------------------------------- STATUS

    @Test
    void parsesStatusItems() {
        assertThat(command("a STATUS inbox (messages RECENT uidnext UIDVALIDITY UNSEEN SIZE DELETED HIGHESTMODSEQ "
                + "APPENDLIMIT)", ImapCommand.Status.class)).isEqualTo(new ImapCommand.Status("INBOX",
                List.of(StatusItem.values())));
        assertThat(bad("a STATUS INBOX ()")).contains("STATUS: Invalid characters in atom");
        assertThat(bad("a STATUS INBOX (MESSAGES FOO)")).contains("Unknown STATUS item FOO");
        assertThat(bad("a STATUS INBOX MESSAGES")).contains("Expected '('");
        assertThat(bad("a STATUS INBOX")).contains("Missing argument");
    }

    // ---------------------------------------------------------------------------------------------- APPEND

    @Test
    void parsesAppendWithFlagsDateAndLiteral() throws Exception {
        ImapCommand.Append append = command("a APPEND saved-messages (\\Seen $Junk) \"25-Nov-2026 10:00:00 +0100\" "
                + "{11}\r\nHello World", ImapCommand.Append.class);
        assertThat(append.mailbox()).isEqualTo("saved-messages");
        assertThat(append.messages()).hasSize(1);
        ImapCommand.AppendMessage m = append.messages().get(0);
        assertThat(m.flags()).containsExactly("\\Seen", "$Junk");
        assertThat(m.internalDate()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(m.content().size()).isEqualTo(11);
        try (InputStream in = m.content().openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Hello World");
        }
    }

    @Test
    void parsesAppendWithoutOptionalPartsAndWithSpacePaddedDays() {
        ImapCommand.AppendMessage plain = command("a APPEND INBOX {3}\r\nabc", ImapCommand.Append.class)
                .messages().get(0);
        assertThat(plain.flags()).isEmpty();
        assertThat(plain.internalDate()).isNull();
        assertThat(command("a APPEND INBOX () {3}\r\nabc", ImapCommand.Append.class).messages().get(0).flags())
                .isEmpty();
        assertThat(command("a APPEND INBOX \" 5-Jan-2026 23:59:59 -0830\" {3+}\r\nabc", ImapCommand.Append.class)
                .messages().get(0).internalDate()).isEqualTo(Instant.parse("2026-01-06T08:29:59Z"));
        assertThat(command("a APPEND INBOX \"05-jan-2026 00:00:00 +0000\" {3}\r\nabc", ImapCommand.Append.class)
                .messages().get(0).internalDate()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
    }

    @Test
    void parsesBinaryAppendAndMultiAppend() {
        ImapCommand.Append append = command("a APPEND Drafts (\\Draft) ~{4}\r\n\u0001\u0000ab {2+}\r\nxy "
                + "\"01-Feb-2025 01:02:03 +0000\" {1}\r\nz", ImapCommand.Append.class);
        assertThat(append.messages()).hasSize(3);
        assertThat(append.messages().get(0).content().size()).isEqualTo(4);
        assertThat(append.messages().get(1).flags()).isEmpty();
        assertThat(append.messages().get(2).internalDate()).isEqualTo(Instant.parse("2025-02-01T01:02:03Z"));
        assertThat(((Literal) append.messages().get(0).content()).binary()).isTrue();
    }

    @Test
    void rejectsMalformedAppend() {
        assertThat(bad("a APPEND INBOX")).contains("APPEND: Missing argument");
        assertThat(bad("a APPEND INBOX \"message text\"")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX (\\Seen)")).contains("Missing argument");
        assertThat(bad("a APPEND INBOX (\\Seen) abc")).contains("Expected a literal with the message");
        assertThat(bad("a APPEND INBOX \"32-Nov-2026 10:00:00 +0100\" {1}\r\nx")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX \"25-Foo-2026 10:00:00 +0100\" {1}\r\nx")).contains("Invalid month");
        assertThat(bad("a APPEND INBOX \"25-Nov-2026 10:00:00 0100\" {1}\r\nx")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX \"25-Nov-2026 10:00:00 +0199\" {1}\r\nx")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX \"25-Nov-2026 24:00:00 +0100\" {1}\r\nx")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX \"25-Nov-26 10:00:00 +0100\" {1}\r\nx")).contains("Invalid date-time");
        assertThat(bad("a APPEND INBOX (\\Seen {1}\r\nx")).contains("Invalid flag");
        assertThat(bad("a APPEND INBOX {1}\r\nx extra")).contains("Expected a literal");
        assertThat(bad("a APPEND INBOX {1}\r\nx ")).contains("Missing argument");
    }

    // ----------------------------------------------------------------------------------------------- QUOTA

    @Test
    void parsesQuotaCommands() {
        assertThat(command("a GETQUOTA \"\"", ImapCommand.GetQuota.class).root()).isEmpty();
        assertThat(command("a GETQUOTAROOT inbox", ImapCommand.GetQuotaRoot.class).mailbox()).isEqualTo("INBOX");
        assertThat(command("a SETQUOTA \"\" (storage 512 MESSAGE 1000)", ImapCommand.SetQuota.class))
                .isEqualTo(new ImapCommand.SetQuota("", Map.of("STORAGE", 512L, "MESSAGE", 1000L)));
        assertThat(command("a SETQUOTA root ()", ImapCommand.SetQuota.class).limits()).isEmpty();
        assertThat(bad("a SETQUOTA root (STORAGE)")).contains("Expected a space");
        assertThat(bad("a SETQUOTA root (STORAGE x)")).contains("Invalid number");
        assertThat(bad("a SETQUOTA root (STORAGE 1 STORAGE 2)")).contains("given twice");
        assertThat(bad("a GETQUOTA")).contains("Missing argument");
    }

    // ------------------------------------------------------------------------------------ COPY, MOVE, EXPUNGE

    @Test
    void parsesCopyMoveAndUidExpunge() {
        assertThat(command("a COPY 2:4 MEETING", ImapCommand.Copy.class)).isEqualTo(new ImapCommand.Copy(false,
                SequenceSet.of(new Range(2, 4)), "MEETING"));
        assertThat(command("a uid copy 1:* inbox", ImapCommand.Copy.class)).isEqualTo(new ImapCommand.Copy(true,
                SequenceSet.of(new Range(1, SequenceSet.STAR)), "INBOX"));
        assertThat(command("a MOVE $ Trash", ImapCommand.Move.class)).isEqualTo(new ImapCommand.Move(false,
                SequenceSet.SAVED, "Trash"));
        assertThat(command("a UID MOVE 7 \"Junk\"", ImapCommand.Move.class).uid()).isTrue();
        assertThat(command("a UID EXPUNGE 3000:3002", ImapCommand.Expunge.class).uids())
                .isEqualTo(SequenceSet.of(new Range(3000, 3002)));
        assertThat(bad("a UID EXPUNGE")).isEqualTo("a BAD Error in IMAP command UID EXPUNGE: Missing argument");
        assertThat(bad("a COPY 1")).contains("COPY: Missing argument");
        assertThat(bad("a COPY x INBOX")).isEqualTo("a BAD Error in IMAP command COPY: Invalid sequence set");
    }

    @Test
    void parsesSequenceSets() {
        assertThat(command("a COPY 1,3:5,*,7:*,9:2 X", ImapCommand.Copy.class).set()).isEqualTo(SequenceSet.of(
                Range.single(1), new Range(3, 5), Range.single(SequenceSet.STAR),
                new Range(7, SequenceSet.STAR), new Range(9, 2)));
        assertThat(command("a COPY 4294967295 X", ImapCommand.Copy.class).set())
                .isEqualTo(SequenceSet.of(Range.single(4294967295L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1:0", "1,", ",1", "1::2", "1:", "4294967296", "$,1", "1,$", "-1", "1.2", "a",
        "**", "1*"})
    void rejectsInvalidSequenceSets(String set) {
        assertThat(bad("a COPY " + set + " X")).isEqualTo("a BAD Error in IMAP command COPY: Invalid sequence set");
    }
}
