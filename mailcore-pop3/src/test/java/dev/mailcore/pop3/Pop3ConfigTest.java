package dev.mailcore.pop3;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.store.MemoryStore;
import dev.mailcore.pop3.internal.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pop3ConfigTest {
    private Pop3Config.Builder valid() {
        return Pop3Config.builder().store(new MemoryStore()).authProvider(new TestUsers()).executor(Runnable::run);
    }

    @Test
    void defaultsFollowTheRfcsAndDovecot() {
        Pop3Config config = valid().build();
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.maxLineLength()).isEqualTo(4096);
        assertThat(config.apop()).isFalse();
        assertThat(config.allowInsecureAuth()).isFalse();
        assertThat(config.markSeen()).isTrue();
        assertThat(config.expire()).isNull();
        assertThat(config.loginDelay()).isNull();
        assertThat(config.authThrottle()).isNotNull();
    }

    @Test
    void storeAuthProviderAndExecutorAreRequired() {
        assertThatThrownBy(() -> Pop3Config.builder().authProvider(new TestUsers()).executor(Runnable::run).build())
                .isInstanceOf(MailcoreException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> Pop3Config.builder().store(new MemoryStore()).executor(Runnable::run).build())
                .isInstanceOf(MailcoreException.class).hasMessageContaining("authProvider");
        assertThatThrownBy(() -> Pop3Config.builder().store(new MemoryStore()).authProvider(new TestUsers())
                .build()).isInstanceOf(MailcoreException.class).hasMessageContaining("executor");
    }

    @Test
    void apopNeedsClearTextPasswords() {
        assertThatThrownBy(() -> valid().authProvider((u, p) -> AuthResult.FAILURE).apop(true).build())
                .isInstanceOf(MailcoreException.class).hasMessageContaining("APOP");
        assertThat(valid().apop(true).build().apop()).isTrue();
    }

    @Test
    void limitsAndAdvertisedValuesAreChecked() {
        assertThatThrownBy(() -> valid().maxLineLength(100).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().idleTimeout(Duration.ZERO).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().expire("soon").build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().hostname("bad host").build()).isInstanceOf(MailcoreException.class);
        assertThat(valid().expire("30 USER").build().expire()).isEqualTo("30 USER");
        assertThat(valid().loginDelay(Duration.ofSeconds(900)).build().loginDelay()).hasSeconds(900);
    }

    @Test
    void protocolRefusalsArePop3ErrorLines() {
        Pop3Protocol protocol = new Pop3Protocol(valid().build());
        for (dev.mailcore.netty.ProtocolSupport.Refusal r : dev.mailcore.netty.ProtocolSupport.Refusal.values()) {
            assertThat(protocol.refusal(r)).startsWith("-ERR ").endsWith("\r\n");
        }
        assertThat(protocol.refusal(dev.mailcore.netty.ProtocolSupport.Refusal.IDLE_TIMEOUT))
                .isEqualTo("-ERR Disconnected for inactivity.\r\n");
    }
}
