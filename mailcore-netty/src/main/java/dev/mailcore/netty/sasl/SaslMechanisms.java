package dev.mailcore.netty.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.netty.internal.sasl.CramMd5Exchange;
import dev.mailcore.netty.internal.sasl.LoginExchange;
import dev.mailcore.netty.internal.sasl.PlainExchange;
import dev.mailcore.netty.internal.sasl.ScramSha256Exchange;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SASL mechanisms a server can offer for an {@link AuthProvider}: PLAIN and LOGIN always, CRAM-MD5 when the
 * provider reveals clear-text passwords, SCRAM-SHA-256 when it has SCRAM credentials.
 *
 * <p>Thread-safe: one instance serves all connections; each {@link #start} returns a new, single-use exchange.
 */
public final class SaslMechanisms {
    /** SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding. */
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** CRAM-MD5 (RFC 2195). */
    public static final String CRAM_MD5 = "CRAM-MD5";
    /** PLAIN (RFC 4616). */
    public static final String PLAIN = "PLAIN";
    /** LOGIN (draft-murchison-sasl-login). */
    public static final String LOGIN = "LOGIN";

    private static final int SECRET_LENGTH = 32;

    private final AuthProvider provider;
    private final String serverName;
    private final SecureRandom random = new SecureRandom();
    /** Per-instance secret from which SCRAM fake salts of unknown users are derived. */
    private final byte[] secret = new byte[SECRET_LENGTH];

    /** @param serverName the host name used in CRAM-MD5 challenges */
    public SaslMechanisms(AuthProvider provider, String serverName) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        random.nextBytes(secret);
    }

    /** The mechanism names to advertise, strongest first. */
    public List<String> names() {
        List<String> names = new ArrayList<>(4);
        if (provider.supportsScramSha256()) {
            names.add(SCRAM_SHA_256);
        }
        if (provider.supportsPlainTextPassword()) {
            names.add(CRAM_MD5);
        }
        names.add(PLAIN);
        names.add(LOGIN);
        return List.copyOf(names);
    }

    /** Starts an exchange; {@code null} when the mechanism (case-insensitive) is not offered. */
    public SaslExchange start(String mechanism) {
        if (mechanism == null) {
            return null;
        }
        switch (asciiUpperCase(mechanism)) {
            case SCRAM_SHA_256:
                return provider.supportsScramSha256() ? new ScramSha256Exchange(provider, random, secret) : null;
            case CRAM_MD5:
                return provider.supportsPlainTextPassword()
                        ? new CramMd5Exchange(provider, serverName, random) : null;
            case PLAIN:
                return new PlainExchange(provider);
            case LOGIN:
                return new LoginExchange(provider);
            default:
                return null;
        }
    }

    /** Upper-cases ASCII letters only, so that e.g. a dotless i never matches 'I'. */
    private static String asciiUpperCase(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'a' && chars[i] <= 'z') {
                chars[i] = (char) (chars[i] - ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
