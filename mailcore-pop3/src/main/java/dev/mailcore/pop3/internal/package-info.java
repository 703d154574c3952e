/**
 * Implementation of the POP3 server; not an API, may change without notice: the line decoder, the per-connection
 * session state machine (AUTHORIZATION, TRANSACTION, UPDATE), the wire-format transform that normalises line ends
 * and dot-stuffs message content while it is streamed, and the maildrop locks.
 */
package dev.mailcore.pop3.internal;
