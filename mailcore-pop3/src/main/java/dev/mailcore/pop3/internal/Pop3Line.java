package dev.mailcore.pop3.internal;

/**
 * One line read from the client.
 *
 * @param text    the line without its line end (for a bad line: its start, for the log)
 * @param problem {@code null} for a good line, else why it is unusable (the session answers {@code -ERR})
 */
public record Pop3Line(String text, Problem problem) {

    /** Why a line cannot be used. */
    public enum Problem {
        /** Longer than the configured maximum; the rest of it was skipped. */
        TOO_LONG,
        /** Not valid UTF-8. */
        BAD_ENCODING
    }
}
