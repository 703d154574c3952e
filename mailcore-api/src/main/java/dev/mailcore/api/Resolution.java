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

    /** Not ours: the recipient's domain is not a local one. Relaying it needs authorisation. */
    record Remote() implements Resolution {
    }

    /** The domain is local but there is no such mailbox: 550 5.1.1 at RCPT time. */
    record Unknown() implements Resolution {
    }

    Resolution REMOTE = new Remote();
    Resolution UNKNOWN = new Unknown();
}
