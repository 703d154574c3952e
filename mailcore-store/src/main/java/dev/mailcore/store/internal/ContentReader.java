package dev.mailcore.store.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.io.IOException;
import java.io.InputStream;

/** Reads a {@link MessageSource} into one array, checking that it yields exactly {@link MessageSource#size()} bytes. */
public final class ContentReader {
    /** The largest array the JVM reliably allocates. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private ContentReader() {
    }

    /**
     * Checks a declared size before anything is read.
     *
     * @throws StoreException {@link StoreError#FAILURE} for a negative size, {@link StoreError#STORAGE_FULL} for one
     *                        that no array can hold
     */
    public static void checkSize(long size) {
        if (size < 0) {
            throw new StoreException(StoreError.FAILURE, "message source reports a negative size: " + size);
        }
        if (size > MAX_SIZE) {
            throw new StoreException(StoreError.STORAGE_FULL,
                    "message of " + size + " bytes is too large for a memory store");
        }
    }

    /**
     * All bytes of the source.
     *
     * @throws StoreException {@link StoreError#FAILURE} when reading fails or the byte count differs from the size
     */
    public static byte[] read(MessageSource source) {
        long size = source.size();
        checkSize(size);
        try (InputStream in = source.openStream()) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size) {
                throw new StoreException(StoreError.FAILURE,
                        "message source ended after " + bytes.length + " of " + size + " bytes");
            }
            if (in.read() != -1) {
                throw new StoreException(StoreError.FAILURE, "message source has more than its size of " + size
                        + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new StoreException(StoreError.FAILURE, "cannot read message: " + e.getMessage(), e);
        }
    }
}
