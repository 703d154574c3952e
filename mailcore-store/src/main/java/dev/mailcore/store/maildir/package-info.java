/**
 * A durable {@link dev.mailcore.api.store.Store} on the file system in the Maildir++ layout that Dovecot and Courier
 * read: {@link dev.mailcore.store.maildir.MaildirStore}, one Maildir per user with UIDs, UIDVALIDITY and MODSEQ kept
 * in a per-mailbox UID list, and {@link dev.mailcore.store.maildir.MaildirImporter}, which copies an existing
 * Maildir(++) tree into any store.
 */
package dev.mailcore.store.maildir;
