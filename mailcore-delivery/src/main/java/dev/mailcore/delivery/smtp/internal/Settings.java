package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.delivery.smtp.SmtpTimeouts;
import dev.mailcore.delivery.smtp.TlsPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;

/**
 * What the transport's builder configured, for the internal classes.
 *
 * @param heloName       the EHLO argument
 * @param port           the default SMTP port
 * @param tlsPolicy      the default TLS policy
 * @param insecureTls    client TLS context without certificate checks
 * @param verifyingTls   client TLS context checking chain and host name
 * @param connectTimeout TCP connect timeout
 * @param timeouts       command timeouts
 * @param pipelining     whether PIPELINING is used when offered
 * @param chunking       whether CHUNKING (BDAT) is used when offered
 * @param bootstrap      the Netty client bootstrap (group, channel type, options)
 * @param chunkSize      bytes read from the message per block (and BDAT chunk size before line-end repair)
 */
public record Settings(String heloName, int port, TlsPolicy tlsPolicy, SslContext insecureTls,
                       SslContext verifyingTls, Duration connectTimeout, SmtpTimeouts timeouts, boolean pipelining,
                       boolean chunking, Bootstrap bootstrap, int chunkSize) {
}
