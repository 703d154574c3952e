package dev.mailcore.netty.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.auth.ScramCredential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small in-memory {@link AuthProvider} for SASL tests, with switches for its capabilities and failures. */
public final class TestAuthProvider implements AuthProvider {
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, String> canonical = new HashMap<>();
    private final Map<String, ScramCredential> scram = new HashMap<>();
    private boolean plainText;
    private boolean scramSupported;
    private String temporaryFailure;
    private boolean throwing;
    /** Every (user, password) pair given to verifyPassword, and every name looked up. */
    public final List<String> calls = new ArrayList<>();

    /** Adds a user whose canonical name is the login name; SCRAM salt derived from the name, 4096 iterations. */
    public TestAuthProvider user(String name, String password) {
        return user(name, name, password, ("salt-" + name).getBytes(StandardCharsets.UTF_8), 4096);
    }

    /** Adds a user who logs in as {@code login} and is known as {@code canonicalName}. */
    public TestAuthProvider user(String login, String canonicalName, String password, byte[] salt, int iterations) {
        passwords.put(login, password);
        canonical.put(login, canonicalName);
        scram.put(login, ScramSha256.credential(canonicalName, password, salt, iterations));
        return this;
    }

    public TestAuthProvider withPlainText() {
        plainText = true;
        return this;
    }

    public TestAuthProvider withScram() {
        scramSupported = true;
        return this;
    }

    /** verifyPassword answers TemporaryFailure(reason). */
    public TestAuthProvider failingTemporarily(String reason) {
        temporaryFailure = reason;
        return this;
    }

    /** Every method throws, as a provider whose directory connection broke might. */
    public TestAuthProvider throwing() {
        throwing = true;
        return this;
    }

    @Override
    public AuthResult verifyPassword(String username, String password) {
        calls.add("verify " + username + " " + password);
        if (throwing) {
            throw new IllegalStateException("directory down");
        }
        if (temporaryFailure != null) {
            return new AuthResult.TemporaryFailure(temporaryFailure);
        }
        String expected = passwords.get(username);
        return expected != null && expected.equals(password)
                ? new AuthResult.Success(canonical.get(username))
                : AuthResult.FAILURE;
    }

    @Override
    public boolean supportsPlainTextPassword() {
        return plainText;
    }

    @Override
    public Optional<PlainTextSecret> plainTextPassword(String username) {
        calls.add("plain " + username);
        if (throwing) {
            throw new IllegalStateException("directory down");
        }
        String password = passwords.get(username);
        return password == null ? Optional.empty()
                : Optional.of(new PlainTextSecret(canonical.get(username), password));
    }

    @Override
    public boolean supportsScramSha256() {
        return scramSupported;
    }

    @Override
    public Optional<ScramCredential> scramSha256(String username) {
        calls.add("scram " + username);
        if (throwing) {
            throw new IllegalStateException("directory down");
        }
        return Optional.ofNullable(scram.get(username));
    }
}
