package dev.mailcore.testing;

import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpPhase;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scripted fault, made by an action method of a {@link FaultPoint} and active from then until removed or used up.
 * Its fire count was fixed on the point ({@link FaultPoint#times(int)}, {@link FaultPoint#once()}) before it became
 * live, so no connection can see it half-configured. Thread-safe: connections race for the remaining fires
 * atomically.
 */
public final class Fault {
    private final FaultScript script;
    private final SmtpPhase phase;
    private final String address;
    private final MailListener listener;
    /** The protocol it applies to. */
    enum Protocol { SMTP, IMAP, POP3 }

    private final Protocol protocol;
    /** For IMAP and POP3: the command names it applies to. */
    private final Set<String> commands;
    /** An {@link SmtpAction}, {@code ImapAction} or {@code Pop3Action}. */
    private final Object action;
    private final String description;
    /** Fires left; negative for unlimited. */
    private final AtomicInteger remaining;
    private final AtomicInteger triggered = new AtomicInteger();

    Fault(FaultScript script, SmtpPhase phase, String address, MailListener listener, SmtpAction action,
          int times, String description) {
        this(script, Protocol.SMTP, phase, address, Set.of(), listener, action, times, description);
    }

    /** An IMAP or POP3 fault at these commands. */
    Fault(FaultScript script, Protocol protocol, Set<String> commands, MailListener listener, Object action,
          int times, String description) {
        this(script, protocol, null, null, commands, listener, action, times, description);
    }

    private Fault(FaultScript script, Protocol protocol, SmtpPhase phase, String address, Set<String> commands,
                  MailListener listener, Object action, int times, String description) {
        this.script = script;
        this.protocol = protocol;
        this.commands = Set.copyOf(commands);
        this.phase = phase;
        this.address = address == null ? null : address.toLowerCase(Locale.ROOT);
        this.listener = listener;
        this.action = action;
        this.description = description;
        this.remaining = new AtomicInteger(times);
    }

    /** How many more times it will fire; negative when unlimited. */
    public int remaining() {
        return remaining.get();
    }

    /** How often the fault has fired. */
    public int triggered() {
        return triggered.get();
    }

    /** Whether it will fire again. */
    public boolean isActive() {
        return remaining.get() != 0 && script.contains(this);
    }

    /** Removes this fault from the script. */
    public void remove() {
        script.remove(this);
    }

    /** Whether it applies to this IMAP or POP3 command. */
    boolean matches(Protocol protocol, MailListener listener, String command) {
        return this.protocol == protocol && (this.listener == null || this.listener == listener)
                && commands.contains(command);
    }

    boolean matches(SmtpPhase phase, MailListener listener, String argument) {
        if (protocol != Protocol.SMTP) {
            return false;
        }
        if (this.phase != null && this.phase != phase) {
            return false;
        }
        if (this.phase == null && phase == SmtpPhase.CONNECT) {
            return false; // "any command" faults do not apply to the greeting
        }
        if (this.listener != null && this.listener != listener) {
            return false;
        }
        if (address != null) {
            if (phase == SmtpPhase.AUTH) {
                return argument.equalsIgnoreCase(address);
            }
            return address.equals(pathOf(argument));
        }
        return true;
    }

    /** The address inside the angle brackets of a MAIL/RCPT argument, lower case. */
    static String pathOf(String argument) {
        int open = argument.indexOf('<');
        int close = argument.indexOf('>', open + 1);
        if (open < 0 || close < 0) {
            return null;
        }
        return argument.substring(open + 1, close).toLowerCase(Locale.ROOT);
    }

    /** Takes one fire if any is left. */
    boolean claim() {
        while (true) {
            int left = remaining.get();
            if (left == 0) {
                return false;
            }
            if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                triggered.incrementAndGet();
                return true;
            }
        }
    }

    Object action() {
        return action;
    }

    @Override
    public String toString() {
        int left = remaining.get();
        return "Fault[" + description + ", fired " + triggered.get() + (left < 0 ? "" : ", " + left + " left") + "]";
    }
}
