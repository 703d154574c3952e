package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderFieldTest {

    @Test
    void writesNameColonSpaceValueCrlf() {
        assertThat(new HeaderField("X-Spam-Score", "1.5").toWire()).isEqualTo("X-Spam-Score: 1.5\r\n");
        assertThat(new HeaderField("X-Empty", "").toWire()).isEqualTo("X-Empty: \r\n");
    }

    @Test
    void acceptsEveryPrintableCharacterExceptColonInTheName() {
        StringBuilder name = new StringBuilder();
        for (char c = 33; c <= 126; c++) {
            if (c != ':') {
                name.append(c);
            }
        }
        assertThat(new HeaderField(name.toString(), "v").name()).isEqualTo(name.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Spam", "X:Spam", "X-Spam:", "X\tSpam", "X\r\nBcc", "X-\u00e9", "X\u007f",
        "X\u0000"})
    void rejectsInvalidNames(String name) {
        assertThatThrownBy(() -> new HeaderField(name, "v")).as(name).isInstanceOf(MailcoreException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: victim@example.org", "a\rb", "a\nb", "a\r\n"})
    void rejectsCrOrLfInTheValue(String value) {
        assertThatThrownBy(() -> new HeaderField("X-Test", value)).isInstanceOf(MailcoreException.class);
    }

    @Test
    void acceptsTabsAndUtf8InTheValue() {
        assertThat(new HeaderField("Subject", "a\tb ünïcode").value()).isEqualTo("a\tb ünïcode");
    }

    @Test
    void rejectsNulls() {
        assertThatThrownBy(() -> new HeaderField(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new HeaderField("X", null)).isInstanceOf(NullPointerException.class);
    }
}
