package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsTest {

    @Test
    void parsesTheNullReversePath() {
        ReversePath p = ReversePath.parse("<>");
        assertThat(p.isNull()).isTrue();
        assertThat(p.address()).isEmpty();
        assertThat(p).isSameAs(ReversePath.nullPath()).hasToString("<>");
    }

    @Test
    void parsesAMailboxReversePath() {
        ReversePath p = ReversePath.parse("<a@b>");
        assertThat(p.isNull()).isFalse();
        assertThat(p.address()).contains(MailAddress.parse("a@b"));
        assertThat(p).hasToString("<a@b>").isEqualTo(ReversePath.of(MailAddress.parse("a@B")));
        assertThat(p).isNotEqualTo(ReversePath.nullPath());
        assertThat(p.hashCode()).isEqualTo(ReversePath.parse("<a@B>").hashCode());
    }

    @Test
    void reversePathOfNullAddressIsRefused() {
        assertThatThrownBy(() -> ReversePath.of(null)).isInstanceOf(AddressException.class);
    }

    @Test
    void dropsASourceRoute() {
        MailAddress a = Paths.parsePath("<@hop1,@hop2:user@c>");
        assertThat(a).isEqualTo(MailAddress.parse("user@c"));
        assertThat(ReversePath.parse("<@hop1.example,@hop2.example:user@c.example>"))
                .hasToString("<user@c.example>");
        assertThat(Paths.parsePath("<@hop1:\"john doe\"@c>").localPart()).isEqualTo("john doe");
    }

    @Test
    void parsesQuotedLocalPartsContainingBrackets() {
        assertThat(Paths.parsePath("<\"a>b\"@c>").localPart()).isEqualTo("a>b");
    }

    @Test
    void forwardPathMustNotBeNull() {
        assertThatThrownBy(() -> Paths.parsePath("<>")).isInstanceOf(AddressException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<@hop1,@hop2>", "<@hop1,@hop2user@c>", "<@:user@c>", "<@hop1,:user@c>",
        "<@hop1,,@hop2:user@c>", "<hop1:user@c>", "<@hop1,hop2:user@c>", "<@hop_1:user@c>", "<@hop1.:user@c>",
        "<@hop1:>", "<@hop1 :user@c>", "<@hop1,@hop2:@hop3:user@c>", "<@\"x\":user@c>", "<@hop1;@hop2:user@c>"})
    void rejectsMalformedSourceRoutes(String text) {
        assertThatThrownBy(() -> Paths.parsePath(text)).as(text).isInstanceOf(AddressException.class);
        assertThatThrownBy(() -> ReversePath.parse(text)).as(text).isInstanceOf(AddressException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "<a@b", "a@b>", "", "<", ">", "< >", "<<a@b>>", "<a@b> ", " <a@b>", "<a@b>x",
        "<< >>", "<>x", "x<>"})
    void rejectsMissingOrExtraBrackets(String text) {
        assertThatThrownBy(() -> ReversePath.parse(text)).as(text).isInstanceOf(AddressException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"< a@b>", "<a@b >", "<a @b>", "<a@ b>", "< >", "<\t>", "<a@b\r\n>", "< @hop:a@b>",
        "<@hop1, @hop2:a@b>", "<@hop1,@hop2: a@b>"})
    void rejectsSpacesInsideBrackets(String text) {
        assertThatThrownBy(() -> ReversePath.parse(text)).as(text).isInstanceOf(AddressException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> ReversePath.parse(null)).isInstanceOf(AddressException.class);
        assertThatThrownBy(() -> Paths.parsePath(null)).isInstanceOf(AddressException.class);
    }

    @Test
    void relayTricksInsidePathsResolveToTheFinalDomain() {
        assertThat(Paths.parsePath("<user%remote@local>").domain()).isEqualTo("local");
        assertThat(Paths.parsePath("<\"user@remote\"@local>").domain()).isEqualTo("local");
        assertThat(Paths.parsePath("<remote!user@local>").domain()).isEqualTo("local");
        assertThatThrownBy(() -> Paths.parsePath("<user@remote@local>")).isInstanceOf(AddressException.class);
    }
}
