package dev.mailcore.smtp;

import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.Resolution;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpConfigTest {
    static SmtpConfig.Builder minimal() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(a -> Resolution.REMOTE)
                .store(new MemoryStore()).executor(Runnable::run);
    }

    @Test
    void sessionLimitsDefaultToRfc5321AndPostfixValues() {
        SmtpConfig config = minimal().build();
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.dataTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.maxTransactionsPerConnection()).isZero();
        assertThat(config.maxRecipients()).isEqualTo(1000);
        assertThat(config.authThrottle()).isNotNull();
    }

    @Test
    void takesTheSessionLimitsGiven() {
        AuthThrottle throttle = AuthThrottle.withDefaults();
        SmtpConfig config = minimal().commandTimeout(Duration.ofSeconds(30)).dataTimeout(Duration.ZERO)
                .maxTransactionsPerConnection(7).authThrottle(throttle).build();
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.dataTimeout()).isZero();
        assertThat(config.maxTransactionsPerConnection()).isEqualTo(7);
        assertThat(config.authThrottle()).isSameAs(throttle);
    }

    @Test
    void refusesNegativeSessionLimits() {
        assertThatThrownBy(() -> minimal().commandTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> minimal().dataTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> minimal().maxTransactionsPerConnection(-1).build())
                .isInstanceOf(MailcoreException.class);
    }

    @Test
    void eachConfigGetsItsOwnThrottleUnlessOneIsShared() {
        SmtpConfig.Builder builder = SmtpConfig.builder().resolver(a -> null).store(new dev.mailcore.store.MemoryStore())
                .executor(Runnable::run);
        assertThat(builder.build().authThrottle()).isNotSameAs(builder.build().authThrottle());
        AuthThrottle shared = AuthThrottle.withDefaults();
        assertThat(builder.authThrottle(shared).build().authThrottle()).isSameAs(shared);
    }
}
