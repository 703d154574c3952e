package dev.mailcore.imap.internal.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModifiedUtf7Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INBOX|INBOX",
        "~peter/mail/台北/日本語|~peter/mail/&U,BTFw-/&ZeVnLIqe-",
        "Entwürfe|Entw&APw-rfe",
        "a&b|a&-b",
        "&|&-",
        "Gesendete Objekte|Gesendete Objekte",
        "😀|&2D3eAA-",
        "Ünïcödé|&ANw-n&AO8-c&APY-d&AOk-",
    })
    void encodesAndDecodesTheRfcExamplesAndOthers(String text, String encoded) {
        assertThat(ModifiedUtf7.encode(text)).isEqualTo(encoded);
        assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(text);
    }

    @Test
    void encodesControlCharactersInBase64() {
        assertThat(ModifiedUtf7.encode("a\tb")).isEqualTo("a&AAk-b");
        assertThat(ModifiedUtf7.decode("a&AAk-b")).isEqualTo("a\tb");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&U,BTFw",           // unterminated shift
        "&U,BTFw-&ZeVnLIqe-", // adjacent shifts (a null shift)
        "&AGE-",             // printable ASCII 'a' encoded
        "&U/BTFw-",          // '/' is not modified BASE64
        "&U,BTF-",           // leftover bits that do not make a character
        "&APx-\u00fc",       // 8-bit character
        "a\tb",              // control character
        "&2D3-",             // lone high surrogate
        "&3gA-",             // lone low surrogate
        "&AP-",              // non-zero padding bits
        "&=-",               // not BASE64 at all
    })
    void rejectsMalformedNames(String encoded) {
        assertThatThrownBy(() -> ModifiedUtf7.decode(encoded))
                .isInstanceOf(ModifiedUtf7.MalformedNameException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Property(tries = 500)
    void decodingAnEncodedNameGivesItBack(@ForAll String name) {
        String encoded = ModifiedUtf7.encode(name);
        assertThat(encoded).matches("[\\x20-\\x7e]*");
        if (name.codePoints().allMatch(cp -> !Character.isSurrogate((char) cp) || cp > 0xffff)) {
            assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(name);
        }
    }
}
