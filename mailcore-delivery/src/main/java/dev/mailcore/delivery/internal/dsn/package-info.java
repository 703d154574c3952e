/**
 * Delivery status notifications (RFC 3461, RFC 3464, RFC 6522): the multipart/report bounces, delay warnings and
 * success notices the queue sends to senders. Not API.
 */
package dev.mailcore.delivery.internal.dsn;
