package dev.mailcore.netty.internal.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslStep;

import java.util.Objects;

/**
 * SASL PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd} in UTF-8. The authorization identity,
 * when given, must name the authenticated user: proxy authentication is not supported.
 */
public final class PlainExchange implements SaslExchange {
    private static final byte[] EMPTY = new byte[0];

    private enum State { NEW, WAITING, DONE }

    private final AuthProvider provider;
    private State state = State.NEW;

    public PlainExchange(AuthProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String mechanism() {
        return "PLAIN";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        if (state != State.NEW) {
            state = State.DONE;
            return SaslSupport.alreadyFinished();
        }
        if (initialResponse == null) {
            state = State.WAITING;
            return new SaslStep.Challenge(EMPTY);
        }
        state = State.DONE;
        return authenticate(initialResponse);
    }

    @Override
    public SaslStep next(byte[] response) {
        if (state != State.WAITING || response == null) {
            state = State.DONE;
            return SaslSupport.alreadyFinished();
        }
        state = State.DONE;
        return authenticate(response);
    }

    private SaslStep authenticate(byte[] message) {
        int first = -1;
        int second = -1;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == 0) {
                if (first < 0) {
                    first = i;
                } else if (second < 0) {
                    second = i;
                } else {
                    return SaslSupport.malformed("PLAIN message has more than two NUL separators");
                }
            }
        }
        if (second < 0) {
            return SaslSupport.malformed("PLAIN message needs exactly two NUL separators");
        }
        String text = SaslSupport.utf8(message);
        if (text == null) {
            return SaslSupport.malformed("PLAIN message is not valid UTF-8");
        }
        int n1 = text.indexOf('\0');
        int n2 = text.indexOf('\0', n1 + 1);
        String authzid = text.substring(0, n1);
        String authcid = SaslSupport.prepOrNull(text.substring(n1 + 1, n2));
        String password = SaslSupport.prepOrNull(text.substring(n2 + 1));
        if (authcid == null || password == null) {
            return SaslSupport.malformed("PLAIN user name or password has a character SASLprep prohibits");
        }
        if (authcid.isEmpty() || password.isEmpty()) {
            return SaslSupport.malformed("PLAIN user name and password must not be empty");
        }
        AuthResult result = SaslSupport.callProvider("PLAIN", () -> provider.verifyPassword(authcid, password));
        if (!authzid.isEmpty() && !authzid.equals(authcid) && result instanceof AuthResult.Success
                && !authzid.equals(((AuthResult.Success) result).user())) {
            return SaslSupport.badCredentials("authorization identity differs from the authenticated user");
        }
        return SaslSupport.fromAuthResult(result);
    }
}
