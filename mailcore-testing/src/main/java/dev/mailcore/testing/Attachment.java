package dev.mailcore.testing;

import java.nio.charset.StandardCharsets;

/**
 * One attachment (a MIME part with a file name or {@code Content-Disposition: attachment}) of a
 * {@link ReceivedMessage}.
 *
 * @param fileName         the file name, or {@code null}
 * @param contentType      the media type in lower case without parameters, such as {@code application/pdf}
 * @param transferEncoding the part's Content-Transfer-Encoding in lower case, or {@code 7bit} when absent
 * @param content          the decoded content
 */
public record Attachment(String fileName, String contentType, String transferEncoding, byte[] content) {

    public Attachment {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content decoded as UTF-8 (for text attachments). */
    public String contentAsString() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
    }
}
