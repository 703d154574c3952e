package dev.mailcore.imap.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.imap.ImapConfig;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.store.MemoryStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A MemoryStore, user alice/secret, and helpers to deliver messages and open logged-in sessions. */
abstract class ImapTestSupport {
    static final String MESSAGE = "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Hello\r\n"
            + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.org>\r\n\r\nHello Alice!\r\n";

    static final AuthProvider USERS = (user, password) -> user.equals("alice") && password.equals("secret")
            ? new AuthResult.Success("alice") : AuthResult.FAILURE;

    final MemoryStore store = MemoryStore.builder().build();
    private ImapProtocol protocol;

    ImapConfig.Builder configBuilder() {
        return ImapConfig.builder().store(store).authProvider(USERS).executor(Runnable::run);
    }

    ImapProtocol protocol() {
        if (protocol == null) {
            protocol = new ImapProtocol(configBuilder().build());
        }
        return protocol;
    }

    AppendResult deliver(String text, Flag... flags) {
        return deliver("INBOX", text, flags);
    }

    AppendResult deliver(String mailbox, String text, Flag... flags) {
        return store.append(new MailboxRef("alice", mailbox), MessageSource.of(text.getBytes(StandardCharsets.UTF_8)),
                Flags.of(flags), Instant.parse("2026-11-24T10:00:00Z"));
    }

    static String message(String subject, String body) {
        return "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: " + subject
                + "\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n" + body + "\r\n";
    }

    /** A new session, greeted and logged in. */
    ImapTester session() {
        ImapTester imap = ImapTester.connect(protocol());
        assertThat(imap.nextLine()).startsWith("* OK [CAPABILITY ");
        return imap.login();
    }

    /** A new session with INBOX selected. */
    ImapTester selected() {
        ImapTester imap = session();
        List<String> lines = imap.run("S1 SELECT INBOX");
        assertThat(lines.get(lines.size() - 1)).startsWith("S1 OK");
        return imap;
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
