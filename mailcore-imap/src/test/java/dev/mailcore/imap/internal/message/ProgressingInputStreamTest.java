package dev.mailcore.imap.internal.message;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressingInputStreamTest {

    @Test
    void malformedBase64PaddingFollowedByDataDecodesWithoutAZeroByteRead() throws IOException {
        // padding, then more data: mime4j's decoder answers a two-byte read of this with 0
        byte[] body = {'=', '/', '\t', '\n', ' '};
        InputStream decoded = ParsedMimeMessage.decoder(new ByteArrayInputStream(body), "base64");
        byte[] buf = new byte[2];
        int n;
        while ((n = decoded.read(buf, 0, buf.length)) != -1) {
            assertThat(n).isPositive();
        }
        Reader reader = new InputStreamReader(
                ParsedMimeMessage.decoder(new ByteArrayInputStream(body), "base64"), StandardCharsets.UTF_8);
        char[] chars = new char[2];
        while (reader.read(chars) >= 0) {
            // reads to the end without "Underlying input stream returned zero bytes"
        }
    }

    @Test
    void wellFormedBase64StillDecodesCompletely() throws IOException {
        byte[] body = "aGVsbG8gd29ybGQ=\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream decoded = ParsedMimeMessage.decoder(new ByteArrayInputStream(body), "base64");
        assertThat(new String(decoded.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    }
}
