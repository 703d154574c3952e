package dev.mailcore.imap;

import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link ImapHooks} tells the session to do with a command: go on, answer it with another tagged response,
 * drop the connection, or wait first. Commands are named as sent ({@code LOGIN}, {@code AUTHENTICATE}, {@code SELECT},
 * {@code EXAMINE}, {@code FETCH}, {@code LIST}, ...; {@code UID FETCH} is {@code FETCH}); the argument is the user
 * name for {@code LOGIN}, the mechanism for {@code AUTHENTICATE}, the mailbox name for {@code SELECT}/{@code EXAMINE},
 * and empty otherwise. Hooks run only for commands allowed in the session's state.
 */
public sealed interface ImapAction {

    /** Go on as if there were no hook. */
    ImapAction PROCEED = new Proceed();

    /** Go on as if there were no hook. */
    record Proceed() implements ImapAction {
    }

    /**
     * End the command with this tagged response instead of running it.
     *
     * @param response what follows the tag, such as {@code NO [UNAVAILABLE] try later}
     */
    record Reply(String response) implements ImapAction {
        public Reply {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * Close the connection instead of running the command, after {@code * BYE text} when {@code byeText} is not
     * {@code null}.
     */
    record Disconnect(String byeText) implements ImapAction {
    }

    /**
     * Wait this long, then run the command as usual. Nothing is read from the client meanwhile, and the event loop is
     * not blocked: the command is scheduled.
     */
    record Stall(Duration duration) implements ImapAction {
        public Stall {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative stall: " + duration);
            }
        }
    }
}
