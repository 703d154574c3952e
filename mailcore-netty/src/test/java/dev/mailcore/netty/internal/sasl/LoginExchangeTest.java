package dev.mailcore.netty.internal.sasl;

import static dev.mailcore.netty.sasl.SaslStepAssert.challengeText;
import static dev.mailcore.netty.sasl.SaslStepAssert.failure;
import static dev.mailcore.netty.sasl.SaslStepAssert.success;
import static dev.mailcore.netty.sasl.SaslStepAssert.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailcore.netty.sasl.SaslStep.Reason;
import dev.mailcore.netty.sasl.TestAuthProvider;
import org.junit.jupiter.api.Test;

class LoginExchangeTest {
    private final TestAuthProvider provider = new TestAuthProvider().user("tim", "tanstaaftanstaaf");

    @Test
    void asksForUserNameThenPassword() {
        LoginExchange exchange = new LoginExchange(provider);
        assertThat(exchange.mechanism()).isEqualTo("LOGIN");

        assertThat(challengeText(exchange.start(null))).isEqualTo("Username:");
        assertThat(challengeText(exchange.next(utf8("tim")))).isEqualTo("Password:");
        success(exchange.next(utf8("tanstaaftanstaaf")), "tim");
    }

    @Test
    void takesTheInitialResponseAsTheUserName() {
        LoginExchange exchange = new LoginExchange(provider);

        assertThat(challengeText(exchange.start(utf8("tim")))).isEqualTo("Password:");
        success(exchange.next(utf8("tanstaaftanstaaf")), "tim");
    }

    @Test
    void treatsAnEmptyInitialResponseAsNone() {
        LoginExchange exchange = new LoginExchange(provider);

        assertThat(challengeText(exchange.start(new byte[0]))).isEqualTo("Username:");
    }

    @Test
    void rejectsAWrongPassword() {
        LoginExchange exchange = new LoginExchange(provider);
        exchange.start(utf8("tim"));

        failure(exchange.next(utf8("wrong")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void rejectsAnUnknownUserOnlyAfterThePassword() {
        LoginExchange exchange = new LoginExchange(provider);

        assertThat(challengeText(exchange.start(utf8("nobody")))).isEqualTo("Password:");
        failure(exchange.next(utf8("tanstaaftanstaaf")), Reason.BAD_CREDENTIALS);
    }

    @Test
    void appliesSaslPrepToUserNameAndPassword() {
        LoginExchange exchange = new LoginExchange(provider);
        exchange.start(utf8("t\u00ADim"));

        success(exchange.next(utf8("tanstaaf\u00ADtanstaaf")), "tim");
        assertThat(provider.calls).containsExactly("verify tim tanstaaftanstaaf");
    }

    @Test
    void passesATemporaryFailureOn() {
        LoginExchange exchange = new LoginExchange(new TestAuthProvider().failingTemporarily("try later"));
        exchange.start(utf8("tim"));

        failure(exchange.next(utf8("pw")), Reason.TEMPORARY);
    }

    @Test
    void rejectsEmptyOrProhibitedOrInvalidInput() {
        LoginExchange emptyUser = new LoginExchange(provider);
        emptyUser.start(null);
        failure(emptyUser.next(new byte[0]), Reason.MALFORMED);

        LoginExchange emptyPassword = new LoginExchange(provider);
        emptyPassword.start(utf8("tim"));
        failure(emptyPassword.next(new byte[0]), Reason.MALFORMED);

        failure(new LoginExchange(provider).start(utf8("tim\u0007")), Reason.MALFORMED);
        failure(new LoginExchange(provider).start(new byte[] {(byte) 0xFF}), Reason.MALFORMED);
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void rejectsMessagesAfterTheExchangeFinished() {
        LoginExchange exchange = new LoginExchange(provider);
        exchange.start(utf8("tim"));
        exchange.next(utf8("tanstaaftanstaaf"));

        failure(exchange.next(utf8("tanstaaftanstaaf")), Reason.MALFORMED);
        failure(exchange.start(null), Reason.MALFORMED);
    }
}
