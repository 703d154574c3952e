package dev.mailcore.imap.internal.codec;

import dev.mailcore.imap.internal.command.ParsedCommand;

/** What the IMAP decoder hands to the session, one per complete input unit. */
public sealed interface ImapInput {

    /** A complete, well-formed command with its literals. */
    record Command(ParsedCommand command) implements ImapInput {
    }

    /**
     * A command that could not be parsed (or was refused while reading, e.g. a literal over the limit). The session
     * writes {@code response} (a complete line without CRLF, e.g. {@code "a1 BAD Missing mailbox name"} or {@code "*
     * BAD ..."} when no tag could be read) and, when {@code close} is true, closes the connection after a {@code * BYE}.
     */
    record Bad(String response, boolean close) implements ImapInput {
    }

    /**
     * A raw line (without CRLF) while the session asked for raw lines: AUTHENTICATE responses and IDLE's {@code DONE}.
     */
    record RawLine(String line) implements ImapInput {
    }
}
