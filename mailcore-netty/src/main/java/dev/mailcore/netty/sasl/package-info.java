/**
 * Server side of the SASL mechanisms PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256, independent of the protocol that
 * carries them (SMTP AUTH, IMAP AUTHENTICATE, POP3 AUTH). The protocol layer does the base64 framing.
 */
package dev.mailcore.netty.sasl;
