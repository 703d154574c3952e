package dev.mailcore.imap;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImapConfigTest {

    private static ImapConfig.Builder valid() {
        return ImapConfig.builder().store(new MemoryStore()).authProvider((u, p) -> AuthResult.FAILURE)
                .executor(Runnable::run);
    }

    @Test
    void hasDocumentedDefaults() {
        ImapConfig config = valid().build();
        assertThat(config.maxMessageSize()).isEqualTo(ImapConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(config.maxBadCommands()).isEqualTo(20);
        assertThat(config.autologoutTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.allowInsecureAuth()).isFalse();
        assertThat(config.authThrottle()).isNotNull();
    }

    @Test
    void requiresStoreAuthProviderAndExecutor() {
        assertThatThrownBy(() -> ImapConfig.builder().authProvider((u, p) -> AuthResult.FAILURE)
                .executor(Runnable::run).build()).isInstanceOf(MailcoreException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> ImapConfig.builder().store(new MemoryStore()).executor(Runnable::run).build())
                .isInstanceOf(MailcoreException.class).hasMessageContaining("authProvider");
        assertThatThrownBy(() -> ImapConfig.builder().store(new MemoryStore())
                .authProvider((u, p) -> AuthResult.FAILURE).build())
                .isInstanceOf(MailcoreException.class).hasMessageContaining("executor");
    }

    @Test
    void rejectsLimitsOutOfRange() {
        assertThatThrownBy(() -> valid().maxMessageSize(0).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().maxBadCommands(0).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().maxLineLength(100).build()).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> valid().hostname("bad host").build()).isInstanceOf(MailcoreException.class);
    }

    @Test
    void refusesConnectionsWithByeLines() {
        ImapProtocol imap = new ImapProtocol(valid().build());
        assertThat(imap.refusal(ProtocolSupport.Refusal.IDLE_TIMEOUT)).isEqualTo("* BYE Disconnected for inactivity.\r\n");
        assertThat(imap.refusal(ProtocolSupport.Refusal.SHUTDOWN)).startsWith("* BYE ").endsWith("\r\n");
        assertThat(imap.refusal(ProtocolSupport.Refusal.TOO_MANY_CONNECTIONS)).startsWith("* BYE ");
    }
}
