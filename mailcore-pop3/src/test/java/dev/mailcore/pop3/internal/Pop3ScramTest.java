package dev.mailcore.pop3.internal;

import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.auth.ScramCredential;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.netty.sasl.ScramSha256;
import dev.mailcore.pop3.Pop3Config;
import dev.mailcore.pop3.Pop3Protocol;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** AUTH SCRAM-SHA-256: the server's final message goes as a "+ " continuation that the client answers empty. */
class Pop3ScramTest {
    private static final byte[] SALT = "pop3-salt-123456".getBytes(StandardCharsets.US_ASCII);

    private final AuthProvider provider = new AuthProvider() {
        @Override
        public AuthResult verifyPassword(String username, String password) {
            return AuthResult.FAILURE;
        }

        @Override
        public boolean supportsScramSha256() {
            return true;
        }

        @Override
        public Optional<ScramCredential> scramSha256(String username) {
            return username.equals("alice") ? Optional.of(ScramSha256.credential("alice", "secret", SALT, 4096))
                    : Optional.empty();
        }
    };

    @Test
    void scramSha256LogsInAfterTheClientAcknowledgesTheServerSignature() throws Exception {
        Pop3Protocol protocol = new Pop3Protocol(Pop3Config.builder().hostname("pop.example.org")
                .store(new MemoryStore()).authProvider(provider).executor(Runnable::run)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build()).build());
        Pop3Tester pop3 = Pop3Tester.connect(protocol, Pop3Tester.REMOTE);
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("SASL SCRAM-SHA-256");

        String clientFirstBare = "n=alice,r=clientnonce";
        pop3.send("AUTH SCRAM-SHA-256 " + b64("n,," + clientFirstBare));
        String serverFirst = unb64(continuation(pop3.readLine()));
        assertThat(serverFirst).startsWith("r=clientnonce");
        String nonce = serverFirst.split(",")[0].substring(2);
        String clientFinalWithoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("secret".toCharArray(), SALT, 4096, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] signature = hmac(MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        pop3.send(b64(clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));

        String serverFinal = unb64(continuation(pop3.readLine()));
        String expected = Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
        assertThat(serverFinal).isEqualTo("v=" + expected);
        pop3.send("").expectLine("+OK Logged in.");
    }

    private static String continuation(String line) {
        assertThat(line).startsWith("+ ");
        return line.substring(2);
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
