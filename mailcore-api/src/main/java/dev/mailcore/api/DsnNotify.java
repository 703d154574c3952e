package dev.mailcore.api;

/** The RCPT TO {@code NOTIFY=} values of RFC 3461 §4.1. */
public enum DsnNotify {
    NEVER, SUCCESS, FAILURE, DELAY
}
