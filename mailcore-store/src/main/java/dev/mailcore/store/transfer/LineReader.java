package dev.mailcore.store.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at LF. A CR right before the LF belongs to the line end (CRLF); any other CR is
 * content. A last line without LF is returned too. Holds one line at a time.
 */
final class LineReader {
    private final InputStream in;
    private final byte[] chunk = new byte[16 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line end, or {@code null} at the end of the input. */
    byte[] next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(chunk, 0, chunk.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? take(false) : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            add(start, pos - start);
            if (pos < limit) { // found LF
                pos++;
                return take(true);
            }
        }
    }

    private void add(int from, int n) {
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    private byte[] take(boolean endedWithLf) {
        int n = length;
        if (endedWithLf && n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return Arrays.copyOf(line, n);
    }
}
