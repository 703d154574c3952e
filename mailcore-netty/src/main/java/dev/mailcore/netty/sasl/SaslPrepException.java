package dev.mailcore.netty.sasl;

/** A string cannot be prepared with {@link SaslPrep}: it contains a prohibited character or breaks the bidi rule. */
public final class SaslPrepException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong (names the offending code point, never echoes the whole string) */
    public SaslPrepException(String message) {
        super(message);
    }
}
