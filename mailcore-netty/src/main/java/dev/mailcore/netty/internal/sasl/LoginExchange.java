package dev.mailcore.netty.internal.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslStep;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * SASL LOGIN (draft-murchison-sasl-login): the server asks for {@code Username:} and then {@code Password:}; an
 * initial response is the user name. Both are UTF-8 and prepared with SASLprep, as for PLAIN.
 */
public final class LoginExchange implements SaslExchange {
    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    private enum State { NEW, WANT_USER, WANT_PASSWORD, DONE }

    private final AuthProvider provider;
    private State state = State.NEW;
    private String username;

    public LoginExchange(AuthProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String mechanism() {
        return "LOGIN";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        if (state != State.NEW) {
            return fail(SaslSupport.alreadyFinished());
        }
        // An empty initial response ("=") carries no user name: ask for it as if none had been sent.
        if (initialResponse == null || initialResponse.length == 0) {
            state = State.WANT_USER;
            return new SaslStep.Challenge(USERNAME.clone());
        }
        return acceptUser(initialResponse);
    }

    @Override
    public SaslStep next(byte[] response) {
        if (response == null) {
            return fail(SaslSupport.malformed("no response"));
        }
        switch (state) {
            case WANT_USER:
                return acceptUser(response);
            case WANT_PASSWORD:
                return acceptPassword(response);
            default:
                return fail(SaslSupport.alreadyFinished());
        }
    }

    private SaslStep acceptUser(byte[] data) {
        String text = SaslSupport.utf8(data);
        if (text == null) {
            return fail(SaslSupport.malformed("LOGIN user name is not valid UTF-8"));
        }
        String prepared = SaslSupport.prepOrNull(text);
        if (prepared == null) {
            return fail(SaslSupport.malformed("LOGIN user name has a character SASLprep prohibits"));
        }
        if (prepared.isEmpty()) {
            return fail(SaslSupport.malformed("LOGIN user name must not be empty"));
        }
        username = prepared;
        state = State.WANT_PASSWORD;
        return new SaslStep.Challenge(PASSWORD.clone());
    }

    private SaslStep acceptPassword(byte[] data) {
        state = State.DONE;
        String text = SaslSupport.utf8(data);
        if (text == null) {
            return SaslSupport.malformed("LOGIN password is not valid UTF-8");
        }
        String password = SaslSupport.prepOrNull(text);
        if (password == null) {
            return SaslSupport.malformed("LOGIN password has a character SASLprep prohibits");
        }
        if (password.isEmpty()) {
            return SaslSupport.malformed("LOGIN password must not be empty");
        }
        String user = username;
        AuthResult result = SaslSupport.callProvider("LOGIN", () -> provider.verifyPassword(user, password));
        return SaslSupport.fromAuthResult(result);
    }

    private SaslStep fail(SaslStep.Failure failure) {
        state = State.DONE;
        username = null;
        return failure;
    }
}
