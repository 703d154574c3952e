package dev.mailcore.smtp.policy;

import dev.mailcore.api.MailcoreException;

import java.util.List;

/** An access table could not be read or has errors; {@link #problems()} names each bad line. */
public final class AccessRulesException extends MailcoreException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /**
     * @param source   the file or source name
     * @param problems one message per problem, each naming its line ({@code line 3: unknown action 'REJCT'})
     */
    public AccessRulesException(String source, List<String> problems) {
        super("access rules " + source + " have " + problems.size() + " error(s): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** An access table that could not be read at all. */
    public AccessRulesException(String source, Throwable cause) {
        super("cannot read access rules " + source + ": " + cause, cause);
        this.problems = List.of("cannot read: " + cause);
    }

    /** The problems, one per bad line, in file order. */
    public List<String> problems() {
        return problems;
    }
}
