/**
 * Message store SPI used by SMTP delivery, IMAP and POP3: per-user mailboxes with hierarchy, UIDs and UIDVALIDITY,
 * flags and keywords, MODSEQ, change events and quota usage. Messages are addressed by mailbox and UID, never by
 * sequence number, and their content is the raw RFC 5322 bytes, returned exactly as appended.
 */
package dev.mailcore.api.store;
