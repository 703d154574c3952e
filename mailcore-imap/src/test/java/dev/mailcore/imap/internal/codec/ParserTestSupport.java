package dev.mailcore.imap.internal.codec;

import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ParsedCommand;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for parser tests: a command as written on the wire, parsed. */
final class ParserTestSupport {

    private ParserTestSupport() {
    }

    static ImapInput parse(String wire) {
        return ImapParser.parse(CommandText.ofWire(wire));
    }

    static ParsedCommand parsed(String wire) {
        ImapInput input = parse(wire);
        assertThat(input).as("parse of %s", wire).isInstanceOf(ImapInput.Command.class);
        return ((ImapInput.Command) input).command();
    }

    @SuppressWarnings("unchecked")
    static <T extends ImapCommand> T command(String wire, Class<T> type) {
        ImapCommand command = parsed(wire).command();
        assertThat(command).isInstanceOf(type);
        return (T) command;
    }

    static String bad(String wire) {
        ImapInput input = parse(wire);
        assertThat(input).as("parse of %s", wire).isInstanceOf(ImapInput.Bad.class);
        assertThat(((ImapInput.Bad) input).close()).isFalse();
        return ((ImapInput.Bad) input).response();
    }
}
