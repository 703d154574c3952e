package dev.mailcore.netty.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailcore.api.auth.ScramCredential;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

class ScramSha256Test {
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    @Test
    void derivesTheSameKeysAsTheHiFunctionOfRfc5802() throws Exception {
        ScramCredential credential = ScramSha256.credential("user", "pencil", RFC_SALT, 4096);

        byte[] salted = hi("pencil".getBytes(StandardCharsets.UTF_8), RFC_SALT, 4096);
        assertThat(credential.user()).isEqualTo("user");
        assertThat(credential.iterations()).isEqualTo(4096);
        assertThat(credential.salt()).isEqualTo(RFC_SALT);
        assertThat(credential.storedKey())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key")));
        assertThat(credential.serverKey()).isEqualTo(hmac(salted, "Server Key"));
    }

    @Test
    void encodesNonAsciiPasswordsAsUtf8AfterSaslPrep() throws Exception {
        ScramCredential credential = ScramSha256.credential("jürgen", "p\u00E4ss\u00A0w\u00ADord", RFC_SALT, 10);

        byte[] salted = hi("p\u00E4ss word".getBytes(StandardCharsets.UTF_8), RFC_SALT, 10);
        assertThat(credential.serverKey()).isEqualTo(hmac(salted, "Server Key"));
    }

    @Test
    void generatesADifferentRandomSaltForEveryCredential() {
        ScramCredential a = ScramSha256.credential("user", "pencil");
        ScramCredential b = ScramSha256.credential("user", "pencil");

        assertThat(a.salt()).hasSize(ScramSha256.DEFAULT_SALT_LENGTH).isNotEqualTo(b.salt());
        assertThat(a.iterations()).isEqualTo(ScramSha256.DEFAULT_ITERATIONS);
        assertThat(a.storedKey()).isNotEqualTo(b.storedKey());
    }

    @Test
    void rejectsEmptyOrProhibitedPasswordsAndBadParameters() {
        assertThatThrownBy(() -> ScramSha256.credential("u", "", RFC_SALT, 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramSha256.credential("u", "\u00AD", RFC_SALT, 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramSha256.credential("u", "bell\u0007", RFC_SALT, 4096))
                .isInstanceOf(SaslPrepException.class);
        assertThatThrownBy(() -> ScramSha256.credential("u", "pencil", new byte[0], 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramSha256.credential("u", "pencil", RFC_SALT, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Hi() written out as in RFC 5802 §2.2, independent of the JDK's PBKDF2. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(password, "HmacSHA256"));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
