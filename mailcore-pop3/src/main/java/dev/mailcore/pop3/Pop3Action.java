package dev.mailcore.pop3;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Pop3Hooks} tells the session to do with a command: go on, answer it with another response line,
 * drop the connection, or wait first. Commands are the verbs in upper case ({@code USER}, {@code PASS}, {@code APOP},
 * {@code AUTH}, {@code RETR}, ...); the argument is what followed the verb, except that it is empty for
 * {@code PASS}, the user name for {@code APOP} and the mechanism for {@code AUTH} (credentials are never passed).
 */
public sealed interface Pop3Action {

    /** Go on as if there were no hook. */
    Pop3Action PROCEED = new Proceed();

    /** Go on as if there were no hook. */
    record Proceed() implements Pop3Action {
    }

    /**
     * Answer with this line instead of running the command.
     *
     * @param line the whole response line, such as {@code -ERR [SYS/TEMP] try later}
     */
    record Reply(String line) implements Pop3Action {
        public Reply {
            Objects.requireNonNull(line, "line");
        }
    }

    /** Close the connection instead of running the command, after writing {@code line} when it is not null. */
    record Disconnect(String line) implements Pop3Action {
    }

    /**
     * Wait this long, then run the command as usual. Nothing is read from the client meanwhile, and the event loop is
     * not blocked: the command is scheduled.
     */
    record Stall(Duration duration) implements Pop3Action {
        public Stall {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative stall: " + duration);
            }
        }
    }
}
