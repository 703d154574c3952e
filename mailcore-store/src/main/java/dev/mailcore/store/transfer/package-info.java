/**
 * Moving mail between a {@link dev.mailcore.api.store.Store} and files in the mbox format, mboxrd variant:
 * {@link dev.mailcore.store.transfer.MboxImporter} appends the messages of an mbox stream to any mailbox and
 * {@link dev.mailcore.store.transfer.MboxExporter} writes a mailbox as an mbox stream, both one message at a time, with
 * flags carried in {@code Status}, {@code X-Status} and {@code X-Keywords} header fields and internal dates in the
 * {@code From_} lines. Both report what they did in a {@link dev.mailcore.store.transfer.TransferReport}.
 */
package dev.mailcore.store.transfer;
