package dev.mailcore.netty.internal.sasl;

import static dev.mailcore.netty.sasl.SaslStepAssert.challengeText;
import static dev.mailcore.netty.sasl.SaslStepAssert.failure;
import static dev.mailcore.netty.sasl.SaslStepAssert.success;
import static dev.mailcore.netty.sasl.SaslStepAssert.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.netty.sasl.SaslStep;
import dev.mailcore.netty.sasl.SaslStep.Reason;
import dev.mailcore.netty.sasl.ScramTestClient;
import dev.mailcore.netty.sasl.TestAuthProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

class ScramSha256ExchangeTest {
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final byte[] SECRET = "per-instance secret".getBytes(StandardCharsets.US_ASCII);

    private final TestAuthProvider provider = new TestAuthProvider().withScram()
            .user("user", "user", "pencil", RFC_SALT, 4096)
            .user("a,b=c", "a,b=c", "secret", "salt".getBytes(StandardCharsets.US_ASCII), 4096)
            .user("IX", "ix-canonical", "nine", "salt9".getBytes(StandardCharsets.US_ASCII), 4096);

    private ScramSha256Exchange exchange() {
        return new ScramSha256Exchange(provider, () -> SERVER_NONCE, SECRET);
    }

    @Test
    void reproducesTheRfc7677ExampleByteForByte() {
        ScramSha256Exchange exchange = exchange();
        assertThat(exchange.mechanism()).isEqualTo("SCRAM-SHA-256");

        SaslStep first = exchange.start(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(challengeText(first)).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        SaslStep last = exchange.next(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        SaslStep.Success ok = success(last, "user");
        assertThat(new String(ok.additionalData(), StandardCharsets.US_ASCII))
                .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void sendsAnEmptyChallengeWhenTheClientHasNoInitialResponse() throws Exception {
        ScramSha256Exchange exchange = exchange();
        assertThat(challengeText(exchange.start(null))).isEmpty();

        ScramTestClient client = new ScramTestClient("n,,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.next(utf8(client.clientFirst())));
        SaslStep last = exchange.next(utf8(client.clientFinal(serverFirst)));

        assertThat(new String(success(last, "user").additionalData(), StandardCharsets.US_ASCII))
                .isEqualTo(client.expectedServerFinal());
    }

    @Test
    void failsWithBadCredentialsForAWrongPassword() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "user", "pencil!", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        failure(exchange.next(utf8(client.clientFinal(serverFirst))), Reason.BAD_CREDENTIALS);
    }

    @Test
    void failsWithBadCredentialsForATamperedProof() {
        ScramSha256Exchange exchange = exchange();
        exchange.start(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));

        SaslStep last = exchange.next(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVA="));

        failure(last, Reason.BAD_CREDENTIALS);
    }

    @Test
    void rejectsAClientFinalMessageWithAnotherNonce() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        String forged = client.clientFinal(serverFirst, "c=biws,r=" + CLIENT_NONCE + "other");

        failure(exchange.next(utf8(forged)), Reason.MALFORMED);
    }

    @Test
    void rejectsAClientFinalMessageWhoseChannelBindingDoesNotRepeatTheGs2Header() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));
        String nonce = ScramTestClient.attributes(serverFirst).get("r");

        String forged = client.clientFinal(serverFirst, "c=eSws,r=" + nonce); // "y,," instead of "n,,"

        SaslStep.Failure failure = failure(exchange.next(utf8(forged)), Reason.MALFORMED);
        assertThat(failure.message()).contains("channel binding");
    }

    @Test
    void rejectsChannelBindingRequests() {
        SaslStep step = exchange().start(utf8("p=tls-server-end-point,,n=user,r=" + CLIENT_NONCE));

        SaslStep.Failure failure = failure(step, Reason.MALFORMED);
        assertThat(failure.message()).contains("channel binding").contains("not supported");
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void acceptsClientsThatSupportChannelBindingButThinkTheServerDoesNot() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("y,,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        success(exchange.next(utf8(client.clientFinal(serverFirst))), "user");
    }

    @Test
    void acceptsAnAuthorizationIdentityEqualToTheUser() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,a=user,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        success(exchange.next(utf8(client.clientFinal(serverFirst))), "user");
    }

    @Test
    void acceptsAnAuthorizationIdentityEqualToTheLoginNameOrTheCanonicalName() throws Exception {
        for (String authzid : new String[] {"IX", "ix-canonical"}) {
            ScramSha256Exchange exchange = exchange();
            ScramTestClient client = new ScramTestClient("n,a=" + authzid + ",", "IX", "nine", CLIENT_NONCE);
            String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

            success(exchange.next(utf8(client.clientFinal(serverFirst))), "ix-canonical");
        }
    }

    @Test
    void refusesToActForAnotherAuthorizationIdentity() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,a=admin,", "user", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        failure(exchange.next(utf8(client.clientFinal(serverFirst))), Reason.BAD_CREDENTIALS);
    }

    @Test
    void decodesEscapedCommaAndEqualsSignInUserNames() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,a=a=2Cb=3Dc,", "a=2Cb=3Dc", "secret", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        success(exchange.next(utf8(client.clientFinal(serverFirst))), "a,b=c");
        assertThat(provider.calls).containsExactly("scram a,b=c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=2cb", "a=41b", "a=b", "ab=", "ab=2"})
    void rejectsOtherEscapesInUserNames(String saslName) {
        failure(exchange().start(utf8("n,,n=" + saslName + ",r=" + CLIENT_NONCE)), Reason.MALFORMED);
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void appliesSaslPrepToTheUserNameAndSucceedsAsTheCanonicalUser() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "\u2168", "nine", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));

        success(exchange.next(utf8(client.clientFinal(serverFirst))), "ix-canonical");
        assertThat(provider.calls).containsExactly("scram IX");
    }

    @Test
    void rejectsMandatoryExtensions() {
        failure(exchange().start(utf8("n,,m=ext,n=user,r=" + CLIENT_NONCE)), Reason.MALFORMED);
    }

    @Test
    void ignoresOptionalExtensions() throws Exception {
        ScramSha256Exchange exchange = exchange();
        String serverFirst = challengeText(exchange.start(utf8("n,,n=user,r=" + CLIENT_NONCE + ",x=whatever")));

        assertThat(serverFirst).startsWith("r=" + CLIENT_NONCE + SERVER_NONCE + ",");
    }

    @Test
    void answersAnUnknownUserWithAStableFakeSaltAndFailsOnlyAtTheProof() throws Exception {
        ScramSha256Exchange first = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "nobody", "pencil", CLIENT_NONCE);
        String serverFirst = challengeText(first.start(utf8(client.clientFirst())));
        String again = challengeText(exchange().start(utf8(client.clientFirst())));
        String otherUser = challengeText(exchange().start(utf8("n,,n=somebody,r=" + CLIENT_NONCE)));
        String otherServer = challengeText(new ScramSha256Exchange(provider, () -> SERVER_NONCE,
                "another secret".getBytes(StandardCharsets.US_ASCII)).start(utf8(client.clientFirst())));

        assertThat(serverFirst).matches("r=" + CLIENT_NONCE + "\\Q" + SERVER_NONCE + "\\E,s=[A-Za-z0-9+/=]{24},i=4096");
        assertThat(again).isEqualTo(serverFirst);
        assertThat(salt(otherUser)).isNotEqualTo(salt(serverFirst));
        assertThat(salt(otherServer)).isNotEqualTo(salt(serverFirst));

        SaslStep.Failure failure = failure(first.next(utf8(client.clientFinal(serverFirst))), Reason.BAD_CREDENTIALS);
        SaslStep.Failure wrongPassword = failure(wrongPasswordForKnownUser(), Reason.BAD_CREDENTIALS);
        assertThat(failure.message()).isEqualTo(wrongPassword.message());
    }

    private SaslStep wrongPasswordForKnownUser() throws Exception {
        ScramSha256Exchange exchange = exchange();
        ScramTestClient client = new ScramTestClient("n,,", "user", "wrong", CLIENT_NONCE);
        String serverFirst = challengeText(exchange.start(utf8(client.clientFirst())));
        return exchange.next(utf8(client.clientFinal(serverFirst)));
    }

    private static String salt(String serverFirst) {
        return ScramTestClient.attributes(serverFirst).get("s");
    }

    @Test
    void reportsATemporaryFailureWhenTheProviderThrows() {
        TestAuthProvider broken = new TestAuthProvider().withScram().throwing();

        SaslStep step = new ScramSha256Exchange(broken, () -> SERVER_NONCE, SECRET)
                .start(utf8("n,,n=user,r=" + CLIENT_NONCE));

        failure(step, Reason.TEMPORARY);
    }

    @Test
    void rejectsEveryMessageAfterTheExchangeFinished() {
        ScramSha256Exchange exchange = exchange();
        exchange.start(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        exchange.next(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));

        failure(exchange.next(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")), Reason.MALFORMED);
        failure(exchange.start(null), Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n", "n,", "x,,n=user,r=abc", "n,,", "n,,n=user", "n,,r=abc,n=user",
            "n,,n=,r=abc", "n,,n=user,r=", "n,,n=user,r=a b", "n,b=x,n=user,r=abc", "n,a=,n=user,r=abc",
            "n,,n=user,r=abc,", "n,,n=user,r=abc,1=x", "n,,n=bell\u0007,r=abc"})
    void rejectsMalformedClientFirstMessages(String message) {
        failure(exchange().start(utf8(message)), Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c=biws", "c=biws,r=NONCE", "r=NONCE,c=biws,p=AAAA", "c=biws,r=NONCE,p=AAAA",
            "c=biws,r=NONCE,p=!!!!", "c=***,r=NONCE,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=biws,r=NONCE,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1",
            "c=biws,r=NONCE,,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="})
    void rejectsMalformedClientFinalMessages(String message) {
        ScramSha256Exchange exchange = exchange();
        exchange.start(utf8("n,,n=user,r=" + CLIENT_NONCE));

        failure(exchange.next(utf8(message.replace("NONCE", CLIENT_NONCE + SERVER_NONCE))), Reason.MALFORMED);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] message = utf8("n,,n=user,r=abc");
        message[7] = (byte) 0xC3;
        failure(exchange().start(message), Reason.MALFORMED);
    }

    @Test
    void neverThrowsOnRandomInput() {
        Random random = new Random(5802);
        String[] prefixes = {"", "n,,", "n,,n=user,r=", "y,a=", "c=biws,r="};
        for (int n = 0; n < 5_000; n++) {
            ScramSha256Exchange exchange = exchange();
            byte[] first = randomMessage(random, prefixes[random.nextInt(prefixes.length)]);
            SaslStep step = exchange.start(first);
            if (step instanceof SaslStep.Challenge) {
                step = exchange.next(randomMessage(random, "c=biws,r=" + CLIENT_NONCE + SERVER_NONCE + ","));
            }
            assertThat(step).isNotNull().isNotInstanceOf(SaslStep.Success.class);
        }
    }

    static byte[] randomMessage(Random random, String prefix) {
        byte[] tail = new byte[random.nextInt(24)];
        String alphabet = ",=a2CDnrcpm\0\u00e9";
        for (int i = 0; i < tail.length; i++) {
            tail[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                    : (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        byte[] head = utf8(prefix);
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
