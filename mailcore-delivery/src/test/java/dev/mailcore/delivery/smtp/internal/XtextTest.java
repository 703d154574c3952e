package dev.mailcore.delivery.smtp.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XtextTest {

    @Test
    void encodesPlusEqualsSpaceAndNonAscii() {
        assertThat(Xtext.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
        assertThat(Xtext.encode("é")).isEqualTo("+C3+A9");
        assertThat(Xtext.encode("plain-id.123")).isEqualTo("plain-id.123");
    }
}
