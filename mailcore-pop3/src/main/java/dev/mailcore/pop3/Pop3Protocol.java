package dev.mailcore.pop3;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.sasl.SaslMechanisms;
import dev.mailcore.pop3.internal.Pop3Decoder;
import dev.mailcore.pop3.internal.Pop3Session;
import dev.mailcore.pop3.internal.WireSizeCache;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.util.Objects;

/**
 * The POP3 protocol for a {@link dev.mailcore.netty.NettyServer} listener: one instance per listener (or shared by
 * several), used by all of their connections. Use a {@link dev.mailcore.netty.TlsMode#STARTTLS} listener for port 110
 * (STLS offered) and {@link dev.mailcore.netty.TlsMode#IMPLICIT} for port 995.
 *
 * <pre>{@code
 * Pop3Protocol pop3 = new Pop3Protocol(Pop3Config.builder().store(store).authProvider(users).executor(exec).build());
 * server.bind(ListenerConfig.defaults("pop3", TlsMode.STARTTLS).withPort(110), tls, pop3);
 * server.bind(ListenerConfig.defaults("pop3s", TlsMode.IMPLICIT).withPort(995), tls, pop3);
 * }</pre>
 *
 * <p>Only one POP3 session at a time may open a user's maildrop in a given {@link dev.mailcore.api.store.Store}
 * (across all protocol instances of this JVM that use that store); a second login gets {@code -ERR [IN-USE]}.
 */
public final class Pop3Protocol implements ProtocolSupport {
    /** Wire sizes remembered across sessions, at most this many (about 100 bytes each). */
    static final int SIZE_CACHE_ENTRIES = 200_000;

    private final Pop3Config config;
    private final SaslMechanisms sasl;
    private final WireSizeCache sizeCache = new WireSizeCache(SIZE_CACHE_ENTRIES);

    /** A protocol serving {@code config}; share one instance between the 110 and 995 listeners if you like. */
    public Pop3Protocol(Pop3Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.sasl = new SaslMechanisms(config.authProvider(), config.hostname());
    }

    /** The configuration this protocol serves. */
    public Pop3Config config() {
        return config;
    }

    /** Adds the POP3 line decoder and the session handler, then greets the client. */
    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        Pop3Decoder decoder = new Pop3Decoder(config.maxLineLength());
        Pop3Session session = new Pop3Session(config, sasl, sizeCache, context, decoder);
        channel.pipeline().addLast("pop3-decoder", decoder);
        channel.pipeline().addLast("pop3-session", session);
        session.start();
    }

    /** {@code -ERR} lines in Dovecot's wording, with {@code [SYS/TEMP]} where the client should retry later. */
    @Override
    public String refusal(Refusal reason) {
        switch (reason) {
            case IDLE_TIMEOUT:
                return "-ERR Disconnected for inactivity.\r\n";
            case SHUTDOWN:
                return "-ERR [SYS/TEMP] Server shutting down.\r\n";
            case TOO_MANY_FROM_IP:
                return "-ERR [SYS/TEMP] Too many connections from your IP address, try again later.\r\n";
            case TOO_MANY_CONNECTIONS:
            default:
                return "-ERR [SYS/TEMP] Too many connections, try again later.\r\n";
        }
    }
}
