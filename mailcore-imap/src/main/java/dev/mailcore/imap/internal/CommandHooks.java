package dev.mailcore.imap.internal;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.imap.ImapHooks;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.netty.ConnectionContext;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** Tells the configured {@link ImapHooks} what a session does; kept apart so the session only has one call to make. */
final class CommandHooks {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHooks.class);

    private CommandHooks() {
    }

    static ImapAction before(ImapHooks hooks, ConnectionContext context, Channel channel, String user,
                             ImapCommand command) {
        if (hooks == ImapHooks.NONE) {
            return ImapAction.PROCEED;
        }
        try {
            ImapAction action = hooks.before(session(context, channel, user), name(command), argument(command));
            return action == null ? ImapAction.PROCEED : action;
        } catch (RuntimeException e) {
            LOG.warn("{}: IMAP hook failed", context.sessionId(), e);
            return ImapAction.PROCEED;
        }
    }

    /** What happened, for the hooks that answer nothing. */
    enum Event { CONNECTED, LOGGED_IN, LOGIN_FAILED, CLOSED }

    /** Tells the hooks of a connect, login or close; {@code method} for logins only. */
    static void notify(ImapHooks hooks, Event event, ConnectionContext context, Channel channel, String user,
                       String method) {
        if (hooks == ImapHooks.NONE) {
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
            LOG.warn("{}: IMAP hook failed", context.sessionId(), e);
        }
    }

    private static SessionInfo session(ConnectionContext context, Channel channel, String user) {
        return context.sessionInfo(channel, null, user);
    }

    /** The command's name as a client sends it. */
    static String name(ImapCommand command) {
        if (command instanceof ImapCommand.ListMailboxes) {
            return "LIST";
        }
        if (command instanceof ImapCommand.Select s && s.readOnly()) {
            return "EXAMINE";
        }
        return command.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    private static String argument(ImapCommand command) {
        if (command instanceof ImapCommand.Login l) {
            return l.user();
        }
        if (command instanceof ImapCommand.Authenticate a) {
            return a.mechanism();
        }
        if (command instanceof ImapCommand.Select s) {
            return s.mailbox();
        }
        return "";
    }
}
