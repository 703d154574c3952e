package dev.mailcore.delivery.smtp;

import dev.mailcore.api.SmtpReply;

import java.util.Objects;

/** Where {@link SmtpTransport} sends the recipients of one domain. */
public sealed interface Route {

    /** Look up the recipient domain's MX records and deliver there (the default). */
    record Mx() implements Route {
    }

    /**
     * Relay through a fixed host.
     *
     * @param host      host name or IP address (no brackets)
     * @param port      the port, or 0 for the transport's default port
     * @param useMx     whether to look up MX records of {@code host} (Postfix {@code relay.example}) rather than its
     *                  addresses (Postfix {@code [relay.example]})
     * @param tlsPolicy TLS policy for this relay, or {@code null} for the transport's default
     * @param auth      credentials for SMTP AUTH, or {@code null} for none
     */
    record Smarthost(String host, int port, boolean useMx, TlsPolicy tlsPolicy, SmarthostAuth auth)
            implements Route {
        public Smarthost {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty smarthost");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** This relay with a TLS policy. */
        public Smarthost withTlsPolicy(TlsPolicy policy) {
            return new Smarthost(host, port, useMx, policy, auth);
        }

        /** This relay with AUTH credentials. */
        public Smarthost withAuth(SmarthostAuth credentials) {
            return new Smarthost(host, port, useMx, tlsPolicy, credentials);
        }

        /** The next hop as Postfix writes it: {@code [host]:port} or {@code host:port}. */
        @Override
        public String toString() {
            String h = useMx ? host : "[" + host + "]";
            return port == 0 ? h : h + ":" + port;
        }
    }

    /**
     * Deliver over LMTP (RFC 2033) to an external store, such as Dovecot's LMTP service on a TCP port: LHLO instead
     * of EHLO, one reply per recipient after the message; no STARTTLS, no AUTH (a trusted internal hop).
     *
     * @param host host name or IP address (no brackets; no MX lookup)
     * @param port the port (Dovecot's default is 24)
     */
    record Lmtp(String host, int port) implements Route {
        public Lmtp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty LMTP host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /**
     * Do not deliver: each recipient gets this reply ({@code 4xx}: deferred, {@code 5xx}: failed), like Postfix's
     * {@code error:} and {@code retry:} transports.
     */
    record Refuse(SmtpReply reply) implements Route {
        public Refuse {
            Objects.requireNonNull(reply, "reply");
            if (reply.isPositive()) {
                throw new IllegalArgumentException("Refuse needs a 4xx or 5xx reply: " + reply);
            }
        }
    }

    /** Throw the message away and report it delivered (Postfix's {@code discard:}). */
    record Discard() implements Route {
    }

    /** The shared {@link Mx} route. */
    Route MX = new Mx();

    /** The shared {@link Discard} route. */
    Route DISCARD = new Discard();

    /** A smarthost without MX lookup ({@code [host]:port}), with the transport's TLS policy and no AUTH. */
    static Smarthost smarthost(String host, int port) {
        return new Smarthost(host, port, false, null, null);
    }
}
