package dev.mailcore.imap.internal.message;

import dev.mailcore.api.MessageSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** SEARCH BODY over decoded text parts: charsets, transfer encodings and text longer than one read buffer. */
class BodySearchTest {

    private static boolean bodyContains(String message, String needle) {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        return MessageParser.parse(raw).bodyContains(needle, MessageSource.of(raw));
    }

    /** {@code filler} characters of padding, then {@code text}, as UTF-8 in base64 lines of 76. */
    private static String base64Utf8(int filler, String text) {
        String plain = "x".repeat(filler) + text + " end";
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String multipart(String latin1Body, String base64Body) {
        return "Subject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + latin1Body + "\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64Body + "\r\n--b--\r\n";
    }

    @Test
    void findsNonAsciiTextThatSpansTheDecodeBufferInABase64Part() {
        for (int filler : new int[] {4090, 4093, 4094, 4095, 4096, 8190}) {
            String message = multipart("nothing here", base64Utf8(filler, "Grüße aus Köln"));
            assertThat(bodyContains(message, "GRÜSSE".substring(0, 3) + "ße AUS köln")).as("filler %d", filler)
                    .isTrue();
            assertThat(bodyContains(message, "Grüße aus Bonn")).as("filler %d", filler).isFalse();
        }
    }

    @Test
    void decodesEachPartInItsOwnCharsetAfterALongEarlierPart() {
        String latin1 = "a".repeat(10_000) + " Café crème";
        String message = multipart(latin1, base64Utf8(10, "naïve"));
        assertThat(bodyContains(message, "CAFÉ CRÈME")).isTrue();
        assertThat(bodyContains(message, "naïve end")).isTrue();
        assertThat(bodyContains(message, "parts")).as("header text is not body").isFalse();
    }
}
