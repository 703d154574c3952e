/**
 * IMAP input framing and parsing: complete command lines with their literals (synchronising, LITERAL+ and LITERAL-),
 * line and literal limits, and the grammar of every command into {@link dev.mailcore.imap.internal.command} records.
 * Not a public API.
 */
package dev.mailcore.imap.internal.codec;
