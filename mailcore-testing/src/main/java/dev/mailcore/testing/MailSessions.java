package dev.mailcore.testing;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Store;

import java.util.Map;
import java.util.Properties;

/**
 * Jakarta Mail {@link Session}s ready to talk to one {@link TestMailServer}: host {@code localhost}, the listener's
 * port, timeouts of 10 s, and TLS that trusts the server's runtime certificate properly (PKIX validation and host
 * name checks on, no trust-all). {@code Transport.send(message)} picks the right protocol.
 *
 * <ul>
 *   <li>{@link #smtp()}: the MX listener, STARTTLS when offered (required with {@code requireTls}), no AUTH;</li>
 *   <li>{@link #submission()}: STARTTLS required and AUTH as the first user;</li>
 *   <li>{@link #smtps()}: implicit TLS and AUTH as the first user.</li>
 * </ul>
 * For reading, {@link #imap()}, {@link #imaps()}, {@link #pop3()} and {@link #pop3s()} give sessions whose default
 * store is that protocol (STARTTLS/STLS when offered, required with {@code requireTls}) and which log in as the first
 * user on {@code session.getStore().connect()}, and {@link #openStore} connects one as any user.
 */
public final class MailSessions {
    private static final String TIMEOUT = "10000";
    private final TestMailServer server;

    MailSessions(TestMailServer server) {
        this.server = server;
    }

    /** A session for the SMTP (MX) listener. */
    public Session smtp() {
        return Session.getInstance(properties(MailListener.SMTP));
    }

    /** A session for the submission listener that authenticates as the first configured user. */
    public Session submission() {
        Map.Entry<String, String> user = firstUser();
        return submission(user.getKey(), user.getValue());
    }

    /** A session for the submission listener that authenticates as {@code user}. */
    public Session submission(String user, String password) {
        return Session.getInstance(properties(MailListener.SUBMISSION), authenticator(user, password));
    }

    /** A session for the submissions (implicit TLS) listener that authenticates as the first configured user. */
    public Session smtps() {
        Map.Entry<String, String> user = firstUser();
        return smtps(user.getKey(), user.getValue());
    }

    public Session smtps(String user, String password) {
        return Session.getInstance(properties(MailListener.SMTPS), authenticator(user, password));
    }

    /** A session whose default store is the IMAP listener. */
    public Session imap() {
        return storeSession(MailListener.IMAP);
    }

    /** A session whose default store is the IMAPS listener. */
    public Session imaps() {
        return storeSession(MailListener.IMAPS);
    }

    /** A session whose default store is the POP3 listener. */
    public Session pop3() {
        return storeSession(MailListener.POP3);
    }

    /** A session whose default store is the POP3S listener. */
    public Session pop3s() {
        return storeSession(MailListener.POP3S);
    }

    /** A store session that logs in as the first user, if there is one, when connected without arguments. */
    private Session storeSession(MailListener listener) {
        Properties p = properties(listener);
        Map.Entry<String, String> user = server.users().entrySet().stream().findFirst().orElse(null);
        if (user == null) {
            return Session.getInstance(p);
        }
        p.put("mail." + listener.listenerName() + ".user", user.getKey());
        return Session.getInstance(p, authenticator(user.getKey(), user.getValue()));
    }

    /** Connects to an IMAP or POP3 listener as {@code user}; close the store when done. */
    public Store openStore(MailListener listener, String user, String password) throws MessagingException {
        if (listener.isSmtp()) {
            throw new IllegalArgumentException(listener + " is not an IMAP or POP3 listener");
        }
        Store store = Session.getInstance(properties(listener)).getStore();
        store.connect(user, password);
        return store;
    }

    /** The default session of a listener, as above. */
    public Session forListener(MailListener listener) {
        return switch (listener) {
            case SMTP -> smtp();
            case SUBMISSION -> submission();
            case SMTPS -> smtps();
            case IMAP -> imap();
            case IMAPS -> imaps();
            case POP3 -> pop3();
            case POP3S -> pop3s();
        };
    }

    /** The properties behind the sessions, to adjust before {@code Session.getInstance(props, auth)}. */
    public Properties properties(MailListener listener) {
        String protocol = switch (listener) {
            case SMTP, SUBMISSION -> "smtp";
            case SMTPS -> "smtps";
            default -> listener.listenerName();
        };
        String prefix = "mail." + protocol + ".";
        Properties p = new Properties();
        if (listener.isSmtp()) {
            p.put("mail.transport.protocol", protocol);
            p.put("mail.transport.protocol.rfc822", protocol); // what Transport.send(message) uses
        } else {
            p.put("mail.store.protocol", protocol);
        }
        p.put(prefix + "host", server.host());
        p.put(prefix + "port", String.valueOf(server.port(listener)));
        p.put(prefix + "connectiontimeout", TIMEOUT);
        p.put(prefix + "timeout", TIMEOUT);
        p.put(prefix + "writetimeout", TIMEOUT);
        p.putAll(server.trust().mailProperties(protocol));
        switch (listener) {
            case SMTP -> {
                p.put(prefix + "starttls.enable", "true");
                if (server.requireTls()) {
                    p.put(prefix + "starttls.required", "true");
                }
            }
            case SUBMISSION -> {
                p.put(prefix + "starttls.enable", "true");
                p.put(prefix + "starttls.required", "true");
                p.put(prefix + "auth", "true");
            }
            case SMTPS -> {
                p.put(prefix + "ssl.enable", "true");
                p.put(prefix + "auth", "true");
            }
            case IMAP, POP3 -> {
                p.put(prefix + "starttls.enable", "true");
                if (server.requireTls()) {
                    p.put(prefix + "starttls.required", "true");
                }
            }
            case IMAPS, POP3S -> p.put(prefix + "ssl.enable", "true");
            default -> throw new IllegalStateException(listener.toString());
        }
        return p;
    }

    private Map.Entry<String, String> firstUser() {
        return server.users().entrySet().stream().findFirst().orElseThrow(() -> new IllegalStateException(
                "the server has no users: add one with user(address, password) to get an authenticated session"));
    }

    private static Authenticator authenticator(String user, String password) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password);
            }
        };
    }
}
