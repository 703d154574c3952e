/**
 * POP3 server (RFC 1939 with the RFC 2449 extensions CAPA, SASL, RESP-CODES, PIPELINING, plus STLS from RFC 2595 and
 * AUTH from RFC 5034): {@link dev.mailcore.pop3.Pop3Config} holds the settings and SPIs, and
 * {@link dev.mailcore.pop3.Pop3Protocol} plugs the protocol into a {@link dev.mailcore.netty.NettyServer} listener.
 * The maildrop is the user's INBOX in a {@link dev.mailcore.api.store.Store}.
 */
package dev.mailcore.pop3;
