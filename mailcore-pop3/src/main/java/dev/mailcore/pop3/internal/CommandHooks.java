package dev.mailcore.pop3.internal;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.pop3.Pop3Hooks;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the configured {@link Pop3Hooks} what a session does; kept apart so the session only has one call to make. */
final class CommandHooks {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHooks.class);

    private CommandHooks() {
    }

    static Pop3Action before(Pop3Hooks hooks, ConnectionContext context, Channel channel, String user, String verb,
                             String arg) {
        if (hooks == Pop3Hooks.NONE) {
            return Pop3Action.PROCEED;
        }
        try {
            Pop3Action action = hooks.before(session(context, channel, user), verb, argument(verb, arg));
            return action == null ? Pop3Action.PROCEED : action;
        } catch (RuntimeException e) {
            LOG.warn("{}: POP3 hook failed", context.sessionId(), e);
            return Pop3Action.PROCEED;
        }
    }

    /** What happened, for the hooks that answer nothing. */
    enum Event { CONNECTED, LOGGED_IN, LOGIN_FAILED, CLOSED }

    /** Tells the hooks of a connect, login or close; {@code method} for logins only. */
    static void notify(Pop3Hooks hooks, Event event, ConnectionContext context, Channel channel, String user,
                       String method) {
        if (hooks == Pop3Hooks.NONE) {
            return;
        }
        try {
            SessionInfo session = session(context, channel, user);
            switch (event) {
                case CONNECTED -> hooks.connected(session);
                case LOGGED_IN -> hooks.loggedIn(session, method);
                case LOGIN_FAILED -> hooks.loginFailed(session, method);
                case CLOSED -> hooks.closed(session);
                default -> throw new IllegalStateException(event.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: POP3 hook failed", context.sessionId(), e);
        }
    }

    private static SessionInfo session(ConnectionContext context, Channel channel, String user) {
        return context.sessionInfo(channel, null, user);
    }

    /** What followed the verb, without credentials. */
    private static String argument(String verb, String arg) {
        String trimmed = arg.trim();
        int space = trimmed.indexOf(' ');
        return switch (verb) {
            case "PASS" -> "";
            case "APOP", "AUTH" -> space < 0 ? trimmed : trimmed.substring(0, space);
            default -> trimmed;
        };
    }
}
