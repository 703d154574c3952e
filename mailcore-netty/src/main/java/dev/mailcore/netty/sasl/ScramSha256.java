package dev.mailcore.netty.sasl;

import dev.mailcore.api.auth.ScramCredential;
import dev.mailcore.netty.internal.sasl.SaslSupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Creates SCRAM-SHA-256 credentials (RFC 5802 §3, RFC 7677) from a password, for auth providers that store SCRAM
 * secrets instead of passwords: {@code SaltedPassword = PBKDF2-HMAC-SHA-256(SASLprep(password), salt, i)},
 * {@code StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))},
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}.
 */
public final class ScramSha256 {
    /** The iteration count used when none is given: the minimum RFC 7677 recommends. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** The length in bytes of generated salts. */
    public static final int DEFAULT_SALT_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramSha256() {
    }

    /**
     * A credential with a fresh random salt and {@link #DEFAULT_ITERATIONS} iterations.
     *
     * @param user     the canonical user name (recorded in the credential; not part of the key derivation)
     * @param password the clear-text password, prepared here with SASLprep as a stored string
     * @throws SaslPrepException        when the password cannot be prepared
     * @throws IllegalArgumentException when the password is empty after preparation
     */
    public static ScramCredential credential(String user, String password) {
        byte[] salt = new byte[DEFAULT_SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return credential(user, password, salt, DEFAULT_ITERATIONS);
    }

    /**
     * A credential with the given salt and iteration count.
     *
     * @param user       the canonical user name (recorded in the credential; not part of the key derivation)
     * @param password   the clear-text password, prepared here with SASLprep as a stored string
     * @param salt       the salt (not empty)
     * @param iterations the PBKDF2 iteration count (positive; 4096 or more recommended)
     * @throws SaslPrepException        when the password cannot be prepared
     * @throws IllegalArgumentException when the password is empty after preparation, the salt is empty or the
     *                                  iteration count is not positive
     */
    public static ScramCredential credential(String user, String password, byte[] salt, int iterations) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        String prepared = SaslPrep.prepareStored(password);
        if (prepared.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] saltedPassword = saltedPassword(prepared, salt, iterations);
        try {
            byte[] clientKey = SaslSupport.hmac("HmacSHA256", saltedPassword,
                    "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = SaslSupport.sha256(clientKey);
            byte[] serverKey = SaslSupport.hmac("HmacSHA256", saltedPassword,
                    "Server Key".getBytes(StandardCharsets.US_ASCII));
            return new ScramCredential(user, salt, iterations, storedKey, serverKey);
        } finally {
            Arrays.fill(saltedPassword, (byte) 0);
        }
    }

    /** Hi(password, salt, i) of RFC 5802 §2.2 is PBKDF2 with HMAC-SHA-256 and one 32-byte block. */
    private static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
        try {
            // The JDK's PBKDF2 encodes the password characters as UTF-8, as SCRAM requires.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
