package dev.mailcore.smtp.internal.codec;

/**
 * DATA content ended ({@code CRLF.CRLF} seen); the decoder is back in command mode.
 *
 * @param spool the spool given to {@link SmtpInboundDecoder#beginData}, holding the unstuffed content
 * @param error {@code null} when the content is good
 */
public record DataComplete(MessageSpool spool, DataError error) {
}
