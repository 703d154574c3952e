/**
 * SMTP framing (internal): strict CRLF command lines, DATA with dot-unstuffing and smuggling protection, BDAT chunks,
 * and the spool that message bytes stream into. Not API; may change without notice.
 */
package dev.mailcore.smtp.internal.codec;
