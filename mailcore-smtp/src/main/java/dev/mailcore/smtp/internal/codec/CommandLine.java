package dev.mailcore.smtp.internal.codec;

/**
 * One command line read in command mode.
 *
 * @param text    the line without its line ending, decoded as UTF-8 (cut when too long)
 * @param problem {@code null} for a good line, else why it is bad (the session answers 500)
 */
public record CommandLine(String text, LineProblem problem) {
}
