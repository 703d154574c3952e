package dev.mailcore.imap;

import dev.mailcore.api.SessionInfo;

/**
 * Observes the IMAP sessions (connect, commands, logins, close) and may answer a command differently: the hook for
 * test tooling (the mailcore-testing SDK records sessions and injects faults through it). Set it with
 * {@link ImapConfig.Builder#hooks}; the default does nothing.
 *
 * <p>Called on the connection's I/O thread: return quickly, no blocking, no I/O. An exception thrown by a hook is
 * logged and counts as {@link ImapAction#PROCEED}. One instance serves every connection, concurrently.
 */
public interface ImapHooks {

    /** Hooks that change nothing. */
    ImapHooks NONE = new ImapHooks() {
    };

    /**
     * Called when a command arrives, before the server handles it.
     *
     * @param session  the session as it is now ({@code heloName} is always null)
     * @param command  the command name in upper case, as described on {@link ImapAction}
     * @param argument what identifies the command's target, never a credential: described on {@link ImapAction}
     * @return what to do; {@link ImapAction#PROCEED} to go on as usual
     */
    default ImapAction before(SessionInfo session, String command, String argument) {
        return ImapAction.PROCEED;
    }

    /** Called when a client has connected, before the greeting is written. */
    default void connected(SessionInfo session) {
    }

    /**
     * Called when a client has logged in ({@code session.authenticated()} is the user).
     *
     * @param method {@code LOGIN}, or {@code AUTHENTICATE} and the SASL mechanism ({@code AUTHENTICATE PLAIN})
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
