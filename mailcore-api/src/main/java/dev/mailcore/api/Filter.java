package dev.mailcore.api;

/**
 * Content stage: sees each complete message before the server acknowledges it (antivirus, spam scoring, rules, DKIM
 * verification). Filters run in the order they were configured; the first that does not {@link FilterResult.Continue
 * continue} decides. May block; the server calls it off its I/O threads.
 */
@FunctionalInterface
public interface Filter {
    FilterResult apply(IncomingMessage message);
}
