package dev.mailcore.store.transfer;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MboxExporterTest {
    private static final MailboxRef INBOX = MailboxRef.inbox("alice");
    private static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");

    private final MemoryStore store = new MemoryStore();
    private final MboxExporter exporter = new MboxExporter(store);

    private void add(String message, Flags flags, Instant date) {
        store.append(INBOX, MessageSource.of(message.getBytes(StandardCharsets.ISO_8859_1)), flags, date);
    }

    private String export() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TransferReport r = exporter.exportTo(INBOX, out);
            assertThat(r.skipped()).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesAFromLineWithTheReturnPathAndTheInternalDateInAsctimeForm() {
        add("Return-Path: <bob@example.org>\r\nSubject: hi\r\n\r\nbody\r\n", Flags.NONE, DATE);
        assertThat(export()).isEqualTo("From bob@example.org Fri Jan  2 03:04:05 2026\n"
                + "Return-Path: <bob@example.org>\nSubject: hi\nStatus: O\n\nbody\n\n");
    }

    @Test
    void theSenderIsMailerDaemonWithoutAUsableReturnPath() {
        add("Subject: none\r\n\r\n", Flags.NONE, DATE);
        add("Return-Path: <>\r\n\r\n", Flags.NONE, DATE);
        add("Return-Path: <has space@example.org>\r\n\r\n", Flags.NONE, DATE);
        add("Return-Path:\r\n <folded@example.org>\r\n\r\n", Flags.NONE, DATE);
        assertThat(export().lines().filter(l -> l.startsWith("From "))).containsExactly(
                "From MAILER-DAEMON Fri Jan  2 03:04:05 2026", "From MAILER-DAEMON Fri Jan  2 03:04:05 2026",
                "From MAILER-DAEMON Fri Jan  2 03:04:05 2026", "From folded@example.org Fri Jan  2 03:04:05 2026");
    }

    @Test
    void aReturnPathInTheBodyDoesNotCount() {
        add("Subject: s\r\n\r\nReturn-Path: <body@example.org>\r\n", Flags.NONE, DATE);
        assertThat(export()).startsWith("From MAILER-DAEMON ");
    }

    @Test
    void fromLinesAreQuotedWithOneMoreGreaterThanSign() {
        add("Subject: q\r\n\r\nFrom me\r\n>From you\r\n>>From them\r\nFromage\r\n>Fromage\r\n From x\r\n",
                Flags.NONE, DATE);
        assertThat(export()).endsWith("\n\n>From me\n>>From you\n>>>From them\nFromage\n>Fromage\n From x\n\n");
    }

    @Test
    void crlfBecomesLfAndALastLineWithoutLineEndGetsOne() {
        add("Subject: s\r\n\r\nline\r\nbare\nlast", Flags.NONE, DATE);
        assertThat(export()).endsWith("Status: O\n\nline\nbare\nlast\n\n");
    }

    @Test
    void flagsAreWrittenAfterTheOtherHeaderFieldsAndOldFlagFieldsAreLeftOut() {
        add("Subject: f\r\nStatus: O\r\nX-Keywords: stale\r\n  folded-stale\r\nTo: a@example.org\r\n\r\n"
                        + "Status: RO in the body stays\r\n",
                new Flags(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED, Flag.DRAFT, Flag.DELETED),
                        Set.of("$Label1", "work")), DATE);
        assertThat(export()).isEqualTo("From MAILER-DAEMON Fri Jan  2 03:04:05 2026\n"
                + "Subject: f\nTo: a@example.org\nStatus: RO\nX-Status: AFTD\nX-Keywords: $Label1 work\n\n"
                + "Status: RO in the body stays\n\n");
    }

    @Test
    void aMessageWithoutBodyGetsTheFlagFieldsAtItsEnd() {
        add("Subject: only header\r\n", Flags.of(Flag.FLAGGED), DATE);
        add("", Flags.NONE, DATE);
        assertThat(export()).isEqualTo("From MAILER-DAEMON Fri Jan  2 03:04:05 2026\n"
                + "Subject: only header\nStatus: O\nX-Status: F\n\n"
                + "From MAILER-DAEMON Fri Jan  2 03:04:05 2026\nStatus: O\n\n");
    }

    @Test
    void messagesAreWrittenInUidOrderWithTheirOwnDates() {
        add("S: 1\r\n", Flags.NONE, Instant.parse("1999-12-31T23:59:59Z"));
        add("S: 2\r\n", Flags.NONE, Instant.parse("2026-11-05T14:07:09Z"));
        assertThat(export().lines().filter(l -> l.startsWith("From "))).containsExactly(
                "From MAILER-DAEMON Fri Dec 31 23:59:59 1999", "From MAILER-DAEMON Thu Nov  5 14:07:09 2026");
    }

    @Test
    void anEmptyMailboxGivesAnEmptyMbox() {
        assertThat(export()).isEmpty();
    }

    @Test
    void aMissingMailboxFailsWithNoSuchMailbox() {
        assertThatThrownBy(() -> exporter.exportTo(new MailboxRef("alice", "Nope"), new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.NO_SUCH_MAILBOX));
    }

    @Test
    void exportsToAFileAndCountsTheMessages(@TempDir Path dir) throws IOException {
        add("S: 1\r\n", Flags.NONE, DATE);
        add("S: 2\r\n", Flags.of(Flag.SEEN), DATE);
        Path file = dir.resolve("out.mbox");
        Files.writeString(file, "old content that must go");
        TransferReport r = exporter.exportTo(INBOX, file);
        assertThat(r).isEqualTo(new TransferReport(2, List.of()));
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).isEqualTo(
                "From MAILER-DAEMON Fri Jan  2 03:04:05 2026\nS: 1\nStatus: O\n\n"
                        + "From MAILER-DAEMON Fri Jan  2 03:04:05 2026\nS: 2\nStatus: RO\n\n");
    }

    @Test
    void exportingAMissingMailboxToAFileLeavesAnEarlierFileAlone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.mbox");
        Files.writeString(file, "earlier export");
        assertThatThrownBy(() -> exporter.exportTo(new MailboxRef("alice", "Nope"), file))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.NO_SUCH_MAILBOX));
        assertThat(Files.readString(file)).isEqualTo("earlier export");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedExportToAFileLeavesNoPartialFile(@TempDir Path dir) {
        add("S: 1\r\n", Flags.NONE, DATE);
        // the same store, but every content stream breaks
        Store failing = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("content")) {
                        return new MessageSource() {
                            @Override
                            public long size() {
                                return 6;
                            }

                            @Override
                            public InputStream openStream() throws IOException {
                                throw new IOException("disk gone");
                            }
                        };
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path file = dir.resolve("out.mbox");
        assertThatThrownBy(() -> new MboxExporter(failing).exportTo(INBOX, file)).isInstanceOf(IOException.class)
                .hasMessage("disk gone");
        assertThat(dir).isEmptyDirectory();
    }
}
