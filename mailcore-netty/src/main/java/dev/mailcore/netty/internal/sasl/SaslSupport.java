package dev.mailcore.netty.internal.sasl;

import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.netty.sasl.SaslPrep;
import dev.mailcore.netty.sasl.SaslPrepException;
import dev.mailcore.netty.sasl.SaslStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Helpers shared by the mechanisms: strict UTF-8, outcome mapping, HMAC. */
public final class SaslSupport {
    private static final Logger LOG = LoggerFactory.getLogger(SaslSupport.class);

    private SaslSupport() {
    }

    /** Decodes strict UTF-8; {@code null} when the bytes are not valid UTF-8. */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** SASLprep as a query; {@code null} when the string is prohibited. */
    public static String prepOrNull(String s) {
        try {
            return SaslPrep.prepare(s);
        } catch (SaslPrepException e) {
            return null;
        }
    }

    public static SaslStep.Failure malformed(String message) {
        return new SaslStep.Failure(SaslStep.Reason.MALFORMED, message);
    }

    public static SaslStep.Failure badCredentials(String message) {
        return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, message);
    }

    public static SaslStep.Failure temporary(String message) {
        return new SaslStep.Failure(SaslStep.Reason.TEMPORARY, message);
    }

    /** The step for a finished exchange being fed more input. */
    public static SaslStep.Failure alreadyFinished() {
        return malformed("exchange already finished");
    }

    /**
     * Calls the auth provider; a runtime exception from it becomes {@code null} (logged) so that the caller can
     * answer with a temporary failure instead of throwing into the protocol layer.
     */
    public static <T> T callProvider(String mechanism, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.warn("auth provider failed during {}", mechanism, e);
            return null;
        }
    }

    /** Maps the outcome of a password check to a final step. */
    public static SaslStep fromAuthResult(AuthResult result) {
        if (result instanceof AuthResult.Success) {
            return new SaslStep.Success(((AuthResult.Success) result).user(), null);
        }
        if (result instanceof AuthResult.TemporaryFailure) {
            String reason = ((AuthResult.TemporaryFailure) result).reason();
            return temporary(reason == null ? "authentication temporarily unavailable" : reason);
        }
        if (result == null) {
            return temporary("auth provider failed");
        }
        return badCredentials("authentication failed");
    }

    /** HMAC with the JDK; an empty key is allowed (it is equivalent to a single zero byte, RFC 2104 padding). */
    public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
    }

    /** SHA-256 digest. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }
}
