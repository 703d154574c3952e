package dev.mailcore.netty;

/** How a listener uses TLS. */
public enum TlsMode {
    /** Plain text only; STARTTLS not offered. */
    NONE,
    /** Plain text at first; the protocol offers STARTTLS/STLS. */
    STARTTLS,
    /** TLS from the first byte (ports 465, 993, 995; RFC 8314). */
    IMPLICIT
}
