package dev.mailcore.testing;

import dev.mailcore.imap.ImapAction;
import dev.mailcore.pop3.Pop3Action;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A point in an IMAP or POP3 dialogue where a fault can be injected: a login or a named command. As with SMTP's
 * {@link FaultPoint}, narrow it first ({@link #on(MailListener)}, {@link #times(int)}, {@link #once()}), then call one
 * action method: that makes the {@link Fault} and activates it, fully configured.
 *
 * <pre>{@code
 * server.faults().onImapLogin().once().reply("NO [UNAVAILABLE] Try again later");  // first login fails
 * server.faults().onImapCommand("FETCH").close();                                  // connection dropped at FETCH
 * server.faults().onPop3Login().times(2).reply("-ERR [SYS/TEMP] try later");
 * server.faults().onPop3Command("RETR").closeWith("-ERR [SYS/TEMP] going away");
 * server.faults().onImapCommand("FETCH").stall(Duration.ofSeconds(3));              // slow server: read timeouts
 * }</pre>
 */
public final class CommandFaultPoint {
    private final FaultScript script;
    private final Fault.Protocol protocol;
    private final Set<String> commands;
    private final String where;
    private MailListener listener;
    private int times = -1;

    CommandFaultPoint(FaultScript script, Fault.Protocol protocol, Set<String> commands, String where) {
        this.script = script;
        this.protocol = protocol;
        this.commands = commands;
        this.where = where;
    }

    /** Only on this listener (for example {@link MailListener#IMAPS}; default: both of the protocol's listeners). */
    public CommandFaultPoint on(MailListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** Fire only the first {@code n} times (counting from when the action is called), then let commands through. */
    public CommandFaultPoint times(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("times must be >= 0: " + n);
        }
        this.times = n;
        return this;
    }

    /** Fire only once ({@code times(1)}). */
    public CommandFaultPoint once() {
        return times(1);
    }

    /** Fire every time (the default). */
    public CommandFaultPoint always() {
        this.times = -1;
        return this;
    }

    /**
     * Answer the command with this response instead of running it. IMAP: the tagged response after the tag, such as
     * {@code NO [UNAVAILABLE] Try again later} ({@code OK}/{@code NO}/{@code BAD} and text). POP3: the whole line,
     * such as {@code -ERR [SYS/TEMP] try later}.
     */
    public Fault reply(String response) {
        Objects.requireNonNull(response);
        if (response.contains("\r") || response.contains("\n")) {
            throw new IllegalArgumentException("one line only: " + response);
        }
        return add(protocol == Fault.Protocol.IMAP ? new ImapAction.Reply(response) : new Pop3Action.Reply(response),
                "reply " + response);
    }

    /** Close the connection without a word. */
    public Fault close() {
        return add(protocol == Fault.Protocol.IMAP ? new ImapAction.Disconnect(null) : new Pop3Action.Disconnect(null),
                "close");
    }

    /**
     * Write this, then close the connection. IMAP: the text of an untagged {@code * BYE}; POP3: the whole line, such
     * as {@code -ERR [SYS/TEMP] shutting down}.
     */
    public Fault closeWith(String text) {
        Objects.requireNonNull(text);
        return add(protocol == Fault.Protocol.IMAP ? new ImapAction.Disconnect(text) : new Pop3Action.Disconnect(text),
                "close with " + text);
    }

    /**
     * Wait this long, then run the command as usual: a slow server as the client sees it (combine with a client read
     * timeout shorter than the stall to simulate a hung one). The server reads nothing from the client meanwhile, and
     * no thread is blocked: the command is scheduled. At a login the login then goes on normally.
     */
    public Fault stall(Duration duration) {
        Objects.requireNonNull(duration);
        return add(protocol == Fault.Protocol.IMAP ? new ImapAction.Stall(duration) : new Pop3Action.Stall(duration),
                "stall " + duration);
    }

    private Fault add(Object action, String what) {
        String description = where + (listener == null ? "" : " on " + listener) + ": " + what;
        Fault fault = new Fault(script, protocol, commands, listener, action, times, description);
        script.add(fault);
        return fault;
    }
}
