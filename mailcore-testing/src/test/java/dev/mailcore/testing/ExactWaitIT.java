package dev.mailcore.testing;

import dev.mailcore.api.store.StoreEvent;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A message counts only once the server's 250 is on the wire: with the reply held back after the message was
 * stored, a wait keyed on the store would return early; the SDK's waits must not.
 */
class ExactWaitIT {

    @Test
    void aWaitDoesNotReturnBeforeTheClientIsToldTheMessageWasAccepted() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x").start()) {
            String user = server.mailServer().users().lookup(dev.mailcore.api.MailAddress.parse("alice@example.com"))
                    .orElseThrow();
            CountDownLatch stored = new CountDownLatch(1);
            server.store().subscribe(user, e -> {
                if (e instanceof StoreEvent.MessagesAdded) {
                    stored.countDown();
                }
            });
            server.faults().onEndOfData().stall(Duration.ofSeconds(2));

            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    Transport.send(Mails.text(server.clients().smtp(), "a@client.example", "alice@example.com",
                            "held", "body"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(stored.await(10, TimeUnit.SECONDS)).as("message stored").isTrue();
            // stored, but the 250 has not been written: nothing counts yet
            assertThat(server.received()).isEmpty();
            assertThatThrownBy(() -> server.awaitMessages(1, Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("0 messages arrived");
            assertThat(send).as("client still waiting for the 250").isNotDone();

            assertThat(server.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
            send.get(10, TimeUnit.SECONDS); // the client got its 250: no exception
        }
    }

    @Test
    void aRefusedMessageNeverCounts() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x").start()) {
            server.faults().onEndOfData().once().reply(451, "4.3.0 try again");
            assertThatThrownBy(() -> Transport.send(Mails.text(server.clients().smtp(), "a@client.example",
                    "alice@example.com", "refused", "body"))).hasMessageContaining("451");
            Transport.send(Mails.text(server.clients().smtp(), "a@client.example", "alice@example.com", "accepted",
                    "body"));
            assertThat(server.awaitMessages(1)).extracting(ReceivedMessage::subject).containsExactly("accepted");
            assertThat(server.messageCount("alice@example.com", "INBOX")).isEqualTo(1);
        }
    }
}
