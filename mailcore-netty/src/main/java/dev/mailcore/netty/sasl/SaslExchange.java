package dev.mailcore.netty.sasl;

/** One authentication attempt with one mechanism. Not thread-safe; may block (it calls the auth provider). */
public interface SaslExchange {

    /** The mechanism's name, e.g. {@code PLAIN}. */
    String mechanism();

    /**
     * The first step.
     *
     * @param initialResponse the decoded initial response (SASL-IR / SMTP AUTH argument; empty array for "="), or
     *                        {@code null} when the client sent none
     */
    SaslStep start(byte[] initialResponse);

    /** The next step, given the client's decoded response to the last {@link SaslStep.Challenge}. */
    SaslStep next(byte[] response);
}
