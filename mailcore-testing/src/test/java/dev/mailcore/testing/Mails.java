package dev.mailcore.testing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.nio.charset.StandardCharsets;

/** Messages for the tests. */
final class Mails {
    private Mails() {
    }

    static MimeMessage text(Session session, String from, String to, String subject, String body)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        for (String rcpt : to.split(",")) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(rcpt.trim()));
        }
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        return m;
    }

    static MimeMessage withAttachment(Session session, String from, String to, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Plain text body", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>HTML <b>body</b></p>", "text/html; charset=UTF-8");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        MimeBodyPart wrapper = new MimeBodyPart();
        wrapper.setContent(alternative);
        mixed.addBodyPart(wrapper);
        MimeBodyPart file = new MimeBodyPart();
        file.setContent("col1,col2\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        file.setFileName("report.csv");
        file.setDisposition("attachment");
        file.setHeader("Content-Transfer-Encoding", "base64");
        mixed.addBodyPart(file);
        m.setContent(mixed);
        return m;
    }
}
