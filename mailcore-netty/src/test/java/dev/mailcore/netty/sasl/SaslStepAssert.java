package dev.mailcore.netty.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** Small assertion helpers for {@link SaslStep}s. */
public final class SaslStepAssert {
    private SaslStepAssert() {
    }

    /** Asserts a challenge and returns its data as UTF-8 text. */
    public static String challengeText(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.UTF_8);
    }

    /** Asserts a success for {@code user} and returns it. */
    public static SaslStep.Success success(SaslStep step, String user) {
        assertThat(step).isInstanceOf(SaslStep.Success.class);
        SaslStep.Success success = (SaslStep.Success) step;
        assertThat(success.user()).isEqualTo(user);
        return success;
    }

    /** Asserts a failure with {@code reason} and returns it. */
    public static SaslStep.Failure failure(SaslStep step, SaslStep.Reason reason) {
        assertThat(step).isInstanceOf(SaslStep.Failure.class);
        SaslStep.Failure failure = (SaslStep.Failure) step;
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.message()).isNotBlank();
        return failure;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
