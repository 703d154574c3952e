package dev.mailcore.delivery.smtp;

import java.util.Objects;

/**
 * Credentials for SMTP AUTH (PLAIN or LOGIN) to a smarthost. They are only ever sent over TLS.
 *
 * @param username the user name
 * @param password the password
 */
public record SmarthostAuth(String username, String password) {
    public SmarthostAuth {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "SmarthostAuth[username=" + username + ", password=***]";
    }
}
