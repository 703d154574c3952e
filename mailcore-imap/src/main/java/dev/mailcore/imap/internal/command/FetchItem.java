package dev.mailcore.imap.internal.command;

import java.util.List;

/**
 * One FETCH data item (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ). The macros {@code ALL}, {@code FAST} and
 * {@code FULL} are expanded by the parser.
 */
public sealed interface FetchItem {

    record Flags() implements FetchItem {
    }

    record InternalDate() implements FetchItem {
    }

    /** {@code RFC822.SIZE}. */
    record Rfc822Size() implements FetchItem {
    }

    record Envelope() implements FetchItem {
    }

    /** {@code BODY} (non-extensible) or {@code BODYSTRUCTURE} ({@code extensible}). */
    record BodyStructure(boolean extensible) implements FetchItem {
    }

    record Uid() implements FetchItem {
    }

    /** {@code MODSEQ} (RFC 7162). */
    record ModSeq() implements FetchItem {
    }

    /** {@code RFC822} (like {@code BODY[]}, sets \Seen), {@code RFC822.HEADER} (peek), {@code RFC822.TEXT}. */
    record Rfc822(Rfc822Kind kind) implements FetchItem {
    }

    /** {@code BODY[section]<partial>} or {@code BODY.PEEK[...]}; {@code partial} is null when absent. */
    record Body(Section section, boolean peek, Partial partial) implements FetchItem {
    }

    /** {@code BINARY[part]<partial>} or {@code BINARY.PEEK[...]} (RFC 3516); {@code partial} is null when absent. */
    record Binary(List<Integer> part, boolean peek, Partial partial) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** {@code BINARY.SIZE[part]}. */
    record BinarySize(List<Integer> part) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    enum Rfc822Kind { FULL, HEADER, TEXT }
}
