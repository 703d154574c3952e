package dev.mailcore.imap;

import dev.mailcore.imap.internal.ImapSession;
import dev.mailcore.imap.internal.RecentTracker;
import dev.mailcore.imap.internal.codec.ImapDecoder;
import dev.mailcore.imap.internal.message.MessageCache;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.sasl.SaslMechanisms;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The IMAP protocol for {@link dev.mailcore.netty.NettyServer} listeners. One instance may serve several listeners
 * (143 with STARTTLS, 993 with implicit TLS): its sessions then share the {@code \Recent} bookkeeping and the cache of
 * parsed messages.
 *
 * <pre>{@code
 * ImapProtocol imap = new ImapProtocol(ImapConfig.builder().store(store).authProvider(users).executor(executor).build());
 * server.bind(ListenerConfig.defaults("imap", TlsMode.STARTTLS).withPort(143), tls, imap);
 * server.bind(ListenerConfig.defaults("imaps", TlsMode.IMPLICIT).withPort(993), tls, imap);
 * }</pre>
 */
public final class ImapProtocol implements ProtocolSupport {
    private final ImapConfig config;
    private final SaslMechanisms sasl;
    private final RecentTracker recentTracker = new RecentTracker();
    private final MessageCache messageCache = new MessageCache();
    private final ImapDecoder.Limits limits;
    private final Path spoolDirectory;

    public ImapProtocol(ImapConfig config) {
        this(config, null);
    }

    /** With literals spooled to {@code spoolDirectory} (null: the default temporary directory); tests watch it. */
    ImapProtocol(ImapConfig config, Path spoolDirectory) {
        this.config = Objects.requireNonNull(config, "config");
        this.spoolDirectory = spoolDirectory;
        this.sasl = new SaslMechanisms(config.authProvider(), config.hostname());
        this.limits = new ImapDecoder.Limits(config.maxLineLength(), config.maxLiteralBeforeAuth(),
                config.maxMessageSize(), false);
    }

    public ImapConfig config() {
        return config;
    }

    /** Adds the input watch, the IMAP decoder and the session, then greets the client. */
    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        ImapDecoder decoder = new ImapDecoder(limits, spoolDirectory);
        ImapSession session = new ImapSession(config, context, decoder, sasl, recentTracker, messageCache);
        channel.pipeline().addLast("imap-input-watch", session.inputWatch());
        channel.pipeline().addLast("imap-decoder", decoder);
        channel.pipeline().addLast("imap-session", session);
        session.start();
    }

    @Override
    public String refusal(Refusal reason) {
        switch (reason) {
            case IDLE_TIMEOUT:
                return "* BYE Disconnected for inactivity.\r\n";
            case SHUTDOWN:
                return "* BYE Server shutting down.\r\n";
            case TOO_MANY_FROM_IP:
                return "* BYE Maximum number of connections from user+IP exceeded\r\n";
            case TOO_MANY_CONNECTIONS:
            default:
                return "* BYE Too many connections, try again later.\r\n";
        }
    }
}
