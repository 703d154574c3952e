package dev.mailcore.smtp;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.sasl.SaslMechanisms;
import dev.mailcore.smtp.internal.SmtpSession;
import dev.mailcore.smtp.internal.codec.SmtpInboundDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.util.Objects;

/**
 * The SMTP protocol for a {@link dev.mailcore.netty.NettyServer} listener: one instance per listener, shared by all
 * of its connections.
 *
 * <pre>{@code
 * SmtpConfig config = SmtpConfig.builder().resolver(resolver).store(store).executor(executor).build();
 * ProtocolSupport mx = new SmtpProtocol(config, SmtpRole.MX);                 // port 25, STARTTLS listener
 * ProtocolSupport submission = new SmtpProtocol(config, SmtpRole.SUBMISSION); // port 587, AUTH before MAIL
 * }</pre>
 */
public final class SmtpProtocol implements ProtocolSupport {
    private final SmtpConfig config;
    private final SmtpRole role;
    private final SaslMechanisms sasl;

    public SmtpProtocol(SmtpConfig config, SmtpRole role) {
        this.config = Objects.requireNonNull(config, "config");
        this.role = Objects.requireNonNull(role, "role");
        this.sasl = config.authProvider() == null ? null
                : new SaslMechanisms(config.authProvider(), config.hostname());
    }

    public SmtpConfig config() {
        return config;
    }

    public SmtpRole role() {
        return role;
    }

    /**
     * Adds the input watch (read timeouts), the SMTP decoder and the session handler, asks the policy about the
     * client, then greets it.
     */
    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        SmtpInboundDecoder decoder = new SmtpInboundDecoder(config.maxLineLength());
        SmtpSession session = new SmtpSession(config, role, sasl, context, decoder);
        channel.pipeline().addLast("smtp-input-watch", session.inputWatch());
        channel.pipeline().addLast("smtp-decoder", decoder);
        channel.pipeline().addLast("smtp-session", session);
        session.start();
    }

    @Override
    public String refusal(Refusal reason) {
        String host = config.hostname();
        switch (reason) {
            case IDLE_TIMEOUT:
                return "421 4.4.2 " + host + " Error: timeout exceeded\r\n";
            case SHUTDOWN:
                return "421 4.3.2 " + host + " Service shutting down\r\n";
            case TOO_MANY_CONNECTIONS:
            case TOO_MANY_FROM_IP:
            default:
                return "421 4.7.0 " + host + " Too many connections, try again later\r\n";
        }
    }
}
