package dev.mailcore.api.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The mailbox name rules of the store SPI, for every {@link Store} implementation: hierarchy levels separated by
 * {@link Store#HIERARCHY_DELIMITER}, none of them empty, no control characters.
 */
public final class MailboxNames {
    private static final char DELIMITER = Store.HIERARCHY_DELIMITER;

    private MailboxNames() {
    }

    /**
     * Checks that a name has no empty level (no leading, trailing or doubled delimiter) and no control character.
     *
     * @throws StoreException {@link StoreError#NOT_ALLOWED} when it is not a valid name
     */
    public static void validate(String name) {
        if (name.isEmpty()) {
            throw notAllowed(name, "it is empty");
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

    /** Whether {@link #validate} would accept the name. */
    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    /** The ancestors of a name, outermost first: {@code a/b/c} gives {@code [a, a/b]}. */
    public static List<String> parents(String name) {
        List<String> out = new ArrayList<>();
        int i = name.indexOf(DELIMITER);
        while (i >= 0) {
            out.add(name.substring(0, i));
            i = name.indexOf(DELIMITER, i + 1);
        }
        return out;
    }

    /** Whether {@code name} lies strictly below {@code ancestor} in the hierarchy. */
    public static boolean isDescendant(String name, String ancestor) {
        return name.length() > ancestor.length() + 1 && name.startsWith(ancestor)
                && name.charAt(ancestor.length()) == DELIMITER;
    }

    private static StoreException notAllowed(String name, String why) {
        return new StoreException(StoreError.NOT_ALLOWED, "invalid mailbox name \"" + name + "\": " + why);
    }
}
