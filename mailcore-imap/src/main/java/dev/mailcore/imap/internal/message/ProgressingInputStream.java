package dev.mailcore.imap.internal.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Restores the {@link InputStream} contract over a decoder that may answer a read of one or more bytes with 0:
 * mime4j's base64 decoder does so on malformed input such as padding followed by more data, and an {@link
 * java.io.InputStreamReader} over such a stream then fails with "Underlying input stream returned zero bytes".
 * A read here returns at least one byte or -1.
 */
final class ProgressingInputStream extends FilterInputStream {

    /** Zero-byte answers in a row after which the decoder is taken to be at its end. */
    private static final int MAX_EMPTY_READS = 64;

    ProgressingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        for (int empty = 0; empty < MAX_EMPTY_READS; empty++) {
            int n = in.read(b, off, len);
            if (n != 0) {
                return n;
            }
        }
        return -1;
    }
}
