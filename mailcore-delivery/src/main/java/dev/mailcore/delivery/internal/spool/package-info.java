/**
 * The queue's file spool: its directory layout, crash-safe writes (temp file, force, atomic rename, directory
 * force), the lock a running queue holds, and the persisted per-message and per-recipient state. Not API.
 */
package dev.mailcore.delivery.internal.spool;
