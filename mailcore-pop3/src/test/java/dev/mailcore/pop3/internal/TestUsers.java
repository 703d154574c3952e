package dev.mailcore.pop3.internal;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Users and passwords for tests; reveals clear-text passwords (CRAM-MD5, APOP). */
public final class TestUsers implements AuthProvider {
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    public TestUsers user(String name, String password) {
        passwords.put(name, password);
        return this;
    }

    @Override
    public AuthResult verifyPassword(String username, String password) {
        String expected = passwords.get(username);
        return expected != null && expected.equals(password) ? new AuthResult.Success(username) : AuthResult.FAILURE;
    }

    @Override
    public boolean supportsPlainTextPassword() {
        return true;
    }

    @Override
    public Optional<PlainTextSecret> plainTextPassword(String username) {
        String password = passwords.get(username);
        return password == null ? Optional.empty() : Optional.of(new PlainTextSecret(username, password));
    }
}
