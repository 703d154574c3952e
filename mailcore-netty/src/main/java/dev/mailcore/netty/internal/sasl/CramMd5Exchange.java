package dev.mailcore.netty.internal.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslStep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SASL CRAM-MD5 (RFC 2195): the server sends {@code <random.timestamp@host>}, the client answers
 * {@code user SP hex(HMAC-MD5(password, challenge))}. The digest is compared in constant time with one computed from
 * the provider's clear-text password; an unknown user fails exactly like a wrong digest.
 */
public final class CramMd5Exchange implements SaslExchange {

    private enum State { NEW, WAITING, DONE }

    private final AuthProvider provider;
    private final Supplier<String> challengeSource;
    private final SecureRandom random;
    private State state = State.NEW;
    private byte[] challenge;

    /**
     * @param serverName the host name put in the challenge
     * @param random     source of the challenge's random part
     */
    public CramMd5Exchange(AuthProvider provider, String serverName, SecureRandom random) {
        this(provider, random, () -> newChallenge(random, serverName));
    }

    /** For tests: the challenge is taken from {@code challengeSource}. */
    CramMd5Exchange(AuthProvider provider, Supplier<String> challengeSource) {
        this(provider, new SecureRandom(), challengeSource);
    }

    private CramMd5Exchange(AuthProvider provider, SecureRandom random, Supplier<String> challengeSource) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.random = Objects.requireNonNull(random, "random");
        this.challengeSource = Objects.requireNonNull(challengeSource, "challengeSource");
    }

    static String newChallenge(SecureRandom random, String serverName) {
        long r = random.nextLong() & Long.MAX_VALUE;
        return "<" + r + "." + System.currentTimeMillis() + "@" + serverName + ">";
    }

    @Override
    public String mechanism() {
        return "CRAM-MD5";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        if (state != State.NEW) {
            state = State.DONE;
            return SaslSupport.alreadyFinished();
        }
        if (initialResponse != null && initialResponse.length > 0) {
            state = State.DONE;
            return SaslSupport.malformed("CRAM-MD5 does not take an initial response");
        }
        state = State.WAITING;
        challenge = challengeSource.get().getBytes(StandardCharsets.UTF_8);
        return new SaslStep.Challenge(challenge.clone());
    }

    @Override
    public SaslStep next(byte[] response) {
        if (state != State.WAITING || response == null) {
            state = State.DONE;
            return SaslSupport.alreadyFinished();
        }
        state = State.DONE;
        String text = SaslSupport.utf8(response);
        if (text == null) {
            return SaslSupport.malformed("CRAM-MD5 response is not valid UTF-8");
        }
        int space = text.lastIndexOf(' ');
        if (space <= 0) {
            return SaslSupport.malformed("CRAM-MD5 response must be 'user SP digest'");
        }
        byte[] digest = parseHex(text.substring(space + 1));
        if (digest == null) {
            return SaslSupport.malformed("CRAM-MD5 digest must be 32 hexadecimal digits");
        }
        String user = SaslSupport.prepOrNull(text.substring(0, space));
        if (user == null || user.isEmpty()) {
            return SaslSupport.malformed("CRAM-MD5 user name is empty or has a character SASLprep prohibits");
        }
        Optional<AuthProvider.PlainTextSecret> secret =
                SaslSupport.callProvider("CRAM-MD5", () -> provider.plainTextPassword(user));
        if (secret == null) {
            return SaslSupport.temporary("auth provider failed");
        }
        // Unknown users cost the same HMAC as known ones, against a key nobody knows.
        byte[] key;
        if (secret.isPresent()) {
            key = secret.get().password().getBytes(StandardCharsets.UTF_8);
        } else {
            key = new byte[16];
            random.nextBytes(key);
        }
        byte[] expected = SaslSupport.hmac("HmacMD5", key, challenge);
        if (MessageDigest.isEqual(expected, digest) && secret.isPresent()) {
            return new SaslStep.Success(secret.get().user(), null);
        }
        return SaslSupport.badCredentials("authentication failed");
    }

    /** 32 hex digits (either case) to 16 bytes; {@code null} when not that. */
    private static byte[] parseHex(String hex) {
        if (hex.length() != 32) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = hexDigit(hex.charAt(2 * i));
            int lo = hexDigit(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
