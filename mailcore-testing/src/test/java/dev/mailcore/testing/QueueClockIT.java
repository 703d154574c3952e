package dev.mailcore.testing;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.QueueListener;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's clock reaches the outbound queue: retries follow a {@link ManualClock}, not the wall clock. */
class QueueClockIT {

    @Test
    void aDeferredMessageIsRetriedWhenTheManualClockPassesItsRetryTime(@TempDir Path spool) throws Exception {
        ManualClock clock = new ManualClock();
        AtomicInteger attempts = new AtomicInteger();
        dev.mailcore.api.Transport deferOnce = (envelope, content) -> {
            boolean first = attempts.incrementAndGet() == 1;
            return new DeliveryReport(envelope.recipients().stream().map(r -> new RecipientOutcome(r.address(),
                    first ? DeliveryStatus.DEFERRED : DeliveryStatus.DELIVERED,
                    first ? SmtpReply.of(451, "4.3.0 try later") : SmtpReply.of(250, "2.0.0 ok"))).toList());
        };
        CompletableFuture<Instant> deferredUntil = new CompletableFuture<>();
        CompletableFuture<MailAddress> delivered = new CompletableFuture<>();
        QueueListener listener = new QueueListener() {
            @Override
            public void onDeferred(String queueId, MailAddress recipient, SmtpReply reply, Instant nextAttempt) {
                deferredUntil.complete(nextAttempt);
            }

            @Override
            public void onDelivered(String queueId, MailAddress recipient, SmtpReply reply) {
                delivered.complete(recipient);
            }
        };
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "pw")
                .listeners(MailListener.SUBMISSION).clock(clock)
                .configure(b -> b.queue(spool).transport(deferOnce).queueSettings(q -> q.listener(listener)))
                .start()) {
            Instant start = clock.instant();
            Transport.send(Mails.text(server.clients().submission(), "alice@example.com", "bob@remote.example",
                    "queued", "hello"));

            assertThat(deferredUntil.get(10, TimeUnit.SECONDS)).isEqualTo(start.plus(Duration.ofSeconds(300)));
            clock.advance(Duration.ofSeconds(299));
            assertThat(server.mailServer().queue().runDue()).isZero();
            assertThat(delivered).isNotDone();

            clock.advance(Duration.ofSeconds(1)); // the started queue's scheduler notices on its own
            assertThat(delivered.get(10, TimeUnit.SECONDS)).isEqualTo(MailAddress.parse("bob@remote.example"));
            assertThat(attempts).hasValue(2);
        }
    }
}
