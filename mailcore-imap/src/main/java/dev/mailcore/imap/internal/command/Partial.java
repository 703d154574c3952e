package dev.mailcore.imap.internal.command;

/**
 * The {@code <offset.length>} suffix of a FETCH {@code BODY[...]} or {@code BINARY[...]} item.
 *
 * @param offset first octet, from 0
 * @param length maximum number of octets
 */
public record Partial(long offset, long length) {
    public Partial {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("partial offsets are not negative");
        }
    }
}
