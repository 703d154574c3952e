/**
 * The default outbound {@link dev.mailcore.api.Transport}: {@link dev.mailcore.delivery.smtp.SmtpTransport}, an
 * SMTP client on Netty (EHLO, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, CHUNKING, STARTTLS, AUTH to a smarthost,
 * connection reuse and per-destination concurrency limits), and its routing table ({@link
 * dev.mailcore.delivery.smtp.Routes} of {@link dev.mailcore.delivery.smtp.Route}s, parsed from Postfix
 * transport(5)-like text), TLS policy and smarthost credentials.
 */
package dev.mailcore.delivery.smtp;
