package dev.mailcore.smtp.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathArgumentTest {
    private static final ReplyException SYNTAX = new ReplyException(501, "5.5.4", "Syntax");
    private static final ReplyException ADDRESS = new ReplyException(501, "5.1.7", "Address");

    @Test
    void splitsPathAndParameters() {
        PathArgument a = PathArgument.parse("FROM:<a@b.example> SIZE=10  BODY=8BITMIME", "FROM:", SYNTAX, ADDRESS);
        assertThat(a.path()).isEqualTo("<a@b.example>");
        assertThat(a.parameters()).containsExactly("SIZE=10", "BODY=8BITMIME");
    }

    @Test
    void toleratesOneSpaceAfterTheColonAndLowerCase() {
        assertThat(PathArgument.parse("from: <a@b>", "FROM:", SYNTAX, ADDRESS).path()).isEqualTo("<a@b>");
        assertThatThrownBy(() -> PathArgument.parse("FROM:  <a@b>", "FROM:", SYNTAX, ADDRESS)).isSameAs(ADDRESS);
    }

    @Test
    void keepsQuotedBracketsAndSpacesInsideThePath() {
        PathArgument a = PathArgument.parse("TO:<\"a> b\"@x.example>", "TO:", SYNTAX, ADDRESS);
        assertThat(a.path()).isEqualTo("<\"a> b\"@x.example>");
        assertThat(a.parameters()).isEqualTo(List.of());
    }

    @Test
    void rejectsMissingPrefixAndBrokenPaths() {
        assertThatThrownBy(() -> PathArgument.parse("<a@b>", "FROM:", SYNTAX, ADDRESS)).isSameAs(SYNTAX);
        assertThatThrownBy(() -> PathArgument.parse("FROM:a@b", "FROM:", SYNTAX, ADDRESS)).isSameAs(ADDRESS);
        assertThatThrownBy(() -> PathArgument.parse("FROM:<a@b", "FROM:", SYNTAX, ADDRESS)).isSameAs(ADDRESS);
        assertThatThrownBy(() -> PathArgument.parse("FROM:<a@b>x", "FROM:", SYNTAX, ADDRESS)).isSameAs(ADDRESS);
    }
}
