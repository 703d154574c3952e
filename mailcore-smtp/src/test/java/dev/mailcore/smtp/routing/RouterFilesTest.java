package dev.mailcore.smtp.routing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterFilesTest {

    @TempDir
    Path dir;

    private static final Set<String> USERS = Set.of("alice@example.org", "bob@example.org", "carol@example.org",
            "root@example.org", "john doe@example.org");

    private static Optional<String> lookup(MailAddress a) {
        String key = a.localPart() + "@" + a.normalizedDomain();
        return USERS.contains(key) ? Optional.of(key) : Optional.empty();
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static Resolution resolve(Router router, String address) {
        return router.resolve(MailAddress.parse(address));
    }

    private static Router.Builder builder() {
        return Router.builder().mailboxes(RouterFilesTest::lookup).localDomain("example.org");
    }

    @Test
    void readsAnAliasesFileWithCommentsContinuationLinesAndQuotedNames() throws IOException {
        Path aliases = write("aliases",
                "# system aliases",
                "",
                "postmaster: root",
                "   # an indented comment line is ignored too",
                "staff: alice,",
                "\tbob ,",
                "  carol, friend@partner.net",
                "\"sales team\": \"john doe\", alice",
                "Info@example.org: bob");
        Router router = builder().loadAliases(aliases).build();

        assertThat(resolve(router, "postmaster@example.org")).isEqualTo(Resolution.Local.of("root@example.org"));
        assertThat(resolve(router, "staff@example.org")).isEqualTo(new Resolution.Expanded(
                List.of("alice@example.org", "bob@example.org", "carol@example.org"),
                List.of(MailAddress.parse("friend@partner.net"))));
        assertThat(resolve(router, "\"sales team\"@example.org"))
                .isEqualTo(new Resolution.Local(List.of("john doe@example.org", "alice@example.org")));
        assertThat(resolve(router, "info@example.org")).isEqualTo(Resolution.Local.of("bob@example.org"));
    }

    @Test
    void reportsAnAliasLineWithoutColonWithFileAndLine() throws IOException {
        Path aliases = write("aliases", "# comment", "ok: bob", "broken line", "other: alice");
        assertThatThrownBy(() -> builder().loadAliases(aliases)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(aliases + ":3: ");
    }

    @Test
    void reportsTheFirstLineOfAContinuedEntryInError() throws IOException {
        Path aliases = write("aliases", "ok: bob", "bad: alice,", "  |/usr/bin/procmail");
        assertThatThrownBy(() -> builder().loadAliases(aliases)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(aliases + ":2: ").hasMessageContaining("not supported");
    }

    @Test
    void reportsAnInvalidMemberAddressWithItsLine() throws IOException {
        Path aliases = write("aliases", "ok: bob", "", "bad: alice@@example.org");
        assertThatThrownBy(() -> builder().loadAliases(aliases)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(aliases + ":3: ").hasMessageContaining("alice@@example.org");
    }

    @Test
    void reportsAnAliasWithoutMembers() throws IOException {
        Path aliases = write("aliases", "empty:   ");
        assertThatThrownBy(() -> builder().loadAliases(aliases)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(aliases + ":1: ").hasMessageContaining("no members");
    }

    @Test
    void reportsAContinuationLineAtTheStartOfTheFile() throws IOException {
        Path aliases = write("aliases", "  bob", "ok: bob");
        assertThatThrownBy(() -> builder().loadAliases(aliases)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(aliases + ":1: ");
    }

    @Test
    void reportsAMissingFile() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> builder().loadAliases(missing)).isInstanceOf(MailcoreException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void reportsAnAliasLoopFromAFile() throws IOException {
        Path aliases = write("aliases", "a: b", "b: a");
        assertThatThrownBy(() -> builder().loadAliases(aliases).build()).isInstanceOf(MailcoreException.class)
                .hasMessageContaining("alias loop");
    }

    @Test
    void readsAPostfixVirtualFile() throws IOException {
        Path virtual = write("virtual",
                "# Postfix virtual(5)",
                "shop.example            anything",
                "other.example",
                "info@shop.example       bob@example.org, sales@shop.example",
                "sales@shop.example      carol@example.org",
                "                        friend@partner.net",
                "@other.example          alice@example.org",
                "@old.example            @example.org");
        Router router = builder().loadVirtual(virtual).build();

        assertThat(resolve(router, "info@shop.example")).isEqualTo(new Resolution.Expanded(
                List.of("bob@example.org", "carol@example.org"), List.of(MailAddress.parse("friend@partner.net"))));
        assertThat(resolve(router, "nobody@shop.example")).isEqualTo(Resolution.UNKNOWN);
        assertThat(resolve(router, "whoever@other.example")).isEqualTo(Resolution.Local.of("alice@example.org"));
        assertThat(resolve(router, "carol@old.example")).isEqualTo(Resolution.Local.of("carol@example.org"));
        assertThat(resolve(router, "x@partner.net")).isEqualTo(Resolution.REMOTE);
    }

    @Test
    void theReadmeExampleRoutesAsDocumented() throws IOException {
        Path aliases = write("aliases",
                "# name: members",
                "postmaster: alice",
                "sales:      alice, bob,",
                "            partner@agency.example",
                "bob:        \\bob, bob@home.example");
        Path virtual = write("virtual",
                "shop.example            virtual-domain",
                "info@shop.example       alice@example.org, sales",
                "@shop.example           carol@example.org",
                "@old-example.org        @example.org");
        Router router = Router.builder().localDomain("example.org").mailboxes(RouterFilesTest::lookup)
                .loadAliases(aliases).loadVirtual(virtual).requirePostmaster(true).build();

        assertThat(resolve(router, "sales@example.org")).isEqualTo(new Resolution.Expanded(
                List.of("alice@example.org", "bob@example.org"),
                List.of(MailAddress.parse("bob@home.example"), MailAddress.parse("partner@agency.example"))));
        assertThat(resolve(router, "info@shop.example")).isEqualTo(resolve(router, "sales@example.org"));
        assertThat(resolve(router, "bob+news@example.org")).isEqualTo(new Resolution.Expanded(
                List.of("bob@example.org"), List.of(MailAddress.parse("bob@home.example"))));
        assertThat(resolve(router, "orders@shop.example")).isEqualTo(Resolution.Local.of("carol@example.org"));
        assertThat(resolve(router, "carol@old-example.org")).isEqualTo(Resolution.Local.of("carol@example.org"));
        assertThat(resolve(router, "postmaster@shop.example")).isEqualTo(Resolution.Local.of("alice@example.org"));
        assertThat(resolve(router, "nobody@example.org")).isEqualTo(Resolution.UNKNOWN);
    }

    @Test
    void reportsAVirtualEntryWithoutTargetWithFileAndLine() throws IOException {
        Path virtual = write("virtual", "shop.example x", "# c", "info@shop.example");
        assertThatThrownBy(() -> builder().loadVirtual(virtual)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(virtual + ":3: ").hasMessageContaining("info@shop.example");
    }

    @Test
    void reportsAnInvalidVirtualDomainWithItsLine() throws IOException {
        Path virtual = write("virtual", "shop.example x", "bad_domain!");
        assertThatThrownBy(() -> builder().loadVirtual(virtual)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(virtual + ":2: ");
    }

    @Test
    void reportsAnInvalidCatchAllTargetWithItsLine() throws IOException {
        Path virtual = write("virtual", "@shop.example bob@example.org @other.example");
        assertThatThrownBy(() -> builder().loadVirtual(virtual)).isInstanceOf(MailcoreException.class)
                .hasMessageStartingWith(virtual + ":1: ");
    }
}
