package dev.mailcore.api;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of an SMTP session as policies and filters see it.
 *
 * @param sessionId     a short unique id, also used in logs and the {@code Received:} header
 * @param listener      the name of the listener the client connected to (for example {@code smtp}, {@code
 *                      submission}, {@code smtps})
 * @param remote        the client's address (from the PROXY header when the listener uses one)
 * @param local         the server address the client connected to
 * @param heloName      the EHLO/HELO argument, or {@code null} before EHLO/HELO
 * @param tlsProtocol   the negotiated TLS protocol (such as {@code TLSv1.3}), or {@code null} without TLS
 * @param authenticated the authenticated user, or {@code null}
 */
public record SessionInfo(String sessionId, String listener, InetSocketAddress remote, InetSocketAddress local,
                          String heloName, String tlsProtocol, String authenticated) {

    public SessionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(local, "local");
    }

    public boolean isTls() {
        return tlsProtocol != null;
    }

    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authenticated);
    }

    /** Whether the client connects from a loopback address. */
    public boolean isLoopback() {
        return remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }
}
