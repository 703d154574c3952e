package dev.mailcore.api;

import java.util.Optional;

/**
 * The reverse path of a transaction (the MAIL FROM address): a mailbox, or the null path {@code <>} used by
 * delivery status notifications, which must never be answered with another bounce.
 */
public final class ReversePath {
    private static final ReversePath NULL = new ReversePath(null);

    private final MailAddress address;

    private ReversePath(MailAddress address) {
        this.address = address;
    }

    /** The null reverse path {@code <>}. */
    public static ReversePath nullPath() {
        return NULL;
    }

    public static ReversePath of(MailAddress address) {
        if (address == null) {
            throw new AddressException("address is null; use ReversePath.nullPath()");
        }
        return new ReversePath(address);
    }

    /**
     * Parses an RFC 5321 {@code Reverse-path}: {@code <>} or {@code <mailbox>}, where an obsolete source route
     * ({@code <@a,@b:user@c>}) is accepted and ignored as RFC 5321 §4.1.2 requires.
     */
    public static ReversePath parse(String text) {
        if ("<>".equals(text)) {
            return NULL;
        }
        return of(Paths.parsePath(text));
    }

    public boolean isNull() {
        return address == null;
    }

    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReversePath other && (address == null ? other.address == null : address.equals(other.address));
    }

    @Override
    public int hashCode() {
        return address == null ? 0 : address.hashCode();
    }

    /** {@code <>} or {@code <local@domain>}. */
    @Override
    public String toString() {
        return address == null ? "<>" : "<" + address + ">";
    }
}
