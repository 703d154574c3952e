package dev.mailcore.server;

import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpRole;

import java.time.Duration;

/** The kinds of listener a {@link MailServer} runs; each kind at most once. */
public enum Service {
    /** MX-style SMTP (port 25 in production; STARTTLS offered). */
    SMTP("smtp", TlsMode.STARTTLS, Duration.ofMinutes(5)),
    /** Submission (port 587; STARTTLS, AUTH required before MAIL). */
    SUBMISSION("submission", TlsMode.STARTTLS, Duration.ofMinutes(5)),
    /** Submission over implicit TLS (port 465, RFC 8314). */
    SUBMISSIONS("submissions", TlsMode.IMPLICIT, Duration.ofMinutes(5)),
    /** IMAP (port 143; STARTTLS offered). */
    IMAP("imap", TlsMode.STARTTLS, Duration.ofMinutes(31)),
    /** IMAP over implicit TLS (port 993). */
    IMAPS("imaps", TlsMode.IMPLICIT, Duration.ofMinutes(31)),
    /** POP3 (port 110; STLS offered). */
    POP3("pop3", TlsMode.STARTTLS, Duration.ofMinutes(10)),
    /** POP3 over implicit TLS (port 995). */
    POP3S("pop3s", TlsMode.IMPLICIT, Duration.ofMinutes(10));

    private final String listenerName;
    private final TlsMode tlsMode;
    private final Duration minimumIdleTimeout;

    Service(String listenerName, TlsMode tlsMode, Duration minimumIdleTimeout) {
        this.listenerName = listenerName;
        this.tlsMode = tlsMode;
        this.minimumIdleTimeout = minimumIdleTimeout;
    }

    /** The listener name used in logs. */
    public String listenerName() {
        return listenerName;
    }

    /** How the listener offers TLS by default. */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /**
     * The shortest connection idle timeout the protocol allows: IMAP clients may stay idle for 30 minutes (RFC 9051
     * §5.4), POP3 clients 10 minutes (RFC 1939 §3).
     */
    Duration minimumIdleTimeout() {
        return minimumIdleTimeout;
    }

    /** The SMTP role of an SMTP service, or null for IMAP and POP3. */
    public SmtpRole smtpRole() {
        return switch (this) {
            case SMTP -> SmtpRole.MX;
            case SUBMISSION -> SmtpRole.SUBMISSION;
            case SUBMISSIONS -> SmtpRole.SUBMISSIONS;
            default -> null;
        };
    }

    /** The service of an SMTP role. */
    public static Service of(SmtpRole role) {
        return switch (role) {
            case MX -> SMTP;
            case SUBMISSION -> SUBMISSION;
            case SUBMISSIONS -> SUBMISSIONS;
        };
    }
}
