package dev.mailcore.netty.internal.sasl;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.ScramCredential;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslStep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding. The client speaks first; the server answers with
 * the combined nonce, the salt and the iteration count, checks the client's proof against the stored key and sends
 * its own signature in the success data.
 *
 * <p>An unknown user gets a salt and iteration count derived from the user name and a per-instance secret, so the
 * exchange looks the same as for a real user (the same answer every time) and fails only at the proof.
 */
public final class ScramSha256Exchange implements SaslExchange {
    /** Iteration count announced for unknown users: the usual default of real credentials. */
    static final int FAKE_ITERATIONS = 4096;
    private static final int FAKE_SALT_LENGTH = 16;
    private static final int NONCE_BYTES = 18;
    private static final int HASH_LENGTH = 32;

    private enum State { NEW, WANT_CLIENT_FIRST, WANT_CLIENT_FINAL, DONE }

    private final AuthProvider provider;
    private final Supplier<String> nonceSource;
    private final byte[] secret;
    private State state = State.NEW;

    private String gs2Header;
    private String authzid;
    private String username;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredential credential;
    private boolean knownUser;

    /**
     * @param random source of server nonces
     * @param secret per-server secret from which fake salts for unknown users are derived
     */
    public ScramSha256Exchange(AuthProvider provider, SecureRandom random, byte[] secret) {
        this(provider, () -> newNonce(random), secret);
    }

    /** For tests: the server's part of the nonce is taken from {@code nonceSource}. */
    ScramSha256Exchange(AuthProvider provider, Supplier<String> nonceSource, byte[] secret) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.nonceSource = Objects.requireNonNull(nonceSource, "nonceSource");
        this.secret = secret.clone();
    }

    /** 24 printable characters (base64 never contains ','). */
    static String newNonce(SecureRandom random) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String mechanism() {
        return "SCRAM-SHA-256";
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        if (state != State.NEW) {
            return finish(SaslSupport.alreadyFinished());
        }
        if (initialResponse == null) {
            state = State.WANT_CLIENT_FIRST;
            return new SaslStep.Challenge(new byte[0]);
        }
        return clientFirst(initialResponse);
    }

    @Override
    public SaslStep next(byte[] response) {
        if (response == null) {
            return finish(SaslSupport.malformed("no response"));
        }
        switch (state) {
            case WANT_CLIENT_FIRST:
                return clientFirst(response);
            case WANT_CLIENT_FINAL:
                return clientFinal(response);
            default:
                return finish(SaslSupport.alreadyFinished());
        }
    }

    private SaslStep clientFirst(byte[] data) {
        String text = SaslSupport.utf8(data);
        if (text == null) {
            return finish(SaslSupport.malformed("SCRAM message is not valid UTF-8"));
        }
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        if (text.startsWith("p=")) {
            return finish(SaslSupport.malformed("SCRAM channel binding is not supported"));
        }
        if (!(text.startsWith("n,") || text.startsWith("y,"))) {
            return finish(SaslSupport.malformed("SCRAM gs2 header must start with 'n,' or 'y,'"));
        }
        int end = text.indexOf(',', 2);
        if (end < 0) {
            return finish(SaslSupport.malformed("SCRAM gs2 header is incomplete"));
        }
        String authzidField = text.substring(2, end);
        if (!authzidField.isEmpty()) {
            if (!authzidField.startsWith("a=")) {
                return finish(SaslSupport.malformed("SCRAM gs2 header has an invalid authzid"));
            }
            authzid = decodeSaslName(authzidField.substring(2));
            if (authzid == null) {
                return finish(SaslSupport.malformed("SCRAM authzid is not a valid saslname"));
            }
        }
        gs2Header = text.substring(0, end + 1);
        String bare = text.substring(end + 1);
        String[] attrs = bare.split(",", -1);
        if (attrs[0].startsWith("m=")) {
            return finish(SaslSupport.malformed("SCRAM mandatory extensions are not supported"));
        }
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=")) {
            return finish(SaslSupport.malformed("SCRAM client-first-message must be 'n=user,r=nonce'"));
        }
        String rawUser = decodeSaslName(attrs[0].substring(2));
        if (rawUser == null) {
            return finish(SaslSupport.malformed("SCRAM user name is not a valid saslname"));
        }
        String clientNonce = attrs[1].substring(2);
        if (clientNonce.isEmpty() || !isPrintable(clientNonce)) {
            return finish(SaslSupport.malformed("SCRAM client nonce must be printable and not empty"));
        }
        for (int i = 2; i < attrs.length; i++) {
            if (!isExtension(attrs[i])) {
                return finish(SaslSupport.malformed("SCRAM client-first-message has an invalid attribute"));
            }
        }
        String prepared = SaslSupport.prepOrNull(rawUser);
        if (prepared == null || prepared.isEmpty()) {
            return finish(SaslSupport.malformed("SCRAM user name has a character SASLprep prohibits"));
        }
        username = prepared;
        Optional<ScramCredential> found =
                SaslSupport.callProvider("SCRAM-SHA-256", () -> provider.scramSha256(prepared));
        if (found == null) {
            return finish(SaslSupport.temporary("auth provider failed"));
        }
        knownUser = found.isPresent();
        credential = found.orElseGet(() -> fakeCredential(prepared));
        nonce = clientNonce + nonceSource.get();
        clientFirstBare = bare;
        serverFirst = "r=" + nonce
                + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.WANT_CLIENT_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(byte[] data) {
        String text = SaslSupport.utf8(data);
        if (text == null) {
            return finish(SaslSupport.malformed("SCRAM message is not valid UTF-8"));
        }
        String[] attrs = text.split(",", -1);
        if (attrs.length < 3 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=")
                || !attrs[attrs.length - 1].startsWith("p=")) {
            return finish(SaslSupport.malformed("SCRAM client-final-message must be 'c=..,r=..,p=..'"));
        }
        for (int i = 2; i < attrs.length - 1; i++) {
            if (!isExtension(attrs[i])) {
                return finish(SaslSupport.malformed("SCRAM client-final-message has an invalid attribute"));
            }
        }
        byte[] channelBinding = decodeBase64(attrs[0].substring(2));
        if (channelBinding == null) {
            return finish(SaslSupport.malformed("SCRAM channel binding is not valid base64"));
        }
        if (!Arrays.equals(channelBinding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
            return finish(SaslSupport.malformed("SCRAM channel binding does not match the gs2 header"));
        }
        if (!attrs[1].substring(2).equals(nonce)) {
            return finish(SaslSupport.malformed("SCRAM nonce does not match"));
        }
        byte[] proof = decodeBase64(attrs[attrs.length - 1].substring(2));
        if (proof == null || proof.length != HASH_LENGTH) {
            return finish(SaslSupport.malformed("SCRAM proof is not 32 bytes of base64"));
        }
        String withoutProof = text.substring(0, text.lastIndexOf(','));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = credential.storedKey();
        byte[] clientSignature = SaslSupport.hmac("HmacSHA256", storedKey, authMessage);
        byte[] clientKey = new byte[HASH_LENGTH];
        for (int i = 0; i < HASH_LENGTH; i++) {
            clientKey[i] = (byte) (proof[i] ^ (i < clientSignature.length ? clientSignature[i] : 0));
        }
        boolean proofOk = MessageDigest.isEqual(SaslSupport.sha256(clientKey), storedKey);
        if (!proofOk || !knownUser) {
            return finish(SaslSupport.badCredentials("authentication failed"));
        }
        String user = credential.user();
        if (authzid != null && !authzid.equals(username) && !authzid.equals(user)) {
            return finish(SaslSupport.badCredentials("authorization identity differs from the authenticated user"));
        }
        byte[] serverSignature = SaslSupport.hmac("HmacSHA256", credential.serverKey(), authMessage);
        byte[] serverFinal = ("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.US_ASCII);
        return finish(new SaslStep.Success(user, serverFinal));
    }

    private SaslStep finish(SaslStep step) {
        state = State.DONE;
        credential = null;
        return step;
    }

    private ScramCredential fakeCredential(String user) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] salt = Arrays.copyOf(SaslSupport.hmac("HmacSHA256", secret, concat("salt", name)), FAKE_SALT_LENGTH);
        byte[] storedKey = SaslSupport.hmac("HmacSHA256", secret, concat("stored-key", name));
        byte[] serverKey = SaslSupport.hmac("HmacSHA256", secret, concat("server-key", name));
        return new ScramCredential(user, salt, FAKE_ITERATIONS, storedKey, serverKey);
    }

    private static byte[] concat(String label, byte[] name) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(l, l.length + 1 + name.length);
        System.arraycopy(name, 0, out, l.length + 1, name.length);
        return out;
    }

    /** saslname: no NUL, ',' only as "=2C", '=' only as "=3D"; {@code null} when invalid or empty. */
    static String decodeSaslName(String value) {
        if (value.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0' || c == ',') {
                return null;
            }
            if (c == '=') {
                if (value.startsWith("2C", i + 1)) {
                    out.append(',');
                } else if (value.startsWith("3D", i + 1)) {
                    out.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** printable = %x21-2B / %x2D-7E */
    private static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** attr-val = ALPHA "=" value; value = 1*value-char (no NUL, no ','). */
    private static boolean isExtension(String attr) {
        if (attr.length() < 3 || attr.charAt(1) != '=') {
            return false;
        }
        char a = attr.charAt(0);
        if (!((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z'))) {
            return false;
        }
        return attr.indexOf('\0') < 0;
    }

    private static byte[] decodeBase64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
