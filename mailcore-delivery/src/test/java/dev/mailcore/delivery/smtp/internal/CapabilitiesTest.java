package dev.mailcore.delivery.smtp.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitiesTest {

    private static Capabilities of(String... lines) {
        return Capabilities.fromEhlo(new RemoteReply(250, List.of(lines)));
    }

    @Test
    void readsExtensionsCaseInsensitively() {
        Capabilities caps = of("mx.test Hello", "pipelining", "SIZE 35882577", "AUTH=LOGIN PLAIN", "AUTH LOGIN PLAIN",
                "8BITMIME", "SMTPUTF8");

        assertThat(caps.has("PIPELINING")).isTrue();
        assertThat(caps.has("smtputf8")).isTrue();
        assertThat(caps.has("CHUNKING")).isFalse();
        assertThat(caps.sizeLimit()).isEqualTo(35882577L);
        assertThat(caps.authMechanism("plain")).isTrue();
        assertThat(caps.authMechanism("CRAM-MD5")).isFalse();
    }

    @Test
    void theGreetingLineIsNotAnExtension() {
        assertThat(of("SIZE").has("SIZE")).isFalse();
    }

    @Test
    void sizeWithoutLimitIsZeroAndAbsentIsMinusOne() {
        assertThat(of("mx", "SIZE").sizeLimit()).isZero();
        assertThat(of("mx", "SIZE junk").sizeLimit()).isZero();
        assertThat(of("mx").sizeLimit()).isEqualTo(-1);
        assertThat(Capabilities.NONE.has("PIPELINING")).isFalse();
    }
}
