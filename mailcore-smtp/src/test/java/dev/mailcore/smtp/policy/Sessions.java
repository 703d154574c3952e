package dev.mailcore.smtp.policy;

import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/** Fake sessions and envelope values for policy tests (no sockets). */
final class Sessions {
    private Sessions() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: never a DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SessionInfo from(String clientIp) {
        return session("s-" + clientIp, clientIp, null, null);
    }

    static SessionInfo session(String id, String clientIp, String helo, String user) {
        return new SessionInfo(id, "smtp", new InetSocketAddress(ip(clientIp), 40000),
                new InetSocketAddress(ip("192.0.2.254"), 25), helo, null, user);
    }

    static SessionInfo withHelo(String helo) {
        return session("s-helo", "192.0.2.10", helo, null);
    }

    static ReversePath sender(String address) {
        return "<>".equals(address) ? ReversePath.nullPath() : ReversePath.of(MailAddress.parse(address));
    }

    static EnvelopeRecipient rcpt(String address) {
        return EnvelopeRecipient.of(MailAddress.parse(address));
    }

    static MailParameters size(long declared) {
        return new MailParameters(OptionalLong.of(declared), MailParameters.NONE.body(), false, null, null, null,
                java.util.Map.of());
    }
}
