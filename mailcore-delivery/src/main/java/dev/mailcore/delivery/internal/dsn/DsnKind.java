package dev.mailcore.delivery.internal.dsn;

/** The three notifications RFC 3461 lets a sender ask for. */
public enum DsnKind {
    /** Some recipients failed for good (a bounce). */
    FAILURE,
    /** Some recipients are still being retried after the delay warning time. */
    DELAY,
    /** Some recipients were delivered and NOTIFY=SUCCESS was asked. */
    SUCCESS
}
