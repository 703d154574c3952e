package dev.mailcore.api.auth;

import java.util.Optional;

/**
 * Checks user credentials for SMTP AUTH, IMAP and POP3. Every provider verifies passwords (SASL PLAIN and LOGIN,
 * IMAP LOGIN, POP3 USER/PASS). A provider that can also reveal a stored secret makes challenge-response mechanisms
 * possible: CRAM-MD5 needs the clear-text password, SCRAM-SHA-256 needs {@link ScramCredential}s. A mechanism is
 * advertised only when the provider supports it. Methods may block; they are never called on an I/O thread.
 */
public interface AuthProvider {

    /**
     * Verifies a user name and password.
     *
     * @param username as the client gave it (after SASLprep where the mechanism requires it)
     * @param password as the client gave it
     */
    AuthResult verifyPassword(String username, String password);

    /** Whether {@link #plainTextPassword} can answer; enables CRAM-MD5. */
    default boolean supportsPlainTextPassword() {
        return false;
    }

    /** The user's clear-text password and canonical name, for CRAM-MD5; empty when unknown. */
    default Optional<PlainTextSecret> plainTextPassword(String username) {
        return Optional.empty();
    }

    /** Whether {@link #scramSha256} can answer; enables SCRAM-SHA-256. */
    default boolean supportsScramSha256() {
        return false;
    }

    /** The user's SCRAM-SHA-256 secrets; empty when the user is unknown. */
    default Optional<ScramCredential> scramSha256(String username) {
        return Optional.empty();
    }

    /**
     * A clear-text secret.
     *
     * @param user     canonical user name
     * @param password the password
     */
    record PlainTextSecret(String user, String password) {
    }
}
