package dev.mailcore.store.transfer;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MboxImporterTest {
    private static final MailboxRef INBOX = MailboxRef.inbox("alice");
    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");

    private final MemoryStore store = new MemoryStore();
    private final MboxImporter importer = new MboxImporter(store, Clock.fixed(NOW, ZoneOffset.UTC),
            MboxImporter.SPOOL_THRESHOLD, null);

    private TransferReport importText(String mbox) {
        return importInto(mbox, INBOX);
    }

    private TransferReport importInto(String mbox, MailboxRef target) {
        try {
            return importer.importFrom(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<MessageMeta> stored() {
        return store.messages(INBOX);
    }

    private String content(int index) {
        return content(INBOX, stored().get(index).uid());
    }

    private String content(MailboxRef box, long uid) {
        try (InputStream in = store.content(box, uid).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void splitsAtFromLinesAndTakesInternalDatesFromThem() {
        TransferReport r = importText("""
                From alice@example.org Wed Nov 25 02:29:36 2026
                Subject: one

                first body

                From bob@example.org Thu Jan  1 00:00:00 1998
                Subject: two

                second body
                """);
        assertThat(r).isEqualTo(new TransferReport(2, List.of()));
        assertThat(stored()).extracting(MessageMeta::internalDate)
                .containsExactly(Instant.parse("2026-11-25T02:29:36Z"), Instant.parse("1998-01-01T00:00:00Z"));
        assertThat(content(0)).isEqualTo("Subject: one\r\n\r\nfirst body\r\n");
        assertThat(content(1)).isEqualTo("Subject: two\r\n\r\nsecond body\r\n");
    }

    @Test
    void crlfInputStaysCrlfAndABareCrInsideALineIsKept() {
        importText("From x Wed Nov 25 02:29:36 2026\r\nSubject: crlf\r\n\r\na\rb\r\nlast line\r\n\r\n");
        assertThat(content(0)).isEqualTo("Subject: crlf\r\n\r\na\rb\r\nlast line\r\n");
    }

    @Test
    void aLastLineWithoutLineEndGetsCrlf() {
        importText("From x Wed Nov 25 02:29:36 2026\nSubject: s\n\nno newline at end");
        assertThat(content(0)).isEqualTo("Subject: s\r\n\r\nno newline at end\r\n");
    }

    @Test
    void onlyTheOneEmptyLineBeforeTheNextFromLineIsDropped() {
        importText("From x Wed Nov 25 02:29:36 2026\nS: 1\n\nbody\n\n\n\nFrom y Wed Nov 25 02:29:37 2026\nS: 2\n\n");
        assertThat(content(0)).isEqualTo("S: 1\r\n\r\nbody\r\n\r\n\r\n");
        assertThat(content(1)).isEqualTo("S: 2\r\n");
    }

    @Test
    void quotedFromLinesLoseExactlyOneGreaterThanSign() {
        importText("""
                From x Wed Nov 25 02:29:36 2026
                Subject: q

                >From the start
                >>From two deep
                >>>From three deep
                >Fromage stays
                > From stays too
                From\tnot a separator
                """);
        assertThat(content(0)).isEqualTo("Subject: q\r\n\r\nFrom the start\r\n>From two deep\r\n>>From three deep\r\n"
                + ">Fromage stays\r\n> From stays too\r\nFrom\tnot a separator\r\n");
    }

    @Test
    void anUnquotedFromLineInsideABodyIsContentUnlessItFollowsAnEmptyLineOrHasADate() {
        TransferReport r = importText("""
                From x Wed Nov 25 02:29:36 2026
                Subject: q

                text
                From here on it is content
                From y Sat Feb  7 10:00:00 2026
                Subject: second, although no empty line came before
                """);
        assertThat(r.transferred()).isEqualTo(2);
        assertThat(content(0)).isEqualTo("Subject: q\r\n\r\ntext\r\nFrom here on it is content\r\n");
        assertThat(stored().get(1).internalDate()).isEqualTo(Instant.parse("2026-02-07T10:00:00Z"));
    }

    @Test
    void readsFlagsFromStatusXStatusAndXKeywordsAndRemovesThoseFields() {
        importText("""
                From x Wed Nov 25 02:29:36 2026
                Subject: flags
                Status: RO
                X-Status: AFTD
                X-Keywords: $Label1, work
                  later
                To: a@example.org

                Status: in the body stays
                From y Wed Nov 25 02:29:37 2026
                Status: O
                X-Keywords: not(an-atom) $ok

                unseen
                """);
        assertThat(stored().get(0).flags()).isEqualTo(new Flags(
                Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED, Flag.DRAFT, Flag.DELETED),
                Set.of("$Label1", "work", "later")));
        assertThat(content(0)).isEqualTo("Subject: flags\r\nTo: a@example.org\r\n\r\nStatus: in the body stays\r\n");
        assertThat(stored().get(1).flags()).isEqualTo(new Flags(Set.of(), Set.of("$ok")));
        assertThat(content(1)).isEqualTo("\r\nunseen\r\n");
    }

    @Test
    void fromLineDatesMayHaveAZoneAndMayLackSeconds() {
        importText("""
                From a Wed Nov 25 02:29:36 2026 +0100

                From b Wed Nov 25 02:29:36 -0500 2026

                From c wed nov  5 02:29 2026

                From "quoted sender"@example.org Wed Nov 25 02:29:36 2026

                """);
        assertThat(stored()).extracting(MessageMeta::internalDate).containsExactly(
                Instant.parse("2026-11-25T01:29:36Z"), Instant.parse("2026-11-25T07:29:36Z"),
                Instant.parse("2026-11-05T02:29:00Z"), Instant.parse("2026-11-25T02:29:36Z"));
    }

    @Test
    void aFromLineWithoutADateGivesTheTimeOfTheImport() {
        importText("From MAILER-DAEMON\nSubject: x\n\nFrom b Feb 30 99:99:99 2026\nSubject: y\n");
        assertThat(stored()).extracting(MessageMeta::internalDate).containsExactly(NOW, NOW);
    }

    @Test
    void textBeforeTheFirstFromLineIsSkippedWithAReason() {
        TransferReport r = importText("stray text\n\nFrom x Wed Nov 25 02:29:36 2026\nSubject: s\n");
        assertThat(r.transferred()).isEqualTo(1);
        assertThat(r.skipped()).containsExactly(new TransferReport.Skipped(0, "text before the first From_ line"));
    }

    @Test
    void aFileThatIsNoMboxImportsNothingAndSaysSo() {
        TransferReport r = importText("Subject: just a message\n\nbody\n");
        assertThat(r.transferred()).isZero();
        assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("not an mbox"));
        assertThat(stored()).isEmpty();
    }

    @Test
    void anEmptyInputImportsNothing() {
        assertThat(importText("")).isEqualTo(new TransferReport(0, List.of()));
    }

    @Test
    void anEmptyMessageIsImportedEmpty() {
        TransferReport r = importText("From a Wed Nov 25 02:29:36 2026\n\nFrom b Wed Nov 25 02:29:36 2026\nS: b\n");
        assertThat(r.transferred()).isEqualTo(2);
        assertThat(content(0)).isEmpty();
    }

    @Test
    void theTargetMailboxAndItsParentsAreCreatedWhenMissing() {
        MailboxRef target = new MailboxRef("alice", "Imported/2026");
        importInto("From a Wed Nov 25 02:29:36 2026\nS: a\n", target);
        assertThat(store.mailbox(new MailboxRef("alice", "Imported"))).isPresent();
        assertThat(store.messages(target)).hasSize(1);
    }

    @Test
    void theUwImapFolderInternalMessageIsSkipped() {
        TransferReport r = importText("""
                From MAILER-DAEMON Wed Nov 25 02:29:36 2026
                Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA
                X-IMAP: 1234567890 0000000002

                internal
                From a Wed Nov 25 02:29:36 2026
                Subject: real
                """);
        assertThat(r.transferred()).isEqualTo(1);
        assertThat(r.skipped()).extracting(TransferReport.Skipped::position).containsExactly(1L);
        assertThat(content(0)).isEqualTo("Subject: real\r\n");
    }

    @Test
    void messagesOverQuotaAreSkippedAndTheRestImported() {
        MemoryStore small = MemoryStore.builder().quota(40, 10).build();
        String mbox = "From a Wed Nov 25 02:29:36 2026\nS: small\n\n"
                + "From b Wed Nov 25 02:29:36 2026\nS: " + "x".repeat(100) + "\n\n"
                + "From c Wed Nov 25 02:29:36 2026\nS: also small\n";
        TransferReport r;
        try {
            r = new MboxImporter(small).importFrom(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.US_ASCII)),
                    INBOX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(r.transferred()).isEqualTo(2);
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.position()).isEqualTo(2);
            assertThat(s.reason()).startsWith("OVER_QUOTA");
        });
        assertThat(small.messages(INBOX)).hasSize(2);
    }

    @Test
    void aStoreFailureStopsTheImportAndSaysHowFarItGot() {
        MemoryStore full = MemoryStore.builder().maxBytes(30).build();
        String mbox = "From a Wed Nov 25 02:29:36 2026\nS: 1\n\n".repeat(20);
        assertThatThrownBy(() -> new MboxImporter(full).importFrom(
                new ByteArrayInputStream(mbox.getBytes(StandardCharsets.US_ASCII)), INBOX))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.error()).isEqualTo(StoreError.STORAGE_FULL);
                    assertThat(e.getMessage()).contains("after 5 imported");
                });
        assertThat(full.messages(INBOX)).hasSize(5);
    }

    @Test
    void eachMessageIsStoredBeforeTheRestOfTheMboxIsRead() throws IOException {
        StringBuilder mbox = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            mbox.append("From a Wed Nov 25 02:29:36 2026\nSubject: ").append(i).append("\n\n")
                    .append("x".repeat(1000)).append("\n\n");
        }
        byte[] all = mbox.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicLong consumed = new AtomicLong();
        List<Long> consumedAtAppend = new CopyOnWriteArrayList<>();
        store.subscribe("alice", e -> {
            if (e instanceof StoreEvent.MessagesAdded) {
                consumedAtAppend.add(consumed.get());
            }
        });
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(all)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        assertThat(importer.importFrom(counting, INBOX).transferred()).isEqualTo(300);
        assertThat(consumedAtAppend).hasSize(300);
        assertThat(consumedAtAppend.get(0)).isLessThan(all.length / 4);
        assertThat(consumedAtAppend.get(150)).isLessThan(all.length);
    }

    @Test
    void importsFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("in.mbox");
        Files.writeString(file, "From a Wed Nov 25 02:29:36 2026\nSubject: file\n\nbody\n", StandardCharsets.US_ASCII);
        TransferReport r = importer.importFrom(file, new MailboxRef("alice", "FromFile"));
        assertThat(r.transferred()).isEqualTo(1);
        assertThat(content(new MailboxRef("alice", "FromFile"), 1)).isEqualTo("Subject: file\r\n\r\nbody\r\n");
    }

    @Test
    void eightBitAndNulOctetsArePreserved() throws IOException {
        byte[] mbox = {'F', 'r', 'o', 'm', ' ', 'a', '\n', 'S', ':', ' ', (byte) 0xe9, 0, (byte) 0xff, '\n'};
        importer.importFrom(new ByteArrayInputStream(mbox), INBOX);
        try (InputStream in = store.content(INBOX, stored().get(0).uid()).openStream()) {
            assertThat(in.readAllBytes()).containsExactly('S', ':', ' ', (byte) 0xe9, 0, (byte) 0xff, '\r', '\n');
        }
    }

    @Test
    void aMessageOverTheSpoolThresholdGoesThroughATemporaryFileThatIsDeleted(@TempDir Path spool)
            throws IOException {
        MboxImporter spooling = new MboxImporter(store, Clock.fixed(NOW, ZoneOffset.UTC), 100, spool);
        String big = "x".repeat(70) + "\n";
        String mbox = "From a Wed Nov 25 02:29:36 2026\nSubject: big\nStatus: R\n\n" + big.repeat(50)
                + "\nFrom b Wed Nov 25 02:29:36 2026\nSubject: small\n";
        TransferReport r = spooling.importFrom(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.US_ASCII)),
                INBOX);
        assertThat(r.transferred()).isEqualTo(2);
        assertThat(content(0)).isEqualTo("Subject: big\r\n\r\n" + big.replace("\n", "\r\n").repeat(50));
        assertThat(stored().get(0).flags()).isEqualTo(Flags.of(Flag.SEEN));
        assertThat(content(1)).isEqualTo("Subject: small\r\n");
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void aReadFailureInTheMiddleOfASpooledMessageLeavesNoTemporaryFile(@TempDir Path spool) {
        MboxImporter spooling = new MboxImporter(store, Clock.fixed(NOW, ZoneOffset.UTC), 100, spool);
        byte[] start = ("From a Wed Nov 25 02:29:36 2026\nSubject: big\n\n" + "y".repeat(500))
                .getBytes(StandardCharsets.US_ASCII);
        InputStream breaking = new FilterInputStream(new ByteArrayInputStream(start)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        assertThatThrownBy(() -> spooling.importFrom(breaking, INBOX)).isInstanceOf(IOException.class);
        assertThat(spool).isEmptyDirectory();
        assertThat(stored()).isEmpty();
    }
}
