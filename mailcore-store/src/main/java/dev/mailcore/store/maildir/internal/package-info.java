/**
 * Implementation details of {@link dev.mailcore.store.maildir.MaildirStore}: name encoding for users, folders and
 * message files, the per-mailbox UID list and keyword files, the in-memory mailbox index and durable file
 * operations (fsync, atomic replace). Users of mailcore must not depend on anything here; it changes without notice.
 */
package dev.mailcore.store.maildir.internal;
