package dev.mailcore.delivery.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * One administration command as it travels through a spool's {@code control/} directory: a verb and, except for a
 * whole-queue flush, a queue id. The file text is {@code VERB [ID]} on one line.
 *
 * @param verb what to do
 * @param id   the message, or {@code null} for every message (flush only)
 */
public record ControlCommand(Verb verb, String id) {

    /** The administration verbs. */
    public enum Verb {
        FLUSH, HOLD, RELEASE, DELETE, REQUEUE
    }

    public ControlCommand {
        Objects.requireNonNull(verb, "verb");
        if (id == null && verb != Verb.FLUSH) {
            throw new IllegalArgumentException(verb + " needs a queue id");
        }
        if (id != null && !isValidId(id)) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
    }

    /** Whether {@code id} can be a queue id (letters and digits only, so it is safe in a file name). */
    public static boolean isValidId(String id) {
        return id != null && id.matches("[A-Za-z0-9]{1,64}");
    }

    /** The command's file text. */
    public String toText() {
        return verb.name() + (id == null ? "" : " " + id) + "\n";
    }

    /** Parses a command file's text. */
    public static ControlCommand parse(String text) {
        String[] parts = text.trim().split("\\s+");
        Verb verb = Verb.valueOf(parts[0].toUpperCase(Locale.ROOT));
        return new ControlCommand(verb, parts.length > 1 ? parts[1] : null);
    }
}
