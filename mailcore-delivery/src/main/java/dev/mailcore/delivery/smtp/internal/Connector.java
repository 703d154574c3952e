package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.smtp.SmarthostAuth;
import dev.mailcore.delivery.smtp.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opens a ready-to-use session: TCP connect, greeting, EHLO (HELO fallback), STARTTLS per policy, EHLO again, AUTH.
 */
public final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final Settings settings;

    public Connector(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param hostname the server's host name (for certificate checks and texts)
     * @param policy   the TLS policy for this destination
     * @param auth     credentials, or {@code null}
     */
    public ClientSession open(InetSocketAddress address, String hostname, TlsPolicy policy, SmarthostAuth auth)
            throws SessionException {
        return open(address, hostname, policy, auth, false);
    }

    /**
     * @param lmtp true to speak LMTP (LHLO) rather than SMTP
     */
    public ClientSession open(InetSocketAddress address, String hostname, TlsPolicy policy, SmarthostAuth auth,
                              boolean lmtp) throws SessionException {
        if (lmtp) {
            try {
                return open(address, hostname, TlsPolicy.NONE, null, false, true);
            } catch (TlsFallback impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        try {
            return open(address, hostname, policy, auth, true, false);
        } catch (TlsFallback fallback) {
            LOG.info("TLS with {} failed ({}); retrying without TLS", hostname, fallback.getMessage());
            try {
                return open(address, hostname, policy, auth, false, false);
            } catch (TlsFallback impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private ClientSession open(InetSocketAddress address, String hostname, TlsPolicy policy, SmarthostAuth auth,
                               boolean tryTls, boolean lmtp) throws SessionException, TlsFallback {
        ClientSession s = ClientSession.connect(settings.bootstrap(), address, hostname, settings.connectTimeout());
        s.lmtp(lmtp);
        boolean ok = false;
        try {
            RemoteReply greeting = s.await(s.greeting(), settings.timeouts().greeting(),
                    "receiving the initial server greeting");
            if (greeting.code() != 220) {
                throw new SessionException(greeting.isTransient() ? greeting.toOutcome(s.peer(), null)
                        : deferred(greeting, s.peer(), "the initial greeting"));
            }
            hello(s);
            if (policy != TlsPolicy.NONE && tryTls) {
                if (s.capabilities().has("STARTTLS")) {
                    RemoteReply r = s.await(s.command("STARTTLS"), settings.timeouts().greeting(),
                            "sending STARTTLS");
                    if (r.code() != 220) {
                        if (policy == TlsPolicy.OPPORTUNISTIC && r.code() != 421) {
                            LOG.info("{} refused STARTTLS: {}", s.peer(), r);
                        } else {
                            throw new SessionException(SmtpReply.of(454, "4.7.5", "cannot start TLS: host "
                                    + s.peer() + " said: " + RemoteReply.sanitize(r.toString())));
                        }
                    } else {
                        try {
                            s.startTls(policy == TlsPolicy.VERIFY ? settings.verifyingTls() : settings.insecureTls(),
                                    settings.timeouts().greeting());
                        } catch (SessionException e) {
                            if (policy == TlsPolicy.OPPORTUNISTIC) {
                                throw new TlsFallback(e.reply().toString());
                            }
                            throw e;
                        }
                        hello(s);
                    }
                } else if (policy == TlsPolicy.REQUIRED || policy == TlsPolicy.VERIFY) {
                    throw new SessionException(SmtpReply.of(451, "4.7.4", "TLS is required, but was not offered by "
                            + "host " + s.peer()));
                }
            }
            if (auth != null) {
                authenticate(s, auth);
            }
            ok = true;
            return s;
        } finally {
            if (!ok) {
                s.close();
            }
        }
    }

    private static SmtpReply deferred(RemoteReply r, String peer, String what) {
        // Like Postfix's smtp_skip_5xx_greeting: a 5xx greeting makes us try the next host, and defer.
        return SmtpReply.of(451, "4.3.0", "host " + peer + " refused to talk to us: "
                + RemoteReply.sanitize(r.toString()) + " (in reply to " + what + ")");
    }

    private void hello(ClientSession s) throws SessionException {
        if (s.isLmtp()) {
            RemoteReply r = s.await(s.command("LHLO " + settings.heloName()), settings.timeouts().greeting(),
                    "sending LHLO");
            if (r.code() != 250) {
                throw new SessionException(r.isTransient() ? r.toOutcome(s.peer(), "LHLO")
                        : deferred(r, s.peer(), "LHLO"));
            }
            s.capabilities(Capabilities.fromEhlo(r));
            return;
        }
        RemoteReply r = s.await(s.command("EHLO " + settings.heloName()), settings.timeouts().greeting(),
                "sending EHLO");
        if (r.code() == 250) {
            s.capabilities(Capabilities.fromEhlo(r));
            return;
        }
        if (r.code() == 421 || r.code() / 100 == 4) {
            throw new SessionException(r.toOutcome(s.peer(), "EHLO"));
        }
        r = s.await(s.command("HELO " + settings.heloName()), settings.timeouts().greeting(), "sending HELO");
        if (r.code() != 250) {
            throw new SessionException(r.isPermanent() ? deferred(r, s.peer(), "HELO")
                    : r.toOutcome(s.peer(), "HELO"));
        }
        s.capabilities(Capabilities.NONE);
    }

    private void authenticate(ClientSession s, SmarthostAuth auth) throws SessionException {
        if (!s.capabilities().has("AUTH")) {
            LOG.warn("{} does not offer AUTH; sending without authentication", s.peer());
            return;
        }
        if (!s.isTls()) {
            throw new SessionException(SmtpReply.of(454, "4.7.0", "not sending credentials to " + s.peer()
                    + " without TLS"), false, null);
        }
        RemoteReply r;
        if (s.capabilities().authMechanism("PLAIN")) {
            String token = base64("\0" + auth.username() + "\0" + auth.password());
            r = s.await(s.command("AUTH PLAIN " + token), settings.timeouts().greeting(), "sending AUTH PLAIN");
            if (r.code() == 334) {
                r = s.await(s.command(""), settings.timeouts().greeting(), "sending AUTH PLAIN");
            }
        } else if (s.capabilities().authMechanism("LOGIN")) {
            r = s.await(s.command("AUTH LOGIN"), settings.timeouts().greeting(), "sending AUTH LOGIN");
            if (r.code() == 334) {
                r = s.await(s.command(base64(auth.username())), settings.timeouts().greeting(),
                        "sending AUTH LOGIN");
            }
            if (r.code() == 334) {
                r = s.await(s.command(base64(auth.password())), settings.timeouts().greeting(),
                        "sending AUTH LOGIN");
            }
        } else {
            throw new SessionException(SmtpReply.of(454, "4.7.0", "host " + s.peer()
                    + " offers no SASL mechanism we support (PLAIN, LOGIN)"), false, null);
        }
        if (r.code() != 235) {
            // Like Postfix's smtp_sasl_auth_soft_bounce: an authentication failure defers.
            throw new SessionException(SmtpReply.of(454, "4.7.0", "SASL authentication failed; server " + s.peer()
                    + " said: " + RemoteReply.sanitize(r.toString())), false, null);
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The handshake failed under the opportunistic policy: connect again without TLS. */
    private static final class TlsFallback extends Exception {
        private static final long serialVersionUID = 1L;

        TlsFallback(String message) {
            super(message, null, false, false);
        }
    }
}
