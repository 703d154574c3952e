package dev.mailcore.delivery.smtp;

import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.delivery.dns.StaticMxResolver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builder checks and the outcomes decided without any connection. */
class SmtpTransportBuilderTest {

    @Test
    void rejectsInvalidSettings() {
        SmtpTransport.Builder b = SmtpTransport.builder();
        assertThatThrownBy(() -> b.heloName("bad name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.port(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxConnectionsPerDestination(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectionReuseTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.blockSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.smarthost("", 25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route.Lmtp("store", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decidesNullMxMissingDomainsAndRoutingRefusalsWithoutConnecting() {
        Routes routes = Routes.builder()
                .route("gone.test", Routes.parseRoute("error:5.1.1 gone"))
                .route("void.test", Route.DISCARD)
                .build();
        try (SmtpTransport transport = SmtpTransport.builder().heloName("client.test").routes(routes)
                .mxResolver(StaticMxResolver.builder().nullMx("nomail.test").build()).build()) {
            var report = transport.deliver(SmtpTransportIT.envelope("a@sender.test", "x@nomail.test",
                    "y@missing.test", "z@gone.test", "w@void.test"),
                    MessageSource.of("x".getBytes(StandardCharsets.US_ASCII)));

            assertThat(report.outcomes()).extracting(RecipientOutcome::status).containsExactly(
                    DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.DELIVERED);
            assertThat(report.outcomes()).extracting(o -> o.reply().enhancedStatus())
                    .containsExactly("5.1.10", "5.1.2", "5.1.1", "2.0.0");
        }
    }
}
