package dev.mailcore.imap.internal.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralHeaderTest {

    @Test
    void findsTheLiteralAnnouncedAtTheEndOfALine() {
        assertThat(LiteralHeader.find("a LOGIN {5}")).isEqualTo(new LiteralHeader(5, false, false, 8));
        assertThat(LiteralHeader.find("a APPEND x ~{12+}")).isEqualTo(new LiteralHeader(12, true, true, 11));
        assertThat(LiteralHeader.find("{0}")).isEqualTo(new LiteralHeader(0, false, false, 0));
        assertThat(LiteralHeader.find("x {99999999999999999999}").size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ignoresLinesThatDoNotEndWithALiteral() {
        assertThat(LiteralHeader.find("a NOOP")).isNull();
        assertThat(LiteralHeader.find("a {}")).isNull();
        assertThat(LiteralHeader.find("a {+}")).isNull();
        assertThat(LiteralHeader.find("a {5}x")).isNull();
        assertThat(LiteralHeader.find("a {5++}")).isNull();
        assertThat(LiteralHeader.find("a 5}")).isNull();
        assertThat(LiteralHeader.find("}")).isNull();
    }

    @Test
    void splitsAWireCommandIntoSegmentsAndLiterals() {
        CommandText text = CommandText.ofWire("a LOGIN {3}\r\njoe ~{2+}\r\nxy\r\n");
        assertThat(text.lines()).containsExactly("a LOGIN {3}", " ~{2+}", "");
        assertThat(text.literals()).extracting(Literal::size).containsExactly(3L, 2L);
        assertThat(text.literals().get(1).binary()).isTrue();
        assertThat(new String(text.literals().get(0).bytes())).isEqualTo("joe");
    }
}
