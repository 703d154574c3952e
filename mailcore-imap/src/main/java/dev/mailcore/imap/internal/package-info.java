/**
 * Implementation of the IMAP server: the per-connection session, its state machine, the selected mailbox's view
 * (message sequence numbers to UIDs, pending untagged responses) and the command processors. Not a public API.
 */
package dev.mailcore.imap.internal;
