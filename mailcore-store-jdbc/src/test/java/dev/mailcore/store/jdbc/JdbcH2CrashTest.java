package dev.mailcore.store.jdbc;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What an append returned survives the process dying right after it, without close (H2 file database). */
class JdbcH2CrashTest {

    @Test
    void everyAppendThatReturnedIsThereAfterTheProcessDies(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mail");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), url, "20")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Long> returned = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.matches("\\d+")) {
                    returned.add(Long.parseLong(line));
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(returned).hasSize(20);

        try (JdbcStore again = JdbcStore.open(url)) {
            List<Long> stored = again.messages(MailboxRef.inbox("alice")).stream().map(MessageMeta::uid).toList();
            assertThat(stored).containsExactlyElementsOf(returned);
        }
    }
}
