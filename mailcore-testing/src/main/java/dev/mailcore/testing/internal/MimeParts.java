package dev.mailcore.testing.internal;

import dev.mailcore.testing.Attachment;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Walks a parsed message: first text/plain and text/html body parts, attachments. */
public final class MimeParts {
    private final List<String> texts = new ArrayList<>();
    private final List<String> htmls = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();

    private MimeParts() {
    }

    /** Parses raw RFC 5322 bytes with a private Jakarta Mail session (no system properties). */
    public static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot parse the received message: " + e.getMessage(), e);
        }
    }

    public static MimeParts of(MimeMessage message) {
        MimeParts parts = new MimeParts();
        try {
            parts.walk(message);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read the message structure: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    private void walk(Part part) throws MessagingException, IOException {
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
                return;
            }
        }
        String disposition = part.getDisposition();
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || part.getFileName() != null;
        if (!attachment && type.equals("text/plain")) {
            texts.add(text(part));
        } else if (!attachment && type.equals("text/html")) {
            htmls.add(text(part));
        } else if (attachment || !(part instanceof MimeMessage)) {
            String encoding = part instanceof jakarta.mail.internet.MimePart mp && mp.getEncoding() != null
                    ? mp.getEncoding().toLowerCase(Locale.ROOT) : "7bit";
            byte[] bytes;
            try (InputStream in = part.getInputStream()) {
                bytes = in.readAllBytes();
            }
            attachments.add(new Attachment(part.getFileName(), type, encoding, bytes));
        }
    }

    private static String text(Part part) throws MessagingException, IOException {
        Charset charset = StandardCharsets.US_ASCII;
        try {
            String name = new ContentType(part.getContentType()).getParameter("charset");
            if (name != null) {
                charset = Charset.forName(name);
            }
        } catch (ParseException | IllegalArgumentException e) {
            // keep ASCII
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), charset);
        }
    }

    /** The media type in lower case without parameters; {@code text/plain} when absent or unparsable. */
    public static String baseType(Part part) throws MessagingException {
        String header = part.getContentType();
        if (header == null) {
            return "text/plain";
        }
        try {
            return new ContentType(header).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "text/plain";
        }
    }

    /** The text/plain bodies (not attachments), in order. */
    public List<String> texts() {
        return texts;
    }

    public List<String> htmls() {
        return htmls;
    }

    public List<Attachment> attachments() {
        return attachments;
    }
}
