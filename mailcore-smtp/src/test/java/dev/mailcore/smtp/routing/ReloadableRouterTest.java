package dev.mailcore.smtp.routing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReloadableRouterTest {

    @TempDir
    Path dir;

    private static Optional<String> lookup(MailAddress a) {
        String key = a.localPart() + "@" + a.normalizedDomain();
        return key.equals("bob@example.org") || key.equals("carol@example.org") ? Optional.of(key) : Optional.empty();
    }

    private ReloadableRouter routerFor(Path aliases) {
        return ReloadableRouter.of(() -> Router.builder().mailboxes(ReloadableRouterTest::lookup)
                .localDomain("example.org").postmaster("bob@example.org").loadAliases(aliases).build());
    }

    private static Resolution team(ReloadableRouter router) {
        return router.resolve(MailAddress.parse("team@example.org"));
    }

    @Test
    void picksUpAChangedFileOnReload() throws IOException {
        Path aliases = dir.resolve("aliases");
        Files.writeString(aliases, "team: bob\n");
        ReloadableRouter router = routerFor(aliases);
        assertThat(team(router)).isEqualTo(Resolution.Local.of("bob@example.org"));

        Files.writeString(aliases, "team: carol\n");
        assertThat(team(router)).isEqualTo(Resolution.Local.of("bob@example.org"));
        Router fresh = router.reload();

        assertThat(router.current()).isSameAs(fresh);
        assertThat(team(router)).isEqualTo(Resolution.Local.of("carol@example.org"));
    }

    @Test
    void keepsTheOldRouterWhenTheNewFileIsBroken() throws IOException {
        Path aliases = dir.resolve("aliases");
        Files.writeString(aliases, "team: bob\n");
        ReloadableRouter router = routerFor(aliases);
        Router before = router.current();

        Files.writeString(aliases, "team: carol\nno colon here\n");
        assertThatThrownBy(router::reload).isInstanceOf(MailcoreException.class).hasMessageContaining(":2:");
        assertThat(router.current()).isSameAs(before);
        assertThat(team(router)).isEqualTo(Resolution.Local.of("bob@example.org"));

        Files.writeString(aliases, "team: carol\nloop: loop2\nloop2: loop\n");
        assertThatThrownBy(router::reload).isInstanceOf(MailcoreException.class).hasMessageContaining("alias loop");
        assertThat(router.current()).isSameAs(before);
    }

    @Test
    void failsAtOnceWhenTheFirstConfigurationDoesNotBuild() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> routerFor(missing)).isInstanceOf(MailcoreException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void wrapsOtherFactoryFailuresAndKeepsServing() {
        int[] calls = {0};
        ReloadableRouter router = ReloadableRouter.of(() -> {
            if (calls[0]++ > 0) {
                throw new IllegalStateException("config store down");
            }
            return Router.builder().localDomain("example.org").mailboxes(ReloadableRouterTest::lookup).build();
        });
        assertThatThrownBy(router::reload).isInstanceOf(MailcoreException.class)
                .hasMessageContaining("config store down");
        assertThat(router.resolve(MailAddress.parse("bob@example.org")))
                .isEqualTo(Resolution.Local.of("bob@example.org"));
    }
}
