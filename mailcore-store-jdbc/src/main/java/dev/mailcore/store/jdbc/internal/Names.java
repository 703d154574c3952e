package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

import java.util.ArrayList;
import java.util.List;

/** Mailbox name rules of the store SPI: levels separated by {@link Store#HIERARCHY_DELIMITER}, none empty. */
public final class Names {
    private static final char DELIMITER = Store.HIERARCHY_DELIMITER;
    /** The longest name the schema holds. */
    static final int MAX_LENGTH = 1000;

    private Names() {
    }

    /**
     * Fails with {@link StoreError#NOT_ALLOWED} for an empty level, a control character or a name too long.
     *
     * @param name the mailbox name
     */
    public static void validate(String name) {
        if (name.isEmpty()) {
            throw notAllowed(name, "it is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw notAllowed(name, "it is longer than " + MAX_LENGTH + " characters");
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER
                || name.contains("" + DELIMITER + DELIMITER)) {
            throw notAllowed(name, "it has an empty hierarchy level");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw notAllowed(name, "it contains a control character");
            }
        }
    }

    /** Whether {@link #validate} accepts the name. */
    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    /** The ancestors of a name, outermost first: {@code a/b/c} gives {@code [a, a/b]}. */
    static List<String> parents(String name) {
        List<String> out = new ArrayList<>();
        int i = name.indexOf(DELIMITER);
        while (i >= 0) {
            out.add(name.substring(0, i));
            i = name.indexOf(DELIMITER, i + 1);
        }
        return out;
    }

    /** Whether {@code name} lies strictly below {@code ancestor}. */
    static boolean isDescendant(String name, String ancestor) {
        return name.length() > ancestor.length() + 1 && name.startsWith(ancestor)
                && name.charAt(ancestor.length()) == DELIMITER;
    }

    private static StoreException notAllowed(String name, String why) {
        return new StoreException(StoreError.NOT_ALLOWED, "invalid mailbox name \"" + name + "\": " + why);
    }
}
