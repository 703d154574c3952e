package dev.mailcore.smtp;

import dev.mailcore.api.SmtpReply;

import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link SmtpHooks} tells the session to do at a {@link SmtpPhase}: go on as usual, answer with another reply,
 * drop the connection, or wait first. Used by test tooling to inject faults.
 */
public sealed interface SmtpAction {

    /** Go on as if there were no hook. */
    SmtpAction PROCEED = new Proceed();

    /** Go on as if there were no hook. */
    record Proceed() implements SmtpAction {
    }

    /**
     * Answer with this reply instead of handling the command (at {@link SmtpPhase#END_OF_DATA}: instead of delivering
     * the message). At {@link SmtpPhase#CONNECT} the reply replaces the greeting: a {@code 421} closes the connection,
     * anything else refuses every later command but QUIT with {@code 503}, as a policy refusal at connect does.
     */
    record Reply(SmtpReply reply) implements SmtpAction {
        public Reply {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Close the connection, after writing {@code reply} when it is not {@code null}. At {@link SmtpPhase#STARTTLS} a
     * {@code 220} reply followed by the close makes the client's TLS handshake fail.
     */
    record Disconnect(SmtpReply reply) implements SmtpAction {
    }

    /**
     * Wait this long, then go on as usual. At {@link SmtpPhase#END_OF_DATA} the message is delivered first and the
     * wait comes before the final reply is written: the message is stored but the client has not been told yet.
     */
    record Stall(Duration duration) implements SmtpAction {
        public Stall {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative stall: " + duration);
            }
        }
    }

    /**
     * From now on write to this client at most {@code bytesPerSecond} octets per second (replies and TLS records
     * alike), then go on as usual: a slow or congested server as the client sees it.
     */
    record SlowWrites(long bytesPerSecond) implements SmtpAction {
        public SlowWrites {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
            }
        }
    }

    static SmtpAction reply(int code, String enhancedCode, String text) {
        return new Reply(enhancedCode == null ? SmtpReply.of(code, text) : SmtpReply.of(code, enhancedCode, text));
    }

    static SmtpAction disconnect() {
        return new Disconnect(null);
    }

    static SmtpAction stall(Duration duration) {
        return new Stall(duration);
    }
}
