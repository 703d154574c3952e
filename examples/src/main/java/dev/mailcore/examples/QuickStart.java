package dev.mailcore.examples;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.server.MailServer;

/**
 * The ten-line embedding example of the README: a server with one user on a free port, running until Enter.
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        try (MailServer server = MailServer.builder()
                .user("alice@example.com", "secret")
                .smtp(0)
                .build()
                .start()) {
            System.out.println("SMTP on 127.0.0.1:" + server.smtpPort() + " - press Enter to stop");
            System.in.read();
            System.out.println("alice has " + server.store().messages(MailboxRef.inbox("alice@example.com")).size()
                    + " message(s)");
        }
    }
}
