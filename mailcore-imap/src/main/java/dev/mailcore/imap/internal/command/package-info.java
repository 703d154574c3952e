/**
 * The parsed form of IMAP commands: one record per command, sequence sets, FETCH items, SEARCH keys and sections.
 * The codec produces them; the session executes them. Not a public API.
 */
package dev.mailcore.imap.internal.command;
