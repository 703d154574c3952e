package dev.mailcore.store.transfer;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes the messages of one mailbox of any {@link Store} as an mbox file (mboxrd variant), one message at a time,
 * in UID order.
 *
 * <ul>
 *   <li>Each message starts with {@code From <sender> <date>}: the sender is the address of the message's
 *       {@code Return-Path} header field, or {@code MAILER-DAEMON} when it has none (or an empty or unusable one); the
 *       date is the internal date in asctime form, UTC, such as {@code Fri Jan  2 03:04:05 2026}.</li>
 *   <li>Lines end with LF (a CRLF becomes LF); a last line without line end gets one; an empty line follows every
 *       message.</li>
 *   <li>Lines {@code From }, {@code >From }, {@code >>From } … get one more {@code >} (mboxrd quoting).</li>
 *   <li>The flags are written as header fields after the message's other header fields: {@code Status: RO} (seen) or
 *       {@code Status: O}, {@code X-Status} with {@code A F T D} for {@code \Answered \Flagged \Draft \Deleted} when any
 *       is set, {@code X-Keywords} with the keywords separated by spaces when there are any. Such fields already in the
 *       message are left out.</li>
 * </ul>
 * {@link MboxImporter} reads this back to the same bytes, flags and internal dates for every message whose lines all
 * end with CRLF and that has no bare CR or LF (RFC 5322 messages), and whose internal date has whole seconds.
 *
 * <pre>{@code
 * TransferReport report = new MboxExporter(store).exportTo(new MailboxRef("alice", "Archive"), Path.of("a.mbox"));
 * }</pre>
 */
public final class MboxExporter {
    private final Store store;

    /** An exporter from {@code store}. */
    public MboxExporter(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Exports the mailbox into a file, replacing the file if it exists. The mbox is written to a temporary file next
     * to it first and moved into place when complete, so a failed export leaves any earlier file as it was.
     *
     * @throws StoreException when the mailbox does not exist ({@link StoreError#NO_SUCH_MAILBOX}) or the store fails
     * @throws IOException    when the file cannot be written
     */
    public TransferReport exportTo(MailboxRef mailbox, Path mbox) throws IOException {
        Objects.requireNonNull(mailbox, "mailbox");
        if (store.mailbox(mailbox).isEmpty()) {
            throw new StoreException(StoreError.NO_SUCH_MAILBOX, "no mailbox " + mailbox.name() + " of user "
                    + mailbox.user());
        }
        Path absolute = mbox.toAbsolutePath();
        Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
        try {
            TransferReport report;
            try (OutputStream out = Files.newOutputStream(partial)) {
                report = exportTo(mailbox, out);
            }
            try {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            return report;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Writes every message of {@code mailbox} to {@code out} (flushed, not closed). The set of messages is taken when
     * the export starts; one expunged while it runs is skipped (position = its UID).
     *
     * @throws StoreException when the mailbox does not exist ({@link StoreError#NO_SUCH_MAILBOX}) or the store fails
     * @throws IOException    when writing fails, or reading a message's content does
     */
    public TransferReport exportTo(MailboxRef mailbox, OutputStream out) throws IOException {
        Objects.requireNonNull(mailbox, "mailbox");
        OutputStream mbox = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 64 * 1024);
        List<TransferReport.Skipped> skipped = new ArrayList<>();
        long written = 0;
        for (MessageMeta meta : store.messages(mailbox)) {
            MessageSource content;
            try {
                content = store.content(mailbox, meta.uid());
            } catch (StoreException e) {
                if (e.error() != StoreError.NO_SUCH_MESSAGE) {
                    throw e;
                }
                skipped.add(new TransferReport.Skipped(meta.uid(), "expunged during the export"));
                continue;
            }
            write(meta, content, mbox);
            written++;
        }
        mbox.flush();
        return new TransferReport(written, skipped);
    }

    private static void write(MessageMeta meta, MessageSource content, OutputStream mbox) throws IOException {
        ascii(mbox, "From " + envelopeSender(content) + " " + Mbox.asctime(meta.internalDate()) + "\n");
        try (InputStream in = content.openStream()) {
            LineReader lines = new LineReader(in);
            boolean inHeader = true;
            boolean droppingField = false;
            byte[] line;
            while ((line = lines.next()) != null) {
                if (inHeader) {
                    if (line.length == 0) {
                        inHeader = false;
                        flagFields(meta.flags(), mbox);
                    } else if (Mbox.isContinuation(line)) {
                        if (droppingField) {
                            continue;
                        }
                    } else {
                        droppingField = Mbox.isFlagField(Mbox.fieldName(line));
                        if (droppingField) {
                            continue;
                        }
                    }
                }
                if (Mbox.isQuotedFrom(line)) {
                    mbox.write('>');
                }
                mbox.write(line);
                mbox.write('\n');
            }
            if (inHeader) { // a message without body: the fields go at its end
                flagFields(meta.flags(), mbox);
            }
        }
        mbox.write('\n');
    }

    private static void flagFields(Flags flags, OutputStream mbox) throws IOException {
        ascii(mbox, flags.contains(Flag.SEEN) ? "Status: RO\n" : "Status: O\n");
        StringBuilder x = new StringBuilder();
        if (flags.contains(Flag.ANSWERED)) {
            x.append('A');
        }
        if (flags.contains(Flag.FLAGGED)) {
            x.append('F');
        }
        if (flags.contains(Flag.DRAFT)) {
            x.append('T');
        }
        if (flags.contains(Flag.DELETED)) {
            x.append('D');
        }
        if (x.length() > 0) {
            ascii(mbox, "X-Status: " + x + "\n");
        }
        if (!flags.keywords().isEmpty()) {
            ascii(mbox, "X-Keywords: " + String.join(" ", flags.keywords()) + "\n");
        }
    }

    /** The address in the Return-Path header field, or MAILER-DAEMON. Reads the header only. */
    static String envelopeSender(MessageSource content) throws IOException {
        String value = null;
        try (InputStream in = content.openStream()) {
            LineReader lines = new LineReader(in);
            boolean inReturnPath = false;
            byte[] line;
            while ((line = lines.next()) != null && line.length > 0) {
                if (Mbox.isContinuation(line)) {
                    if (inReturnPath) {
                        value += new String(line, StandardCharsets.ISO_8859_1);
                    }
                    continue;
                }
                if (value != null) {
                    break; // the first Return-Path is the one the final delivery added
                }
                inReturnPath = "Return-Path".equalsIgnoreCase(Mbox.fieldName(line));
                if (inReturnPath) {
                    value = Mbox.fieldValue(line);
                }
            }
        }
        if (value == null) {
            return Mbox.NO_SENDER;
        }
        String address = value.trim();
        int lt = address.indexOf('<');
        int gt = address.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            address = address.substring(lt + 1, gt).trim();
        }
        if (address.isEmpty()) {
            return Mbox.NO_SENDER;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= ' ' || c >= 127) {
                return Mbox.NO_SENDER;
            }
        }
        return address;
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
