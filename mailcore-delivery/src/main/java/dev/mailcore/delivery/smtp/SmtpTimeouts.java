package dev.mailcore.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the SMTP client waits for each step (RFC 5321 §4.5.3.2 minimums; Postfix uses the same values).
 *
 * @param greeting  the 220 greeting, and EHLO, STARTTLS, AUTH, RSET and QUIT replies
 * @param mail      the MAIL FROM reply
 * @param rcpt      each RCPT TO reply
 * @param dataInit  the 354 reply to DATA
 * @param dataBlock sending each block of message content (the socket must accept data within this time), and each
 *                  intermediate BDAT reply
 * @param dataDone  the reply to the final dot or the last BDAT chunk
 */
public record SmtpTimeouts(Duration greeting, Duration mail, Duration rcpt, Duration dataInit, Duration dataBlock,
                           Duration dataDone) {
    /** 300 s greeting, MAIL and RCPT; 120 s DATA; 180 s per data block; 600 s for the final reply. */
    public static final SmtpTimeouts DEFAULTS = new SmtpTimeouts(Duration.ofSeconds(300), Duration.ofSeconds(300),
            Duration.ofSeconds(300), Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(600));

    public SmtpTimeouts {
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(rcpt, "rcpt");
        Objects.requireNonNull(dataInit, "dataInit");
        Objects.requireNonNull(dataBlock, "dataBlock");
        Objects.requireNonNull(dataDone, "dataDone");
    }

    /** The same timeout for every step (tests). */
    public static SmtpTimeouts all(Duration timeout) {
        return new SmtpTimeouts(timeout, timeout, timeout, timeout, timeout, timeout);
    }
}
