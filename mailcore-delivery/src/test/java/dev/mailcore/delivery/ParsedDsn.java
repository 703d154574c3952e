package dev.mailcore.delivery;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A delivery status notification parsed back with Angus Mail, for assertions. */
public final class ParsedDsn {
    public final MimeMessage message;
    public final ContentType contentType;
    public final String humanText;
    public final InternetHeaders perMessage;
    public final List<InternetHeaders> perRecipient;
    public final String originalType;
    public final byte[] original;
    public final int parts;

    private ParsedDsn(MimeMessage message, ContentType contentType, String humanText, InternetHeaders perMessage,
                      List<InternetHeaders> perRecipient, String originalType, byte[] original, int parts) {
        this.message = message;
        this.contentType = contentType;
        this.humanText = humanText;
        this.perMessage = perMessage;
        this.perRecipient = perRecipient;
        this.originalType = originalType;
        this.original = original;
        this.parts = parts;
    }

    public static ParsedDsn parse(byte[] bytes) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        ContentType ct = new ContentType(m.getContentType());
        MimeMultipart mp = new MimeMultipart(m.getDataHandler().getDataSource());
        BodyPart text = mp.getBodyPart(0);
        BodyPart status = mp.getBodyPart(1);
        if (!new ContentType(status.getContentType()).match("message/delivery-status")) {
            throw new AssertionError("second part is " + status.getContentType());
        }
        InternetHeaders perMessage;
        List<InternetHeaders> perRecipient = new ArrayList<>();
        try (InputStream in = status.getInputStream()) {
            byte[] raw = in.readAllBytes();
            ByteArrayInputStream blocks = new ByteArrayInputStream(raw);
            perMessage = new InternetHeaders(blocks);
            while (blocks.available() > 0) {
                InternetHeaders h = new InternetHeaders(blocks);
                if (h.getAllHeaderLines().hasMoreElements()) {
                    perRecipient.add(h);
                }
            }
        }
        String originalType = null;
        byte[] original = null;
        if (mp.getCount() > 2) {
            BodyPart p = mp.getBodyPart(2);
            originalType = new ContentType(p.getContentType()).getBaseType();
            try (InputStream in = ((jakarta.mail.internet.MimeBodyPart) p).getRawInputStream()) {
                original = in.readAllBytes();
            }
        }
        return new ParsedDsn(m, ct, (String) text.getContent(), perMessage, perRecipient, originalType, original,
                mp.getCount());
    }

    /** A per-recipient field of the i-th recipient block. */
    public String field(int recipient, String name) {
        String[] v = perRecipient.get(recipient).getHeader(name);
        return v == null ? null : v[0].trim();
    }

    /** A per-message field. */
    public String messageField(String name) {
        String[] v = perMessage.getHeader(name);
        return v == null ? null : v[0].trim();
    }
}
