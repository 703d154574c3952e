package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static dev.mailcore.smtp.policy.Sessions.from;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReloadableAccessRulesTest {
    @TempDir
    Path dir;

    @Test
    void reloadSwapsInTheNewRules() throws Exception {
        Path file = Files.writeString(dir.resolve("access"), "From:a@example.com REJECT\n");
        ReloadableAccessRules rules = ReloadableAccessRules.load(file);
        assertThat(rules.onMailFrom(from("192.0.2.1"), sender("a@example.com"), MailParameters.NONE))
                .isInstanceOf(Decision.Reject.class);

        Files.writeString(file, "From:b@example.com DISCARD\n");
        AccessRules fresh = rules.reload();
        assertThat(rules.current()).isSameAs(fresh);
        assertThat(rules.onMailFrom(from("192.0.2.1"), sender("a@example.com"), MailParameters.NONE))
                .isEqualTo(Decision.ACCEPT);
        assertThat(rules.onMailFrom(from("192.0.2.1"), sender("b@example.com"), MailParameters.NONE))
                .isEqualTo(Decision.DISCARD);
    }

    @Test
    void reloadKeepsTheOldRulesWhenTheNewFileHasErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("access"), "Connect:192.0.2.1 REJECT\n");
        ReloadableAccessRules rules = ReloadableAccessRules.load(file);
        AccessRules before = rules.current();

        Files.writeString(file, "Connect:192.0.2.2 REJECT\nConnect:192.0.2.3 MAYBE\n");
        assertThatThrownBy(rules::reload).isInstanceOf(AccessRulesException.class).hasMessageContaining("line 2");
        assertThat(rules.current()).isSameAs(before);
        assertThat(rules.onConnect(from("192.0.2.1"))).isInstanceOf(Decision.Reject.class);
        assertThat(rules.onConnect(from("192.0.2.2"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void reloadKeepsTheOldRulesWhenTheFileDisappears() throws Exception {
        Path file = Files.writeString(dir.resolve("access"), "To:x@example.com DISCARD\n");
        ReloadableAccessRules rules = ReloadableAccessRules.load(file);
        Files.delete(file);
        assertThatThrownBy(rules::reload).isInstanceOf(AccessRulesException.class);
        assertThat(rules.onRecipient(from("192.0.2.1"), sender("a@b.example"), Sessions.rcpt("x@example.com")))
                .isEqualTo(Decision.DISCARD);
    }

    @Test
    void failsAtStartWhenTheFileIsBad() throws Exception {
        Path file = Files.writeString(dir.resolve("access"), "nonsense\n");
        assertThatThrownBy(() -> ReloadableAccessRules.load(file)).isInstanceOf(AccessRulesException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void usesTheReverseLookupForHostRules() throws Exception {
        Path file = Files.writeString(dir.resolve("access"), "Connect:example.net REJECT\n");
        ReloadableAccessRules rules = ReloadableAccessRules.load(file, ip -> Optional.of("mx.example.net"));
        assertThat(rules.onConnect(from("192.0.2.1"))).isInstanceOf(Decision.Reject.class);
        Files.writeString(file, "Connect:example.org REJECT\n");
        rules.reload();
        assertThat(rules.onConnect(from("192.0.2.1"))).isEqualTo(Decision.ACCEPT);
    }
}
