package dev.mailcore.smtp.internal.codec;

/**
 * One BDAT chunk was read completely; the decoder is back in command mode.
 *
 * @param spool     the spool given to {@link SmtpInboundDecoder#beginChunk}
 * @param chunkSize the chunk's size as announced and read
 * @param error     {@code null}, or {@link DataError#TOO_BIG} when the spool would exceed its maximum
 */
public record ChunkComplete(MessageSpool spool, long chunkSize, DataError error) {
}
