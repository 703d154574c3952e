package dev.mailcore.api;

import java.util.List;

/** Where a {@link RecipientResolver} sends a recipient. */
public sealed interface Resolution {

    /** Deliver locally into the INBOX of each of these store users (one address may reach several: a group). */
    record Local(List<String> users) implements Resolution {
        public Local {
            users = List.copyOf(users);
            if (users.isEmpty()) {
                throw new MailcoreException("Local resolution needs at least one user");
            }
        }

        public static Local of(String user) {
            return new Local(List.of(user));
        }
    }

    /**
     * An alias or forward of one of our addresses: deliver locally to {@code users} (may be empty) and send on to
     * {@code forwards} (remote addresses; relaying them needs no authorisation because the address is ours). At
     * least one of the two lists is non-empty.
     */
    record Expanded(List<String> users, List<MailAddress> forwards) implements Resolution {
        public Expanded {
            users = List.copyOf(users);
            forwards = List.copyOf(forwards);
            if (users.isEmpty() && forwards.isEmpty()) {
                throw new MailcoreException("an expansion needs at least one user or forward");
            }
        }
    }

    /** Not ours: the recipient's domain is not a local one. Relaying it needs authorisation. */
    record Remote() implements Resolution {
    }

    /** The domain is local but there is no such mailbox: 550 5.1.1 at RCPT time. */
    record Unknown() implements Resolution {
    }

    Resolution REMOTE = new Remote();
    Resolution UNKNOWN = new Unknown();
}
