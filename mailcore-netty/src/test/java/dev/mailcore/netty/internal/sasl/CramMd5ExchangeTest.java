package dev.mailcore.netty.internal.sasl;

import static dev.mailcore.netty.sasl.SaslStepAssert.challengeText;
import static dev.mailcore.netty.sasl.SaslStepAssert.failure;
import static dev.mailcore.netty.sasl.SaslStepAssert.success;
import static dev.mailcore.netty.sasl.SaslStepAssert.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.netty.sasl.SaslStep;
import dev.mailcore.netty.sasl.SaslStep.Reason;
import dev.mailcore.netty.sasl.TestAuthProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

class CramMd5ExchangeTest {
    private static final String RFC_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>";

    private final TestAuthProvider provider = new TestAuthProvider().withPlainText()
            .user("tim", "tanstaaftanstaaf")
            .user("Tim Smith", "tim.smith", "spaces", "s".getBytes(StandardCharsets.US_ASCII), 4096);

    private CramMd5Exchange exchange() {
        return new CramMd5Exchange(provider, () -> RFC_CHALLENGE);
    }

    @Test
    void reproducesTheRfc2195Example() {
        CramMd5Exchange exchange = exchange();
        assertThat(exchange.mechanism()).isEqualTo("CRAM-MD5");

        SaslStep challenge = exchange.start(null);
        assertThat(Base64.getEncoder().encodeToString(((SaslStep.Challenge) challenge).data()))
                .isEqualTo("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");

        SaslStep last = exchange.next(Base64.getDecoder().decode("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"));
        assertThat(success(last, "tim").additionalData()).isNull();
    }

    @Test
    void acceptsAnUppercaseHexDigest() {
        CramMd5Exchange exchange = exchange();
        exchange.start(null);

        success(exchange.next(utf8("tim B913A602C7EDA7A495B4E6E7334D3890")), "tim");
    }

    @Test
    void acceptsUserNamesContainingSpacesAndAnswersWithTheCanonicalName() throws Exception {
        CramMd5Exchange exchange = exchange();
        exchange.start(null);

        success(exchange.next(utf8("Tim Smith " + digest("spaces", RFC_CHALLENGE))), "tim.smith");
    }

    @Test
    void rejectsAWrongDigest() {
        CramMd5Exchange exchange = exchange();
        exchange.start(null);

        failure(exchange.next(utf8("tim b913a602c7eda7a495b4e6e7334d3891")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void rejectsAnUnknownUserExactlyLikeAWrongDigest() throws Exception {
        CramMd5Exchange unknown = exchange();
        unknown.start(null);
        CramMd5Exchange wrong = exchange();
        wrong.start(null);

        SaslStep.Failure a = failure(unknown.next(utf8("nobody " + digest("tanstaaftanstaaf", RFC_CHALLENGE))),
                Reason.BAD_CREDENTIALS);
        SaslStep.Failure b = failure(wrong.next(utf8("tim " + digest("guess", RFC_CHALLENGE))),
                Reason.BAD_CREDENTIALS);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void buildsChallengesFromRandomDigitsTimestampAndServerName() {
        SecureRandom random = new SecureRandom();
        CramMd5Exchange one = new CramMd5Exchange(provider, "mail.example.org", random);
        CramMd5Exchange two = new CramMd5Exchange(provider, "mail.example.org", random);

        String a = challengeText(one.start(null));
        String b = challengeText(two.start(null));

        assertThat(a).matches("<[0-9]+\\.[0-9]+@mail\\.example\\.org>");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void authenticatesAgainstItsOwnRandomChallenge() throws Exception {
        CramMd5Exchange exchange = new CramMd5Exchange(provider, "mail.example.org", new SecureRandom());
        String challenge = challengeText(exchange.start(new byte[0]));

        success(exchange.next(utf8("tim " + digest("tanstaaftanstaaf", challenge))), "tim");
    }

    @Test
    void rejectsAnInitialResponse() {
        failure(exchange().start(utf8("tim b913a602c7eda7a495b4e6e7334d3890")), Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tim", " b913a602c7eda7a495b4e6e7334d3890", "tim b913a602c7eda7a495b4e6e7334d389",
            "tim b913a602c7eda7a495b4e6e7334d38900", "tim b913a602c7eda7a495b4e6e7334d389g",
            "tim b913a602c7eda7a495b4e6e7334d389\u0663", "tim\u0007 b913a602c7eda7a495b4e6e7334d3890",
            "tim b913a602c7eda7a495b4e6e7334d3890 "})
    void rejectsMalformedResponses(String response) {
        CramMd5Exchange exchange = exchange();
        exchange.start(null);

        failure(exchange.next(utf8(response)), Reason.MALFORMED);
    }

    @Test
    void reportsATemporaryFailureWhenTheProviderThrows() {
        CramMd5Exchange exchange = new CramMd5Exchange(new TestAuthProvider().withPlainText().throwing(),
                () -> RFC_CHALLENGE);
        exchange.start(null);

        failure(exchange.next(utf8("tim b913a602c7eda7a495b4e6e7334d3890")), Reason.TEMPORARY);
    }

    @Test
    void rejectsMessagesAfterTheExchangeFinished() {
        CramMd5Exchange exchange = exchange();
        failure(exchange.next(utf8("tim b913a602c7eda7a495b4e6e7334d3890")), Reason.MALFORMED);

        CramMd5Exchange done = exchange();
        done.start(null);
        done.next(utf8("tim b913a602c7eda7a495b4e6e7334d3890"));
        failure(done.next(utf8("tim b913a602c7eda7a495b4e6e7334d3890")), Reason.MALFORMED);
    }

    @Test
    void neverThrowsOnRandomInput() {
        Random random = new Random(2195);
        for (int n = 0; n < 5_000; n++) {
            CramMd5Exchange exchange = exchange();
            exchange.start(null);
            byte[] response = ScramSha256ExchangeTest.randomMessage(random, random.nextBoolean() ? "tim " : "");
            assertThat(exchange.next(response)).isInstanceOf(SaslStep.Failure.class);
        }
    }

    private static String digest(String password, String challenge) throws Exception {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        return HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
    }
}
