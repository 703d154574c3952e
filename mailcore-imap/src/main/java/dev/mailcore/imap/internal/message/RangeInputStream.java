package dev.mailcore.imap.internal.message;

import java.io.IOException;
import java.io.InputStream;

/** At most {@code length} bytes of another stream, after skipping {@code offset}. */
final class RangeInputStream extends InputStream {

    private final InputStream in;
    private final boolean closeUnderlying;
    private long remaining;
    private long toSkip;

    RangeInputStream(InputStream in, long offset, long length) {
        this(in, offset, length, true);
    }

    RangeInputStream(InputStream in, long offset, long length, boolean closeUnderlying) {
        this.in = in;
        this.toSkip = offset;
        this.remaining = length;
        this.closeUnderlying = closeUnderlying;
    }

    private void skipStart() throws IOException {
        while (toSkip > 0) {
            long n = in.skip(toSkip);
            if (n <= 0) {
                if (in.read() < 0) {
                    toSkip = 0;
                    remaining = 0;
                    return;
                }
                n = 1;
            }
            toSkip -= n;
        }
    }

    @Override
    public int read() throws IOException {
        skipStart();
        if (remaining <= 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            remaining = 0;
        } else {
            remaining--;
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        skipStart();
        if (remaining <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            remaining = 0;
            return -1;
        }
        remaining -= n;
        return n;
    }

    /** Skips what is left of the range. */
    void drain() throws IOException {
        skipStart();
        while (remaining > 0) {
            long n = in.skip(remaining);
            if (n <= 0) {
                if (in.read() < 0) {
                    remaining = 0;
                    return;
                }
                n = 1;
            }
            remaining -= n;
        }
    }

    @Override
    public void close() throws IOException {
        if (closeUnderlying) {
            in.close();
        }
    }
}
