package dev.mailcore.smtp;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.Resolution;
import dev.mailcore.netty.ProtocolSupport.Refusal;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpProtocolTest {

    private static SmtpConfig.Builder minimal() {
        return SmtpConfig.builder().resolver(a -> Resolution.UNKNOWN).store(new MemoryStore()).executor(Runnable::run);
    }

    @Test
    void refusalsAreSmtpLinesNamingTheHost() {
        SmtpProtocol smtp = new SmtpProtocol(minimal().hostname("mx.example.org").build(), SmtpRole.MX);
        assertThat(smtp.refusal(Refusal.TOO_MANY_CONNECTIONS))
                .isEqualTo("421 4.7.0 mx.example.org Too many connections, try again later\r\n");
        assertThat(smtp.refusal(Refusal.TOO_MANY_FROM_IP))
                .isEqualTo("421 4.7.0 mx.example.org Too many connections, try again later\r\n");
        assertThat(smtp.refusal(Refusal.IDLE_TIMEOUT)).isEqualTo("421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
        assertThat(smtp.refusal(Refusal.SHUTDOWN)).isEqualTo("421 4.3.2 mx.example.org Service shutting down\r\n");
    }

    @Test
    void configHasPostfixLikeDefaults() {
        SmtpConfig config = minimal().build();
        assertThat(config.hostname()).isNotEmpty();
        assertThat(config.maxMessageSize()).isEqualTo(35L * 1024 * 1024);
        assertThat(config.maxRecipients()).isEqualTo(1000);
        assertThat(config.maxBadCommands()).isEqualTo(20);
        assertThat(config.maxLineLength()).isEqualTo(1000);
        assertThat(config.allowInsecureAuth()).isFalse();
        assertThat(config.authProvider()).isNull();
        assertThat(config.transport()).isNull();
        assertThat(config.filters()).isEmpty();
        assertThat(config.memoryThreshold()).isEqualTo(256 * 1024);
        assertThat(config.spoolDirectory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(config.policy()).isNotNull();
        assertThat(config.clock()).isNotNull();
    }

    @Test
    void configNeedsResolverStoreAndExecutor() {
        assertThatThrownBy(() -> minimal().resolver(null).build()).isInstanceOf(MailcoreException.class)
                .hasMessageContaining("resolver");
        assertThatThrownBy(() -> minimal().store(null).build()).hasMessageContaining("store");
        assertThatThrownBy(() -> minimal().executor(null).build()).hasMessageContaining("executor");
        assertThatThrownBy(() -> minimal().maxLineLength(100).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> minimal().hostname("bad host").build()).isInstanceOf(MailcoreException.class);
    }

    @Test
    void submissionRolesRequireAuth() {
        assertThat(SmtpRole.MX.requiresAuth()).isFalse();
        assertThat(SmtpRole.SUBMISSION.requiresAuth()).isTrue();
        assertThat(SmtpRole.SUBMISSIONS.requiresAuth()).isTrue();
    }
}
