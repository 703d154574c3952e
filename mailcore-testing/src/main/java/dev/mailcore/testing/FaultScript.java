package dev.mailcore.testing;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpPhase;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults scripted for one {@link TestMailServer}: deterministic errors at each SMTP phase, at IMAP and POP3
 * login and at named IMAP and POP3 commands. Faults are checked in
 * the order they were added; the first one that matches and has fires left decides. Thread-safe; faults can be added
 * and removed while clients are connected.
 */
public final class FaultScript {
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    FaultScript() {
    }

    /** When a client connects, before the greeting. */
    public FaultPoint onConnect() {
        return new FaultPoint(this, SmtpPhase.CONNECT, null);
    }

    /** At EHLO or HELO. */
    public FaultPoint onHelo() {
        return new FaultPoint(this, SmtpPhase.HELO, null);
    }

    /** At STARTTLS. */
    public FaultPoint onStartTls() {
        return new FaultPoint(this, SmtpPhase.STARTTLS, null);
    }

    /** At AUTH, whatever the mechanism. */
    public FaultPoint onAuth() {
        return new FaultPoint(this, SmtpPhase.AUTH, null);
    }

    /** At AUTH with this mechanism ({@code PLAIN}, {@code LOGIN}, ...). */
    public FaultPoint onAuth(String mechanism) {
        return new FaultPoint(this, SmtpPhase.AUTH, Objects.requireNonNull(mechanism));
    }

    /** At MAIL FROM, whatever the sender. */
    public FaultPoint onMail() {
        return new FaultPoint(this, SmtpPhase.MAIL, null);
    }

    /** At MAIL FROM for this sender (case-insensitive). */
    public FaultPoint onMail(String sender) {
        return new FaultPoint(this, SmtpPhase.MAIL, Objects.requireNonNull(sender));
    }

    /** At RCPT TO, whatever the recipient. */
    public FaultPoint onRcpt() {
        return new FaultPoint(this, SmtpPhase.RCPT, null);
    }

    /** At RCPT TO for this recipient only (case-insensitive); other recipients are accepted as usual. */
    public FaultPoint onRcpt(String recipient) {
        return new FaultPoint(this, SmtpPhase.RCPT, Objects.requireNonNull(recipient));
    }

    /** At the DATA command (or the first BDAT chunk), before the client sends the message. */
    public FaultPoint onData() {
        return new FaultPoint(this, SmtpPhase.DATA, null);
    }

    /** When the whole message has arrived, before it is delivered and answered. */
    public FaultPoint onEndOfData() {
        return new FaultPoint(this, SmtpPhase.END_OF_DATA, null);
    }

    /** At every phase command (EHLO/HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, end of data), not at connect. */
    public FaultPoint onEveryCommand() {
        return new FaultPoint(this, null, null);
    }

    /** When an IMAP client logs in: at {@code LOGIN} and {@code AUTHENTICATE}. */
    public CommandFaultPoint onImapLogin() {
        return new CommandFaultPoint(this, Fault.Protocol.IMAP, Set.of("LOGIN", "AUTHENTICATE"), "IMAP login");
    }

    /**
     * At this IMAP command ({@code SELECT}, {@code EXAMINE}, {@code FETCH}, {@code LIST}, ...; case-insensitive;
     * {@code UID FETCH} counts as {@code FETCH}), in whatever state the client may send it.
     */
    public CommandFaultPoint onImapCommand(String command) {
        String name = command.trim().toUpperCase(Locale.ROOT);
        return new CommandFaultPoint(this, Fault.Protocol.IMAP, Set.of(name), "IMAP " + name);
    }

    /** When a POP3 client logs in: at {@code PASS}, {@code APOP} and {@code AUTH}. */
    public CommandFaultPoint onPop3Login() {
        return new CommandFaultPoint(this, Fault.Protocol.POP3, Set.of("PASS", "APOP", "AUTH"), "POP3 login");
    }

    /** At this POP3 command ({@code RETR}, {@code TOP}, {@code DELE}, {@code STAT}, ...; case-insensitive). */
    public CommandFaultPoint onPop3Command(String command) {
        String name = command.trim().toUpperCase(Locale.ROOT);
        return new CommandFaultPoint(this, Fault.Protocol.POP3, Set.of(name), "POP3 " + name);
    }

    /** The active faults, in order. */
    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Removes every fault. */
    public void clear() {
        faults.clear();
    }

    void add(Fault fault) {
        faults.add(fault);
    }

    void remove(Fault fault) {
        faults.remove(fault);
    }

    boolean contains(Fault fault) {
        return faults.contains(fault);
    }

    /** The action for an IMAP command: the first matching fault with fires left, else proceed. */
    ImapAction decideImap(SessionInfo session, String command) {
        Object action = decide(Fault.Protocol.IMAP, session, command);
        return action == null ? ImapAction.PROCEED : (ImapAction) action;
    }

    /** The action for a POP3 command: the first matching fault with fires left, else proceed. */
    Pop3Action decidePop3(SessionInfo session, String command) {
        Object action = decide(Fault.Protocol.POP3, session, command);
        return action == null ? Pop3Action.PROCEED : (Pop3Action) action;
    }

    private Object decide(Fault.Protocol protocol, SessionInfo session, String command) {
        MailListener listener = MailListener.byListenerName(session.listener());
        for (Fault fault : faults) {
            if (fault.matches(protocol, listener, command) && fault.claim()) {
                return fault.action();
            }
        }
        return null;
    }

    /** The action for this point: the first matching fault with fires left, else proceed. */
    SmtpAction decide(SmtpPhase phase, SessionInfo session, String argument) {
        MailListener listener = MailListener.byListenerName(session.listener());
        for (Fault fault : faults) {
            if (fault.matches(phase, listener, argument) && fault.claim()) {
                return (SmtpAction) fault.action();
            }
        }
        return SmtpAction.PROCEED;
    }
}
