package dev.mailcore.store.transfer;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.store.MemoryStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** store → mbox → store keeps bytes, flags and internal dates; the importer survives any input. */
class MboxRoundTripTest {
    private static final MailboxRef SOURCE = new MailboxRef("alice", "Archive");
    private static final MailboxRef TARGET = new MailboxRef("bob", "Restored");

    /** One message to store: RFC 5322 shaped bytes with CRLF line ends, flags, a whole-second date. */
    record Mail(byte[] bytes, Flags flags, Instant date) {
        @Override
        public String toString() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n", "⏎\n") + flags
                    + " " + date;
        }
    }

    @Property(tries = 200)
    void storeToMboxToStoreKeepsBytesFlagsAndInternalDates(@ForAll("mailboxes") List<Mail> mails,
                                                            @ForAll @IntRange(max = 400) int spoolThreshold)
            throws IOException {
        MemoryStore from = new MemoryStore();
        from.createMailbox(SOURCE);
        for (Mail m : mails) {
            from.append(SOURCE, MessageSource.of(m.bytes().clone()), m.flags(), m.date());
        }
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        TransferReport exported = new MboxExporter(from).exportTo(SOURCE, mbox);
        assertThat(exported).isEqualTo(new TransferReport(mails.size(), List.of()));

        MemoryStore to = new MemoryStore();
        // small thresholds send some messages through a temporary file
        MboxImporter importer = new MboxImporter(to, Clock.systemUTC(), spoolThreshold, null);
        TransferReport imported = importer.importFrom(new ByteArrayInputStream(mbox.toByteArray()), TARGET);

        assertThat(imported).isEqualTo(new TransferReport(mails.size(), List.of()));
        List<MessageMeta> metas = to.messages(TARGET);
        assertThat(metas).hasSize(mails.size());
        for (int i = 0; i < mails.size(); i++) {
            Mail m = mails.get(i);
            MessageMeta meta = metas.get(i);
            assertThat(meta.flags()).as("flags of message %d", i).isEqualTo(m.flags());
            assertThat(meta.internalDate()).as("date of message %d", i).isEqualTo(m.date());
            try (InputStream in = to.content(TARGET, meta.uid()).openStream()) {
                assertThat(in.readAllBytes()).as("bytes of message %d", i).isEqualTo(m.bytes());
            }
        }
    }

    @Property(tries = 300)
    void anyInputIsImportedOrSkippedWithoutAnError(@ForAll("mboxLike") byte[] input) throws IOException {
        MemoryStore to = new MemoryStore();
        TransferReport r = new MboxImporter(to).importFrom(new ByteArrayInputStream(input), TARGET);
        assertThat(to.messages(TARGET)).hasSize((int) r.transferred());
        for (MessageMeta meta : to.messages(TARGET)) {
            try (InputStream in = to.content(TARGET, meta.uid()).openStream()) {
                byte[] b = in.readAllBytes();
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '\n') {
                        assertThat(i).as("every LF ends a CRLF").isPositive();
                        assertThat(b[i - 1]).isEqualTo((byte) '\r');
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Mail>> mailboxes() {
        return mail().list().ofMaxSize(6);
    }

    private Arbitrary<Mail> mail() {
        Arbitrary<Instant> date = Arbitraries.longs().between(0, 4_102_444_800L).map(Instant::ofEpochSecond);
        return Combinators.combine(message(), flags(), date).as(Mail::new);
    }

    private Arbitrary<Flags> flags() {
        Arbitrary<Set<Flag>> system = Arbitraries.of(Flag.class).set();
        Arbitrary<Set<String>> keywords = Arbitraries.strings().withChars("abcXYZ$_-019").ofMinLength(1)
                .ofMaxLength(8).set().ofMaxSize(3);
        return Combinators.combine(system, keywords).as(Flags::new);
    }

    /** Header lines (some that look like mbox syntax), maybe an empty line and body lines, all ending in CRLF. */
    private Arbitrary<byte[]> message() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange((char) 0, (char) 255)
                .excludeChars('\r', '\n').ofMaxLength(30);
        Arbitrary<String> header = Combinators.combine(
                Arbitraries.of("Subject", "From", "To", "Return-Path", "X-Mailer", "Statusx", "X-Status-Not"),
                text).as((n, v) -> n + ": " + v);
        Arbitrary<String> tricky = Arbitraries.of("From ", ">From ", ">>From ", "From", ">", "", " ",
                "From x Wed Nov 25 02:29:36 2026", ">From x Wed Nov 25 02:29:36 2026", ".");
        Arbitrary<String> bodyLine = Arbitraries.oneOf(text, Combinators.combine(tricky, text).as(String::concat));
        Arbitrary<List<String>> headers = header.list().ofMaxSize(4);
        Arbitrary<List<String>> body = bodyLine.list().ofMaxSize(8);
        return Combinators.combine(headers, Arbitraries.of(true, false), body).as((h, separator, b) -> {
            StringBuilder s = new StringBuilder();
            h.forEach(l -> s.append(l).append("\r\n"));
            if (separator) {
                s.append("\r\n");
                b.forEach(l -> s.append(l).append("\r\n"));
            }
            return s.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        });
    }

    @Provide
    Arbitrary<byte[]> mboxLike() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("From ", "From a Wed Nov 25 02:29:36 2026\n", ">From ", "\n", "\r\n", "\r",
                        "Status: RO\n", "X-Status: AFTD\n", "X-Keywords: a, b\n", " folded\n", "X-IMAP: 1\n"),
                Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(20));
        return piece.list().ofMaxSize(40).map(l -> String.join("", l)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
