package dev.mailcore.server.cli;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.DeliveryQueue;
import dev.mailcore.delivery.QueueAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mailcore-server queue ...} reaches the queue administration, with the server's --queue-dir flag. */
class QueueSubcommandTest {
    @TempDir
    Path spool;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A spool with one message whose recipient was deferred once. */
    private String queuedMessage() throws Exception {
        try (DeliveryQueue queue = DeliveryQueue.builder().spoolDirectory(spool).fsync(false)
                .transport((envelope, content) -> new DeliveryReport(List.of(new RecipientOutcome(
                        envelope.recipients().get(0).address(), DeliveryStatus.DEFERRED,
                        SmtpReply.of(451, "4.3.0", "try later")))))
                .build()) {
            String id = queue.enqueue(new Envelope(ReversePath.of(MailAddress.parse("alice@example.org")),
                    List.of(EnvelopeRecipient.of(MailAddress.parse("bob@remote.test"))), MailParameters.NONE),
                    MessageSource.of("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
            queue.runDue();
            return id;
        }
    }

    @Test
    void mainDispatchesQueueListWithTheServersQueueDirFlag() throws Exception {
        String id = queuedMessage();

        assertThat(main("queue", "list", "--queue-dir", spool.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains(id).contains("bob@remote.test")
                .contains("try later");
    }

    @Test
    void mainDispatchesHoldAndReleaseToTheSpool() throws Exception {
        String id = queuedMessage();

        assertThat(main("queue", "hold", "--queue-dir", spool.toString(), id)).isZero();
        assertThat(new QueueAdmin(spool).list().get(0).held()).isTrue();
        assertThat(main("queue", "release", "--queue-dir", spool.toString(), "ALL")).isZero();
        assertThat(new QueueAdmin(spool).list().get(0).held()).isFalse();
    }

    @Test
    void queueWithoutADirectoryIsAUsageError() {
        assertThat(main("queue", "list")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--queue-dir DIR");
    }

    @Test
    void helpShowsTheQueueSubcommandWithQueueDir() {
        assertThat(main("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--queue-dir DIR [ID...|ALL]")
                .contains("--relayhost-auth-file");
    }
}
