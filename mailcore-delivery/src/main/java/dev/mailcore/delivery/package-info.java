/**
 * mailcore's outbound delivery: the durable {@link dev.mailcore.delivery.DeliveryQueue} (file spool, per-recipient
 * state, retries with backoff, RFC 3464 bounces and delay/success notices), its {@link
 * dev.mailcore.delivery.RetryPolicy}, listeners and statistics, and the administration API for another process
 * ({@link dev.mailcore.delivery.QueueAdmin}, {@link dev.mailcore.delivery.QueueCommands} behind the {@code queue}
 * CLI). Each delivery attempt is made by a {@link dev.mailcore.api.Transport}.
 */
package dev.mailcore.delivery;
