package dev.mailcore.pop3;

import dev.mailcore.api.SessionInfo;

/**
 * Observes the POP3 sessions (connect, commands, logins, close) and may answer a command differently: the hook for
 * test tooling (the mailcore-testing SDK records sessions and injects faults through it). Set it with
 * {@link Pop3Config.Builder#hooks}; the default does nothing.
 *
 * <p>Called on the connection's I/O thread: return quickly, no blocking, no I/O. An exception thrown by a hook is
 * logged and counts as {@link Pop3Action#PROCEED}. One instance serves every connection, concurrently.
 */
public interface Pop3Hooks {

    /** Hooks that change nothing. */
    Pop3Hooks NONE = new Pop3Hooks() {
    };

    /**
     * Called when a command arrives, before the server handles it.
     *
     * @param session  the session as it is now ({@code heloName} is always null)
     * @param command  the command name in upper case, as described on {@link Pop3Action}
     * @param argument what identifies the command's target, never a credential: described on {@link Pop3Action}
     * @return what to do; {@link Pop3Action#PROCEED} to go on as usual
     */
    default Pop3Action before(SessionInfo session, String command, String argument) {
        return Pop3Action.PROCEED;
    }

    /** Called when a client has connected, before the greeting is written. */
    default void connected(SessionInfo session) {
    }

    /**
     * Called when a client has logged in and its maildrop is open ({@code session.authenticated()} is the user).
     *
     * @param method {@code USER/PASS}, {@code APOP}, or {@code AUTH} and the SASL mechanism ({@code AUTH PLAIN})
     */
    default void loggedIn(SessionInfo session, String method) {
    }

    /**
     * Called when a login was refused: the credentials were wrong or could not be checked (a temporary failure).
     *
     * @param method as for {@link #loggedIn}
     */
    default void loginFailed(SessionInfo session, String method) {
    }

    /** Called once when the connection has ended, by either side. */
    default void closed(SessionInfo session) {
    }
}
