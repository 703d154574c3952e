package dev.mailcore.netty.sasl;

import static dev.mailcore.netty.sasl.SaslStepAssert.challengeText;
import static dev.mailcore.netty.sasl.SaslStepAssert.failure;
import static dev.mailcore.netty.sasl.SaslStepAssert.success;
import static dev.mailcore.netty.sasl.SaslStepAssert.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

class SaslMechanismsTest {

    @Test
    void offersOnlyPlainAndLoginForAPasswordOnlyProvider() {
        SaslMechanisms mechanisms = new SaslMechanisms(new TestAuthProvider(), "mx.example.org");

        assertThat(mechanisms.names()).containsExactly("PLAIN", "LOGIN");
        assertThat(mechanisms.start("CRAM-MD5")).isNull();
        assertThat(mechanisms.start("SCRAM-SHA-256")).isNull();
    }

    @Test
    void offersCramMd5WhenTheProviderRevealsPlainTextPasswords() {
        SaslMechanisms mechanisms = new SaslMechanisms(new TestAuthProvider().withPlainText(), "mx.example.org");

        assertThat(mechanisms.names()).containsExactly("CRAM-MD5", "PLAIN", "LOGIN");
        assertThat(mechanisms.start("SCRAM-SHA-256")).isNull();
    }

    @Test
    void offersScramFirstWhenTheProviderHasScramCredentials() {
        SaslMechanisms mechanisms = new SaslMechanisms(new TestAuthProvider().withScram(), "mx.example.org");

        assertThat(mechanisms.names()).containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
    }

    @Test
    void offersEverythingStrongestFirst() {
        SaslMechanisms mechanisms =
                new SaslMechanisms(new TestAuthProvider().withScram().withPlainText(), "mx.example.org");

        assertThat(mechanisms.names()).containsExactly("SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN");
        for (String name : mechanisms.names()) {
            assertThat(mechanisms.start(name).mechanism()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "Plain", "login", "cram-md5", "Scram-Sha-256"})
    void startsMechanismsCaseInsensitively(String name) {
        SaslMechanisms mechanisms =
                new SaslMechanisms(new TestAuthProvider().withScram().withPlainText(), "mx.example.org");

        assertThat(mechanisms.start(name).mechanism()).isEqualToIgnoringCase(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GSSAPI", "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", "XOAUTH2", "", "PLAIN ", "logın",
            "ſcram-sha-256"})
    void returnsNullForMechanismsNotOffered(String name) {
        SaslMechanisms mechanisms =
                new SaslMechanisms(new TestAuthProvider().withScram().withPlainText(), "mx.example.org");

        assertThat(mechanisms.start(name)).isNull();
    }

    @Test
    void startsAFreshExchangeEachTime() {
        SaslMechanisms mechanisms = new SaslMechanisms(new TestAuthProvider().user("tim", "pw"), "mx.example.org");

        success(mechanisms.start("PLAIN").start(utf8("\0tim\0pw")), "tim");
        success(mechanisms.start("PLAIN").start(utf8("\0tim\0pw")), "tim");
    }

    @Test
    void runsACramMd5ExchangeWithTheServerNameInTheChallenge() throws Exception {
        SaslMechanisms mechanisms =
                new SaslMechanisms(new TestAuthProvider().withPlainText().user("tim", "pw"), "mx.example.org");
        SaslExchange exchange = mechanisms.start("CRAM-MD5");

        String challenge = challengeText(exchange.start(null));
        assertThat(challenge).matches("<[0-9]+\\.[0-9]+@mx\\.example\\.org>");

        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(utf8("pw"), "HmacMD5"));
        String digest = HexFormat.of().formatHex(mac.doFinal(utf8(challenge)));
        success(exchange.next(utf8("tim " + digest)), "tim");
    }

    @Test
    void runsAScramExchangeWithARandomServerNonce() throws Exception {
        SaslMechanisms mechanisms =
                new SaslMechanisms(new TestAuthProvider().withScram().user("user", "pencil"), "mx.example.org");
        SaslExchange exchange = mechanisms.start("SCRAM-SHA-256");
        ScramTestClient client = new ScramTestClient("n,,", "user", "pencil", "clientNonce");

        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));
        String nonce = ScramTestClient.attributes(serverFirst).get("r");
        assertThat(nonce).startsWith("clientNonce").hasSizeGreaterThan("clientNonce".length() + 16)
                .matches("[\\x21-\\x2B\\x2D-\\x7E]+");

        SaslStep.Success ok = success(exchange.next(utf8(client.clientFinal(serverFirst))), "user");
        assertThat(new String(ok.additionalData(), StandardCharsets.US_ASCII)).isEqualTo(client.expectedServerFinal());

        String again = challengeText(mechanisms.start("SCRAM-SHA-256").start(utf8(client.clientFirst())));
        assertThat(ScramTestClient.attributes(again).get("r")).isNotEqualTo(nonce);
    }

    @Test
    void hidesUnknownScramUsersBehindASaltThatIsStablePerInstance() {
        TestAuthProvider provider = new TestAuthProvider().withScram();
        SaslMechanisms one = new SaslMechanisms(provider, "mx.example.org");
        SaslMechanisms two = new SaslMechanisms(provider, "mx.example.org");
        byte[] first = utf8("n,,n=ghost,r=abc");

        String a = challengeText(one.start("SCRAM-SHA-256").start(first));
        String b = challengeText(one.start("SCRAM-SHA-256").start(first));
        String c = challengeText(two.start("SCRAM-SHA-256").start(first));

        assertThat(ScramTestClient.attributes(a).get("s")).isEqualTo(ScramTestClient.attributes(b).get("s"))
                .isNotEqualTo(ScramTestClient.attributes(c).get("s"));
        assertThat(ScramTestClient.attributes(a).get("i")).isEqualTo("4096");
    }

    @Test
    void failsUnknownUsersAndTemporaryFailuresWithDistinctReasons() {
        SaslMechanisms mechanisms = new SaslMechanisms(new TestAuthProvider(), "mx.example.org");
        failure(mechanisms.start("PLAIN").start(utf8("\0ghost\0pw")), SaslStep.Reason.BAD_CREDENTIALS);

        SaslMechanisms down = new SaslMechanisms(new TestAuthProvider().failingTemporarily("down"), "mx");
        SaslExchange login = down.start("LOGIN");
        login.start(utf8("ghost"));
        failure(login.next(utf8("pw")), SaslStep.Reason.TEMPORARY);
    }
}
