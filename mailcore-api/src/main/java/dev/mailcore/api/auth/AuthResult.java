package dev.mailcore.api.auth;

import java.util.Objects;

/** The outcome of a password check. */
public sealed interface AuthResult {

    /**
     * The credentials are good.
     *
     * @param user the canonical user name: the owner of the mailboxes in the store
     */
    record Success(String user) implements AuthResult {
        public Success {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Wrong user name or password (the two are never told apart to the client). */
    record Failure() implements AuthResult {
    }

    /** The check could not be made now (directory down); the client may retry later. */
    record TemporaryFailure(String reason) implements AuthResult {
    }

    AuthResult FAILURE = new Failure();
}
