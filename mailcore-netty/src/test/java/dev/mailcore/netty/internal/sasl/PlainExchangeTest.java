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
import java.util.Random;

class PlainExchangeTest {
    private final TestAuthProvider provider = new TestAuthProvider()
            .user("tim", "tanstaaftanstaaf")
            .user("Kurt", "xipj3plmq")
            .user("IX", "ix-canonical", "IX pass", "s".getBytes(StandardCharsets.US_ASCII), 4096);

    private PlainExchange exchange() {
        return new PlainExchange(provider);
    }

    @Test
    void authenticatesTheFirstRfc4616ExampleAfterAnEmptyChallenge() {
        PlainExchange exchange = exchange();
        assertThat(exchange.mechanism()).isEqualTo("PLAIN");

        assertThat(challengeText(exchange.start(null))).isEmpty();
        SaslStep last = exchange.next(utf8("\0tim\0tanstaaftanstaaf"));

        assertThat(success(last, "tim").additionalData()).isNull();
    }

    @Test
    void refusesTheSecondRfc4616ExampleBecauseProxyAuthenticationIsNotSupported() {
        failure(exchange().start(utf8("Ursel\0Kurt\0xipj3plmq")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void authenticatesFromAnInitialResponse() {
        success(exchange().start(utf8("\0tim\0tanstaaftanstaaf")), "tim");
    }

    @Test
    void acceptsAnAuthorizationIdentityEqualToTheUser() {
        success(exchange().start(utf8("tim\0tim\0tanstaaftanstaaf")), "tim");
    }

    @Test
    void acceptsAnAuthorizationIdentityEqualToTheLoginNameOfAUserWithAnotherCanonicalName() {
        success(exchange().start(utf8("IX\0IX\0IX pass")), "ix-canonical");
    }

    @Test
    void acceptsAnAuthorizationIdentityEqualToTheCanonicalUser() {
        success(exchange().start(utf8("ix-canonical\0IX\0IX pass")), "ix-canonical");
    }

    @Test
    void refusesAnotherAuthorizationIdentityEvenWithTheRightPassword() {
        failure(exchange().start(utf8("admin\0tim\0tanstaaftanstaaf")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void rejectsAWrongPassword() {
        failure(exchange().start(utf8("\0tim\0tanstaaf")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void rejectsAnUnknownUserLikeAWrongPassword() {
        SaslStep.Failure unknown = failure(exchange().start(utf8("\0nobody\0tanstaaftanstaaf")),
                Reason.BAD_CREDENTIALS);
        SaslStep.Failure wrong = failure(exchange().start(utf8("\0tim\0x")), Reason.BAD_CREDENTIALS);

        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void appliesSaslPrepToUserNameAndPassword() {
        success(exchange().start(utf8("\0\u2168\0I\u00ADX\u00A0pass")), "ix-canonical");

        assertThat(provider.calls).containsExactly("verify IX IX pass");
    }

    @Test
    void passesATemporaryFailureOn() {
        TestAuthProvider down = new TestAuthProvider().failingTemporarily("ldap down");

        SaslStep.Failure failure = failure(new PlainExchange(down).start(utf8("\0tim\0pw")), Reason.TEMPORARY);
        assertThat(failure.message()).isEqualTo("ldap down");
    }

    @Test
    void turnsAProviderExceptionIntoATemporaryFailure() {
        failure(new PlainExchange(new TestAuthProvider().throwing()).start(utf8("\0tim\0pw")), Reason.TEMPORARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tim", "\0tim", "tim\0pw", "\0\0pw", "\0tim\0", "\0tim\0pw\0", "\0\0\0",
            "a\0tim\0pw\0x", "\0tim\0bell\u0007", "\0tim\u0007\0pw", "\0\u00AD\0pw"})
    void rejectsMalformedMessages(String message) {
        failure(exchange().start(utf8(message)), Reason.MALFORMED);
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] message = utf8("\0tim\0p\u00e9");
        message[message.length - 1] = (byte) 0x41; // lead byte 0xC3 followed by 'A'

        failure(exchange().start(message), Reason.MALFORMED);
    }

    @Test
    void rejectsMessagesAfterTheExchangeFinished() {
        PlainExchange exchange = exchange();
        exchange.start(utf8("\0tim\0tanstaaftanstaaf"));

        failure(exchange.next(utf8("\0tim\0tanstaaftanstaaf")), Reason.MALFORMED);
        failure(exchange.start(utf8("\0tim\0tanstaaftanstaaf")), Reason.MALFORMED);
    }

    @Test
    void neverThrowsOnRandomInput() {
        Random random = new Random(4616);
        for (int n = 0; n < 5_000; n++) {
            byte[] message = ScramSha256ExchangeTest.randomMessage(random, random.nextBoolean() ? "\0" : "");
            assertThat(exchange().start(message)).isInstanceOf(SaslStep.Failure.class);
        }
    }
}
