package dev.mailcore.api;

/**
 * Makes one delivery attempt of one message to its remote recipients. Retrying, backoff and bounces are mailcore's
 * job, not the transport's. May block; never called on an I/O thread.
 */
@FunctionalInterface
public interface Transport {

    /**
     * @param envelope the envelope; its recipients are exactly those to deliver to
     * @param content  the message bytes
     * @return one outcome per recipient of {@code envelope}
     */
    DeliveryReport deliver(Envelope envelope, MessageSource content);
}
