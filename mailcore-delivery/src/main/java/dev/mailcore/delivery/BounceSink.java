package dev.mailcore.delivery;

import dev.mailcore.api.Envelope;
import dev.mailcore.api.MessageSource;

import java.io.IOException;

/**
 * Where a {@link DeliveryQueue} sends the delivery status notifications it makes (bounces, delay and success
 * notices). By default they are queued back into the same queue; a host may route them elsewhere (for example to a
 * local store when the sender is a local user).
 */
@FunctionalInterface
public interface BounceSink {

    /**
     * Takes over one notification durably before returning.
     *
     * @param envelope the notification's envelope: null reverse path, one recipient
     * @param content  the complete RFC 5322 message
     * @throws IOException if it could not be taken over; the queue tries again later
     */
    void submit(Envelope envelope, MessageSource content) throws IOException;
}
