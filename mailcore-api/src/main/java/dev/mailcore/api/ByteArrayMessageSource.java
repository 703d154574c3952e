package dev.mailcore.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** {@link MessageSource} over a byte array. */
record ByteArrayMessageSource(byte[] bytes) implements MessageSource {
    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }
}
