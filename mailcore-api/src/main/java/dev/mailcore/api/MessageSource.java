package dev.mailcore.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Raw RFC 5322 message bytes with a known size that can be read any number of times. Implementations may be backed
 * by a spool file, a byte array or a store record; a stream must be closed by whoever opened it.
 */
public interface MessageSource {

    /** The exact number of bytes {@link #openStream()} returns. */
    long size();

    /** A new stream over all the bytes, from the first. */
    InputStream openStream() throws IOException;

    /** A source over an array (not copied: do not change it afterwards). */
    static MessageSource of(byte[] bytes) {
        return new ByteArrayMessageSource(bytes);
    }
}
