/**
 * Server plumbing shared by the SMTP, IMAP and POP3 modules: the Netty server runtime and its listeners (bind
 * address, port 0, plain / implicit TLS / STARTTLS, PROXY protocol, connection limits, idle timeout, graceful
 * shutdown) and TLS contexts from PEM, PKCS#12 or a certificate generated at runtime.
 */
package dev.mailcore.netty;
