package dev.mailcore.imap.internal.command;

/**
 * A complete tagged command as the codec hands it to the session.
 *
 * @param tag       the tag as sent
 * @param command   the command
 * @param resources releases what the command's literals hold (spool files, buffers); the session closes it once the
 *                  command has been executed (also when it fails); never null
 */
public record ParsedCommand(String tag, ImapCommand command, AutoCloseable resources) {
}
