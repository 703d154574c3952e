/**
 * Implementation of the SMTP session (internal): the per-connection state machine, its read timer, the built-in
 * recipient (relay) checks, command and parameter parsing, the {@code Received:} trace header and the delivery
 * pipeline (filters, transport, store). Not API; may change without
 * notice.
 */
package dev.mailcore.smtp.internal;
