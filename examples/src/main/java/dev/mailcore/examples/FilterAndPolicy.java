package dev.mailcore.examples;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.FilterResult;
import dev.mailcore.api.HeaderField;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.server.MailServer;

import java.util.List;

/**
 * A policy that refuses one sender domain at MAIL FROM, and a filter that tags every message with a header.
 */
public final class FilterAndPolicy {
    private FilterAndPolicy() {
    }

    /** Refuses mail from {@code spam.example}. */
    public static final class NoSpamDomain implements DeliveryPolicy {
        @Override
        public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
            boolean spam = from.address().map(a -> a.normalizedDomain().equals("spam.example")).orElse(false);
            return spam ? Decision.reject(550, "5.7.1", "Sender domain refused") : Decision.ACCEPT;
        }
    }

    public static MailServer create() {
        return MailServer.builder()
                .user("bob@example.com", "secret")
                .policy(new NoSpamDomain())
                .filter(message -> new FilterResult.Continue(
                        List.of(new HeaderField("X-Scanned-By", "mailcore example filter"))))
                .build();
    }

    public static void main(String[] args) throws Exception {
        try (MailServer server = create().start()) {
            System.out.println("SMTP on 127.0.0.1:" + server.smtpPort() + " - press Enter to stop");
            System.in.read();
        }
    }
}
