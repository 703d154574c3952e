package dev.mailcore.imap.internal.command;

import java.util.List;

/**
 * A FETCH section specification (RFC 9051 §6.4.5 {@code section}): {@code BODY[1.2.HEADER.FIELDS (Subject)]}.
 *
 * @param part   the part numbers ({@code 1.2} → [1, 2]); empty for the whole message
 * @param text   which piece of that part; {@code null} for the part's content as a whole ({@code BODY[]}, {@code
 *               BODY[1.2]})
 * @param fields the header field names for {@code HEADER.FIELDS} and {@code HEADER.FIELDS.NOT}, as written; empty
 *               otherwise
 */
public record Section(List<Integer> part, Text text, List<String> fields) {

    /** {@code BODY[]}. */
    public static final Section WHOLE = new Section(List.of(), null, List.of());

    public Section {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
    }

    public enum Text { HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }
}
