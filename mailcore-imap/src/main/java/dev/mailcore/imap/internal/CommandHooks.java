package dev.mailcore.imap.internal;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.imap.ImapHooks;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.netty.ConnectionContext;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** Asks the configured {@link ImapHooks} about a command; kept apart so the session only has one call to make. */
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
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            String tls = ssl == null ? null : ssl.engine().getSession().getProtocol();
            SessionInfo session = new SessionInfo(context.sessionId(), context.listener().name(), context.remote(),
                    context.local(), null, tls, user);
            ImapAction action = hooks.before(session, name(command), argument(command));
            return action == null ? ImapAction.PROCEED : action;
        } catch (RuntimeException e) {
            LOG.warn("{}: IMAP hook failed", context.sessionId(), e);
            return ImapAction.PROCEED;
        }
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
