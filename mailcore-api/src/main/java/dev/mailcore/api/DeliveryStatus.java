package dev.mailcore.api;

/** The outcome class of one delivery attempt to one recipient. */
public enum DeliveryStatus {
    /** Accepted by the next hop. */
    DELIVERED,
    /** Failed for now; the queue retries. */
    DEFERRED,
    /** Failed for good; the sender gets a bounce. */
    FAILED
}
