package dev.mailcore.smtp.internal;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedHeaderTest {
    private static final ZonedDateTime DATE = ZonedDateTime.of(2026, 11, 25, 1, 48, 13, 0, ZoneOffset.UTC);

    @Test
    void buildsAFoldedTraceHeaderWithCrlfLineEnds() {
        String h = ReceivedHeader.build("client.example", new InetSocketAddress("192.0.2.7", 4000), "mx.example.org",
                "ESMTPS", "S1M1", "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", "bob@example.org", DATE);
        assertThat(h).isEqualTo("Received: from client.example ([192.0.2.7]) by mx.example.org (mailcore)\r\n"
                + "\twith ESMTPS id S1M1 (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tfor <bob@example.org>; Wed, 25 Nov 2026 01:48:13 +0000\r\n");
        for (String line : h.split("\r\n")) {
            assertThat(line.length()).isLessThan(78);
        }
    }

    @Test
    void writesIpv6LiteralsAndOmitsForWithSeveralRecipients() {
        String h = ReceivedHeader.build("[IPv6:2001:db8::1]", new InetSocketAddress("2001:db8::1", 4000), "mx",
                "ESMTP", "X", null, null, DATE);
        assertThat(h).contains("([IPv6:2001:db8::1])").doesNotContain("for <").doesNotContain("using")
                .endsWith("; Wed, 25 Nov 2026 01:48:13 +0000\r\n");
    }

    @Test
    void namesTheProtocolAsRfc3848AndRfc6531Say() {
        assertThat(ReceivedHeader.protocol(false, false, false, false)).isEqualTo("SMTP");
        assertThat(ReceivedHeader.protocol(true, false, false, false)).isEqualTo("ESMTP");
        assertThat(ReceivedHeader.protocol(true, false, true, true)).isEqualTo("ESMTPSA");
        assertThat(ReceivedHeader.protocol(true, false, false, true)).isEqualTo("ESMTPA");
        assertThat(ReceivedHeader.protocol(true, true, true, false)).isEqualTo("UTF8SMTPS");
    }

    @Test
    void foldsLongHeaderValuesAtSpaces() {
        String value = "word ".repeat(40).trim();
        String folded = HeaderFolding.fold("X-Long", value);
        assertThat(folded).endsWith("\r\n").contains("\r\n\t");
        assertThat(folded.replace("\r\n\t", " ")).isEqualTo("X-Long: " + value + "\r\n");
        for (String line : folded.split("\r\n")) {
            assertThat(line.length()).isLessThan(78);
        }
    }
}
