package dev.mailcore.testing;

import dev.mailcore.server.Service;

/**
 * The listeners a {@link TestMailServer} can run: SMTP for sending, IMAP and POP3 for reading. Sessions are recorded
 * on all of them ({@link TestMailServer#sessions()} for SMTP, {@link TestMailServer#imapSessions()} and
 * {@link TestMailServer#pop3Sessions()}); faults cover SMTP, and IMAP and POP3 logins and named commands.
 */
public enum MailListener {
    /** MX-style SMTP (port 25 in production): STARTTLS offered, no AUTH required. Listener name {@code smtp}. */
    SMTP("smtp", Service.SMTP),
    /** Submission (587): STARTTLS, AUTH required before MAIL. Listener name {@code submission}. */
    SUBMISSION("submission", Service.SUBMISSION),
    /** Submissions (465): implicit TLS, AUTH required. Listener name {@code submissions}. */
    SMTPS("submissions", Service.SUBMISSIONS),
    /** IMAP (143): STARTTLS offered. Listener name {@code imap}. */
    IMAP("imap", Service.IMAP),
    /** IMAP over implicit TLS (993). Listener name {@code imaps}. */
    IMAPS("imaps", Service.IMAPS),
    /** POP3 (110): STLS offered. Listener name {@code pop3}. */
    POP3("pop3", Service.POP3),
    /** POP3 over implicit TLS (995). Listener name {@code pop3s}. */
    POP3S("pop3s", Service.POP3S);

    private final String listenerName;
    private final Service service;

    MailListener(String listenerName, Service service) {
        this.listenerName = listenerName;
        this.service = service;
    }

    /** The server's service behind this listener. */
    public Service service() {
        return service;
    }

    /** Whether clients send mail through it (SMTP, submission, submissions). */
    public boolean isSmtp() {
        return this == SMTP || this == SUBMISSION || this == SMTPS;
    }

    /** Whether clients read mail through it with IMAP (IMAP, IMAPS). */
    public boolean isImap() {
        return this == IMAP || this == IMAPS;
    }

    /** Whether clients read mail through it with POP3 (POP3, POP3S). */
    public boolean isPop3() {
        return this == POP3 || this == POP3S;
    }

    /** The name the server gives this listener (as in {@code SessionInfo.listener()}). */
    public String listenerName() {
        return listenerName;
    }

    static MailListener byListenerName(String name) {
        for (MailListener l : values()) {
            if (l.listenerName.equals(name)) {
                return l;
            }
        }
        return null;
    }
}
