package dev.mailcore.netty.sasl;

import dev.mailcore.api.auth.AuthProvider;

import java.util.List;

/**
 * The SASL mechanisms a server can offer for an {@link AuthProvider}: PLAIN and LOGIN always, CRAM-MD5 when the
 * provider reveals clear-text passwords, SCRAM-SHA-256 when it has SCRAM credentials.
 */
public final class SaslMechanisms {
    private final AuthProvider provider;
    private final String serverName;

    /** @param serverName the host name used in CRAM-MD5 challenges */
    public SaslMechanisms(AuthProvider provider, String serverName) {
        this.provider = provider;
        this.serverName = serverName;
    }

    /** The mechanism names to advertise, strongest first. */
    public List<String> names() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Starts an exchange; {@code null} when the mechanism (case-insensitive) is not offered. */
    public SaslExchange start(String mechanism) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
