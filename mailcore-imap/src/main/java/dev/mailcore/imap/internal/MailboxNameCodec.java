package dev.mailcore.imap.internal;

import dev.mailcore.imap.internal.codec.ModifiedUtf7;

/**
 * Mailbox names between the wire and the store: IMAP4rev1 clients (without UTF8=ACCEPT) use modified UTF-7 (RFC 3501
 * §5.1.3), IMAP4rev2 clients UTF-8; the store always sees UTF-8.
 */
final class MailboxNameCodec {

    private MailboxNameCodec() {
    }

    /** The store name for a name the client sent; {@code null} when it is not valid modified UTF-7 (rev1 clients). */
    static String fromClient(String name, boolean utf8) {
        if (utf8) {
            return name;
        }
        try {
            return ModifiedUtf7.decode(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name as the client expects it. */
    static String toClient(String name, boolean utf8) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }
}
