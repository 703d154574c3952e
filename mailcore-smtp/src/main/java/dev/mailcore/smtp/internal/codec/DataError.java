package dev.mailcore.smtp.internal.codec;

/** Why message content read by DATA or BDAT is refused; the decoder still reads to the end of the content. */
public enum DataError {
    /** A line ended in a bare LF (SMTP smuggling protection; RFC 5321 §2.3.8). */
    BARE_LF,
    /** A CR not followed by LF. */
    BARE_CR,
    /** A line longer than 1000 octets including CRLF (RFC 5321 §4.5.3.1.6). */
    LINE_TOO_LONG,
    /** More octets than the allowed maximum; the spool stopped growing at the limit. */
    TOO_BIG
}
