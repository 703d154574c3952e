package dev.mailcore.api;

import java.util.Objects;

/**
 * A complete message as a {@link Filter} sees it, before the server acknowledges it.
 *
 * @param session  the SMTP session it arrived on
 * @param envelope its envelope
 * @param content  its raw bytes, including the {@code Received:} header the server prepended
 */
public record IncomingMessage(SessionInfo session, Envelope envelope, MessageSource content) {
    public IncomingMessage {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
    }
}
