/**
 * The SMTP server protocol (RFC 5321 with the ESMTP extensions PIPELINING, SIZE, STARTTLS, AUTH,
 * ENHANCEDSTATUSCODES, 8BITMIME, DSN, SMTPUTF8, CHUNKING and BINARYMIME): {@link dev.mailcore.smtp.SmtpConfig}
 * describes what the server accepts and which SPIs it calls, and {@link dev.mailcore.smtp.SmtpProtocol} plugs it
 * into a {@link dev.mailcore.netty.NettyServer} listener in one of the {@link dev.mailcore.smtp.SmtpRole}s;
 * {@link dev.mailcore.netty.AuthThrottle} slows down and blocks clients that keep failing AUTH.
 */
package dev.mailcore.smtp;
