/**
 * Server side of the SASL mechanisms PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256, independent of the protocol that
 * carries them (SMTP AUTH, IMAP AUTHENTICATE, POP3 AUTH): {@link dev.mailcore.netty.sasl.SaslMechanisms} says what
 * to advertise and starts {@link dev.mailcore.netty.sasl.SaslExchange}s that answer with
 * {@link dev.mailcore.netty.sasl.SaslStep}s; {@link dev.mailcore.netty.sasl.SaslPrep} prepares user names and
 * passwords (also for IMAP LOGIN and POP3 USER/PASS) and {@link dev.mailcore.netty.sasl.ScramSha256} makes SCRAM
 * credentials from passwords. The protocol layer does the base64 framing.
 */
package dev.mailcore.netty.sasl;
