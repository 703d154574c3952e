/**
 * Implementation of {@link dev.mailcore.delivery.smtp.SmtpTransport}: the Netty client session and reply decoder,
 * the message body encoder (dot-stuffing, line-end repair, BDAT chunks), EHLO capabilities, the pool of idle
 * sessions and the SMTP transaction itself. Not a public API: users should not depend on anything here.
 */
package dev.mailcore.delivery.smtp.internal;
