/**
 * The IMAP server protocol (IMAP4rev2, RFC 9051, and IMAP4rev1, RFC 3501, with the extensions real clients use) for a
 * {@link dev.mailcore.netty.NettyServer} listener: {@code ImapConfig} says how it behaves and which SPIs it calls,
 * {@code ImapProtocol} plugs it into a listener.
 */
package dev.mailcore.imap;
