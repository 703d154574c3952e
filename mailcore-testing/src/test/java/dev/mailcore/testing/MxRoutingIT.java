package dev.mailcore.testing;

import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link FakeDns} as the outbound queue's MX resolver: one TestMailServer relays to another through MX records. */
class MxRoutingIT {

    @Test
    void theQueueDeliversToTheReceiverTheFakeMxRecordsPointTo(@TempDir Path spool) throws Exception {
        try (TestMailServer receiver = TestMailServer.start("bob@remote.example:pw")) {
            FakeDns dns = new FakeDns().mx("remote.example", "mx.remote.example");
            try (TestMailServer sender = TestMailServer.builder().user("alice@example.com", "pw")
                    .listeners(MailListener.SUBMISSION)
                    .configure(b -> b.queue(spool)
                            .outboundSettings(t -> t.mxResolver(dns).port(receiver.smtpPort())))
                    .start()) {
                Transport.send(Mails.text(sender.clients().submission(), "alice@example.com", "bob@remote.example",
                        "over MX", "routed by FakeDns"));

                ReceivedMessage relayed = receiver.awaitMessage(m -> m.isFor("bob@remote.example"));
                assertThat(relayed).hasSender("alice@example.com").hasSubject("over MX")
                        .hasTextBodyContaining("routed by FakeDns");
                assertThat(dns.lookups()).contains("remote.example");
                assertThat(receiver.messageCount("bob@remote.example", "INBOX")).isEqualTo(1);
            }
        }
    }
}
