package dev.mailcore.server.cli;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.store.maildir.MaildirStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The import/export subcommands against a Maildir store, as an administrator migrating mail would use them. */
class TransferTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void importsAnMboxWithFlagsAndExportsItAgain(@TempDir Path dir) throws Exception {
        Path mbox = dir.resolve("in.mbox");
        Files.writeString(mbox, """
                From alice@example.org Mon Jan  5 10:00:00 2026
                From: alice@example.org
                Subject: one
                Status: RO

                first
                >From the start
                
                From bob@example.org Tue Jan  6 11:00:00 2026
                From: bob@example.org
                Subject: two
                X-Status: F

                second
                """);
        String store = "--store=maildir:" + dir.resolve("mail");
        assertThat(run("import", "--user", "u@example.com", "--mbox", mbox.toString(), store)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 message(s) imported");

        try (MaildirStore s = MaildirStore.open(dir.resolve("mail"))) {
            List<MessageMeta> messages = s.messages(MailboxRef.inbox("u@example.com"));
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).flags().contains(Flag.SEEN)).isTrue();
            assertThat(messages.get(1).flags().contains(Flag.FLAGGED)).isTrue();
        }

        Path exported = dir.resolve("out.mbox");
        assertThat(run("export", "--user", "u@example.com", "--mailbox", "INBOX", "--mbox", exported.toString(),
                store)).isZero();
        String text = Files.readString(exported);
        assertThat(text).contains("Subject: one").contains(">From the start").contains("Subject: two");
    }

    @Test
    void missingArgumentsPrintUsageAndExitTwo() {
        assertThat(run("import", "--user", "u@example.com")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage:");
        assertThat(run("export", "--mbox")).isEqualTo(2);
    }
}
