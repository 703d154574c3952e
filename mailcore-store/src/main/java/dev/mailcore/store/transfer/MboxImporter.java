package dev.mailcore.store.transfer;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an mbox file (mboxrd variant) and appends its messages, one at a time, to a mailbox of any {@link Store}.
 *
 * <ul>
 *   <li>A message starts at a {@code From_} line: a line starting with {@code "From "} at the start of the input, after
 *       an empty line, or carrying an asctime date. The empty line before it belongs to the mbox, not the message.</li>
 *   <li>Lines {@code >From }, {@code >>From } … lose one {@code >} (mboxrd unquoting).</li>
 *   <li>LF and CRLF line ends both become CRLF, since stored mail is RFC 5322; every stored message ends with CRLF.</li>
 *   <li>The internal date is the {@code From_} line's date (UTC unless it carries a numeric zone); when it has none that
 *       parses, the time of the import.</li>
 *   <li>Flags come from the header fields {@code Status} ({@code R}: {@code \Seen}; {@code O} is ignored),
 *       {@code X-Status} ({@code A} {@code \Answered}, {@code F} {@code \Flagged}, {@code T} {@code \Draft}, {@code D}
 *       {@code \Deleted}) and {@code X-Keywords} (keywords separated by spaces or commas; ones that are not IMAP atoms
 *       are dropped). These three fields are removed from the stored message.</li>
 *   <li>A UW-IMAP folder-internal pseudo message (header field {@code X-IMAP}) and text before the first
 *       {@code From_} line are skipped, and so is a message the store refuses as over quota or not allowed; other
 *       store errors stop the import.</li>
 * </ul>
 * The mbox is read once, as a stream; each message is appended before the next is read, held in memory while it is
 * small and in a temporary file (deleted after the append) when it is over 4 MiB.
 *
 * <pre>{@code
 * TransferReport report = new MboxImporter(store).importFrom(Path.of("old.mbox"), MailboxRef.inbox("alice"));
 * }</pre>
 */
public final class MboxImporter {
    private static final byte[] CRLF = {'\r', '\n'};

    /** Messages up to this size are held in memory while they are appended; larger ones in a temporary file. */
    static final int SPOOL_THRESHOLD = 4 * 1024 * 1024;

    private final Store store;
    private final Clock clock;
    private final int spoolThreshold;
    private final Path spoolDir;

    /** An importer into {@code store}. */
    public MboxImporter(Store store) {
        this(store, Clock.systemUTC(), SPOOL_THRESHOLD, null);
    }

    MboxImporter(Store store, Clock clock, int spoolThreshold, Path spoolDir) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spoolThreshold = spoolThreshold;
        this.spoolDir = spoolDir;
    }

    /**
     * Imports an mbox file. See {@link #importFrom(InputStream, MailboxRef)}.
     *
     * @throws IOException when the file cannot be read
     */
    public TransferReport importFrom(Path mbox, MailboxRef target) throws IOException {
        try (InputStream in = Files.newInputStream(mbox)) {
            return importFrom(in, target);
        }
    }

    /**
     * Appends every message of the mbox stream to {@code target}, creating that mailbox (and its parents) when it does
     * not exist. The stream is read to its end and not closed.
     *
     * @return how many messages were appended and which were skipped (position = number of the message in the mbox,
     *         from 1; 0 for text before the first message)
     * @throws IOException    when reading the stream fails; messages before the failure stay imported
     * @throws StoreException when the store fails other than by refusing one message (quota, not allowed); messages
     *                        before stay imported and the exception says how many there were
     */
    public TransferReport importFrom(InputStream mbox, MailboxRef target) throws IOException {
        Objects.requireNonNull(mbox, "mbox");
        Objects.requireNonNull(target, "target");
        if (store.mailbox(target).isEmpty()) {
            try {
                store.createMailbox(target);
            } catch (StoreException e) {
                if (e.error() != StoreError.MAILBOX_EXISTS) {
                    throw e;
                }
            }
        }
        Run run = new Run(target);
        LineReader lines = new LineReader(mbox);
        Message current = null;
        boolean previousEmpty = true; // the start of the input counts as after an empty line
        boolean heldEmpty = false;    // an empty line not yet known to be message content or the separator
        boolean textBeforeFirst = false;
        long position = 0;
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                if (Mbox.startsWithFrom(line, 0)) {
                    Instant date = Mbox.parseFromLineDate(line);
                    if (current == null || previousEmpty || date != null) {
                        if (current != null) {
                            run.store(current);
                        } else if (textBeforeFirst) {
                            run.skip(0, "text before the first From_ line");
                        }
                        current = new Message(++position, date != null ? date : clock.instant(),
                                new Spool(spoolThreshold, spoolDir));
                        heldEmpty = false;
                        previousEmpty = false;
                        continue;
                    }
                }
                previousEmpty = line.length == 0;
                if (current == null) {
                    textBeforeFirst |= line.length > 0;
                    continue;
                }
                if (heldEmpty) {
                    current.line(new byte[0]);
                    heldEmpty = false;
                }
                if (line.length == 0) {
                    heldEmpty = true;
                } else {
                    current.line(line);
                }
            }
            if (current != null) {
                run.store(current);
            } else if (textBeforeFirst) {
                run.skip(0, "no From_ line: not an mbox file");
            }
        } finally {
            if (current != null) {
                current.bytes.close(); // a no-op once stored; deletes the spool file after a failure
            }
        }
        return new TransferReport(run.imported, run.skipped);
    }

    /** The state of one import call. */
    private final class Run {
        final MailboxRef target;
        final List<TransferReport.Skipped> skipped = new ArrayList<>();
        long imported;

        Run(MailboxRef target) {
            this.target = target;
        }

        void skip(long position, String reason) {
            skipped.add(new TransferReport.Skipped(position, reason));
        }

        void store(Message m) throws IOException {
            try (Spool bytes = m.bytes) {
                if (m.folderInternal) {
                    skip(m.position, "folder-internal pseudo message (X-IMAP header field)");
                    return;
                }
                append(m, bytes.source());
            }
        }

        private void append(Message m, MessageSource content) {
            try {
                store.append(target, content, m.flags(), m.date);
                imported++;
            } catch (StoreException e) {
                if (e.error() == StoreError.OVER_QUOTA || e.error() == StoreError.NOT_ALLOWED) {
                    skip(m.position, e.error() + ": " + e.getMessage());
                } else {
                    throw new StoreException(e.error(), "mbox import into " + target.name() + " stopped at message "
                            + m.position + " after " + imported + " imported: " + e.getMessage(), e);
                }
            }
        }
    }

    /** One message being read: its bytes so far, where its header ends, the flags found. */
    private static final class Message {
        final long position;
        final Instant date;
        final Spool bytes;
        boolean inHeader = true;
        /** The flag field being read (its continuation lines are dropped too), or null. */
        StringBuilder flagField;
        final StringBuilder status = new StringBuilder();
        final StringBuilder xStatus = new StringBuilder();
        final StringBuilder keywords = new StringBuilder();
        boolean folderInternal;

        Message(long position, Instant date, Spool bytes) {
            this.position = position;
            this.date = date;
            this.bytes = bytes;
        }

        void line(byte[] line) throws IOException {
            if (line.length > 0 && line[0] == '>' && Mbox.isQuotedFrom(line)) {
                bytes.write(line, 1, line.length - 1);
                bytes.write(CRLF, 0, 2);
                flagField = null;
                return;
            }
            if (inHeader) {
                if (line.length == 0) {
                    inHeader = false;
                    flagField = null;
                } else if (Mbox.isContinuation(line)) {
                    if (flagField != null) {
                        flagField.append(' ').append(new String(line, java.nio.charset.StandardCharsets.ISO_8859_1));
                        return;
                    }
                } else {
                    flagField = null;
                    String name = Mbox.fieldName(line);
                    if (name != null) {
                        if (Mbox.STATUS.equalsIgnoreCase(name)) {
                            flagField = status;
                        } else if (Mbox.X_STATUS.equalsIgnoreCase(name)) {
                            flagField = xStatus;
                        } else if (Mbox.X_KEYWORDS.equalsIgnoreCase(name)) {
                            flagField = keywords;
                        } else if ("X-IMAP".equalsIgnoreCase(name)) {
                            folderInternal = true;
                        }
                        if (flagField != null) {
                            flagField.append(' ').append(Mbox.fieldValue(line));
                            return;
                        }
                    }
                }
            }
            bytes.write(line, 0, line.length);
            bytes.write(CRLF, 0, 2);
        }

        Flags flags() {
            Set<Flag> system = EnumSet.noneOf(Flag.class);
            if (status.indexOf("R") >= 0) {
                system.add(Flag.SEEN);
            }
            for (int i = 0; i < xStatus.length(); i++) {
                switch (xStatus.charAt(i)) {
                    case 'A' -> system.add(Flag.ANSWERED);
                    case 'F' -> system.add(Flag.FLAGGED);
                    case 'T' -> system.add(Flag.DRAFT);
                    case 'D' -> system.add(Flag.DELETED);
                    default -> {
                        // other letters (R, O, $ ...) carry nothing we keep
                    }
                }
            }
            Set<String> kw = new LinkedHashSet<>();
            for (String k : keywords.toString().split("[,\\s]+")) {
                if (!k.isEmpty() && isKeyword(k)) {
                    kw.add(k);
                }
            }
            return new Flags(system, kw);
        }

        private static boolean isKeyword(String k) {
            try {
                new Flags(Set.of(), Set.of(k));
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
