package dev.mailcore.pop3.internal;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.pop3.Pop3Hooks;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks the configured {@link Pop3Hooks} about a command; kept apart so the session only has one call to make. */
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
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            String tls = ssl == null ? null : ssl.engine().getSession().getProtocol();
            SessionInfo session = new SessionInfo(context.sessionId(), context.listener().name(), context.remote(),
                    context.local(), null, tls, user);
            Pop3Action action = hooks.before(session, verb, argument(verb, arg));
            return action == null ? Pop3Action.PROCEED : action;
        } catch (RuntimeException e) {
            LOG.warn("{}: POP3 hook failed", context.sessionId(), e);
            return Pop3Action.PROCEED;
        }
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
