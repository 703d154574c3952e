package dev.mailcore.testing;

import dev.mailcore.api.SmtpReply;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpPhase;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in the SMTP dialogue where a fault can be injected. Narrow it first ({@link #on(MailListener)}) and say how
 * often it fires ({@link #times(int)}, {@link #once()}; default: every time), then call one action method: that makes
 * the {@link Fault} and activates it, fully configured.
 *
 * <pre>{@code
 * server.faults().onRcpt("bob@example.com").times(2).reply(450, "4.2.0 try later");
 * server.faults().onConnect().once().close();
 * server.faults().onEndOfData().stall(Duration.ofSeconds(2));
 * server.faults().onStartTls().failHandshake();
 * }</pre>
 */
public final class FaultPoint {
    private final FaultScript script;
    private final SmtpPhase phase;
    private final String address;
    private MailListener listener;
    private int times = -1;

    FaultPoint(FaultScript script, SmtpPhase phase, String address) {
        this.script = script;
        this.phase = phase;
        this.address = address;
    }

    /** Only on this listener (default: every listener). */
    public FaultPoint on(MailListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * Fire only the first {@code n} times this point is reached (counting from when the action is called), then let
     * commands through: "fail twice, then succeed" is {@code times(2)}.
     */
    public FaultPoint times(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("times must be >= 0: " + n);
        }
        this.times = n;
        return this;
    }

    /** Fire only once ({@code times(1)}). */
    public FaultPoint once() {
        return times(1);
    }

    /** Fire every time (the default). */
    public FaultPoint always() {
        this.times = -1;
        return this;
    }

    /**
     * Answer with this reply instead of handling the command. {@code text} may start with an enhanced status code:
     * {@code reply(450, "4.2.0 try later")}. At end of data the message is then not delivered; at connect the reply
     * replaces the greeting ({@code 421} also closes the connection).
     */
    public Fault reply(int code, String text) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        return add(new SmtpAction.Reply(SmtpReply.of(code, Objects.requireNonNull(text))),
                "reply " + code + " " + text);
    }

    /** Close the connection without a reply. */
    public Fault close() {
        return add(new SmtpAction.Disconnect(null), "close");
    }

    /** Write this reply, then close the connection (e.g. {@code 421 4.3.2 shutting down}). */
    public Fault closeWith(int code, String text) {
        return add(new SmtpAction.Disconnect(SmtpReply.of(code, Objects.requireNonNull(text))),
                "close with " + code + " " + text);
    }

    /**
     * Wait this long, then go on normally. At end of data the message is delivered first and the wait comes before
     * the {@code 250}: the store has it but the client has not been told (the SDK's waits do not count it yet).
     * Combine with a client read timeout shorter than the stall to simulate a hung server.
     */
    public Fault stall(Duration duration) {
        return add(new SmtpAction.Stall(Objects.requireNonNull(duration)), "stall " + duration);
    }

    /**
     * Answer STARTTLS with {@code 220} and then break the connection, so that the client's TLS handshake fails. Only
     * for {@link FaultScript#onStartTls()}.
     */
    public Fault failHandshake() {
        if (phase != SmtpPhase.STARTTLS) {
            throw new IllegalStateException("failHandshake() is for onStartTls() only");
        }
        return add(new SmtpAction.Disconnect(SmtpReply.of(220, "2.0.0", "Ready to start TLS")), "fail TLS handshake");
    }

    /**
     * From this point on, the server writes to the client at most {@code bytesPerSecond} octets per second (for
     * example {@code onConnect().slowWrites(200)} makes every reply crawl): for testing client read timeouts.
     */
    public Fault slowWrites(long bytesPerSecond) {
        return add(new SmtpAction.SlowWrites(bytesPerSecond), "slow writes " + bytesPerSecond + " B/s");
    }

    private Fault add(SmtpAction action, String what) {
        String where = (phase == null ? "any command" : phase.name()) + (address == null ? "" : " " + address)
                + (listener == null ? "" : " on " + listener);
        Fault fault = new Fault(script, phase, address, listener, action, times, where + ": " + what);
        script.add(fault);
        return fault;
    }
}
