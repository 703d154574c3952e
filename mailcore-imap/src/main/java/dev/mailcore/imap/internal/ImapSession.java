package dev.mailcore.imap.internal;

import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.imap.ImapConfig;
import dev.mailcore.imap.internal.codec.ImapDecoder;
import dev.mailcore.imap.internal.codec.ImapInput;
import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ParsedCommand;
import dev.mailcore.imap.internal.message.MessageCache;
import dev.mailcore.netty.Offload;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.StartTls;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslMechanisms;
import dev.mailcore.netty.sasl.SaslStep;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One IMAP connection: the state machine (not authenticated, authenticated, selected, logout) behind the
 * {@link ImapDecoder}. Each decoded command pauses the decoder; the command's store or auth calls run on the
 * configured executor (or inline for {@link NonBlocking} SPIs), its responses are collected and written with the
 * tagged completion in one flush, and the decoder is resumed for the next command. Store events of the selected mailbox are
 * queued in the {@link MailboxView} and reported when a command completes (expunges not during FETCH, STORE and
 * SEARCH, RFC 9051 §7.5.1) or at once while the client idles.
 */
public final class ImapSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private enum Mode {
        /** Reading commands. */
        COMMAND,
        /** Reading SASL responses. */
        AUTH,
        /** IDLE: waiting for DONE. */
        IDLE,
        /** STARTTLS handshake. */
        TLS,
        /** Closing or closed. */
        CLOSED
    }

    private final ImapConfig config;
    private final ConnectionContext context;
    private final ImapDecoder decoder;
    private final SaslMechanisms sasl;
    private final RecentTracker recentTracker;
    private final MessageCache messageCache;
    private final Store store;
    private final boolean storeInline;
    private final boolean authInline;
    private final InputWatch inputWatch;
    final Commands commands;

    private ChannelHandlerContext ctx;
    private Channel channel;

    State state = State.NOT_AUTHENTICATED;
    private Mode mode = Mode.COMMAND;
    private boolean busy;
    private boolean tlsActive;
    String user;
    private int badCommands;
    private int authFailures;
    private boolean shutdownRequested;
    private ScheduledFuture<?> autologout;
    private long lastInputNanos;

    // client capabilities
    boolean rev2;
    boolean condStore;
    boolean qresync;

    /**
     * Marks the client CONDSTORE-aware after a CONDSTORE enabling command (RFC 7162 §3.1): from now on every
     * unsolicited FETCH carries UID and MODSEQ. The first one with a mailbox selected also reports its HIGHESTMODSEQ.
     */
    void enableCondStore() {
        if (condStore) {
            return;
        }
        condStore = true;
        if (view != null && state == State.SELECTED && out != null) {
            out.line("* OK [HIGHESTMODSEQ " + Math.max(1, view.highestModSeq) + "] Highest");
        }
    }

    // SASL
    private SaslExchange exchange;
    private String authTag;
    private String saslSuccessUser;
    /** How the current or last login was tried, for the hooks: LOGIN or AUTHENTICATE mechanism. */
    private String loginMethod;

    // IDLE
    private String idleTag;
    private ScheduledFuture<?> idleKeepalive;

    // selected mailbox
    MailboxView view;
    private Registration registration;
    /** The saved search result (RFC 5182), as UIDs ascending; null when none. */
    long[] savedSearch;

    /** The response of the command being executed. */
    Responses out;

    public ImapSession(ImapConfig config, ConnectionContext context, ImapDecoder decoder, SaslMechanisms sasl,
                       RecentTracker recentTracker, MessageCache messageCache) {
        this.config = config;
        this.context = context;
        this.decoder = decoder;
        this.sasl = sasl;
        this.recentTracker = recentTracker;
        this.messageCache = messageCache;
        this.store = config.store();
        this.storeInline = NonBlocking.isNonBlocking(store);
        this.authInline = NonBlocking.isNonBlocking(config.authProvider());
        this.tlsActive = context.implicitTls();
        this.inputWatch = new InputWatch(this::onInput);
        this.commands = new Commands(this);
    }

    /** The handler to place before the decoder (it re-arms the autologout timer on every input). */
    public io.netty.channel.ChannelHandler inputWatch() {
        return inputWatch;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    /** Greets the client. Call on the event loop once the handlers are in the pipeline. */
    public void start() {
        lastInputNanos = nanoTime();
        CommandHooks.notify(config.hooks(), CommandHooks.Event.CONNECTED, context, channel, null, null);
        ctx.writeAndFlush(buffer("* OK [CAPABILITY " + capabilities() + "] mailcore ready.\r\n"));
        armAutologout();
    }

    ImapConfig config() {
        return config;
    }

    Store store() {
        return store;
    }

    RecentTracker recentTracker() {
        return recentTracker;
    }

    MessageCache messageCache() {
        return messageCache;
    }

    Channel channel() {
        return channel;
    }

    // ------------------------------------------------------------------ capabilities

    String capabilities() {
        StringBuilder b = new StringBuilder("IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ENABLE IDLE ID");
        if (state == State.NOT_AUTHENTICATED) {
            if (startTlsOffered()) {
                b.append(" STARTTLS");
            }
            if (!authAllowedNow()) {
                b.append(" LOGINDISABLED");
            } else {
                for (String mechanism : sasl.names()) {
                    b.append(" AUTH=").append(mechanism);
                }
            }
            return b.toString();
        }
        b.append(" NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE"
                + " ESEARCH SEARCHRES CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT"
                + " THREAD=REFERENCES BINARY MULTIAPPEND QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE APPENDLIMIT=")
                .append(config.maxMessageSize()).append(" STATUS=SIZE WITHIN");
        return b.toString();
    }

    private boolean startTlsOffered() {
        return !tlsActive && context.listener().tlsMode() == TlsMode.STARTTLS && context.tls() != null;
    }

    private boolean authAllowedNow() {
        return tlsActive || isLoopback() || config.allowInsecureAuth();
    }

    private boolean isLoopback() {
        InetAddress address = context.remote() == null ? null : context.remote().getAddress();
        return address != null && address.isLoopbackAddress();
    }

    /** Whether 8-bit mailbox names and strings go over the wire as UTF-8 (IMAP4rev2). */
    boolean utf8() {
        return rev2;
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (mode == Mode.CLOSED) {
                if (msg instanceof ImapInput.Command) {
                    closeQuietly(((ImapInput.Command) msg).command().resources());
                }
                return;
            }
            decoder.setPaused(true);
            if (msg instanceof ImapInput.Command) {
                onCommand(((ImapInput.Command) msg).command());
            } else if (msg instanceof ImapInput.Bad) {
                onBad((ImapInput.Bad) msg);
            } else if (msg instanceof ImapInput.RawLine) {
                onRawLine(((ImapInput.RawLine) msg).line());
            } else {
                LOG.warn("{}: unexpected input {}", id(), msg);
                resumeLater();
            }
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShutdownEvent) {
            shutdownRequested = true;
            if (!busy && (mode == Mode.COMMAND || mode == Mode.IDLE)) {
                closeWith("* BYE Server shutting down.");
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mode = Mode.CLOSED;
        cancelAutologout();
        cancelIdleKeepalive();
        exchange = null;
        unselect();
        CommandHooks.notify(config.hooks(), CommandHooks.Event.CLOSED, context, channel, user, null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: connection error, closing", id(), cause);
        if (mode != Mode.CLOSED) {
            mode = Mode.CLOSED;
            unselect();
            ctx.close();
        }
    }

    private void onBad(ImapInput.Bad bad) {
        if (mode == Mode.IDLE) {
            // an over-long line instead of DONE: IDLE ends as for any other line that is not DONE
            String tag = idleTag;
            endModal();
            out = newResponses();
            bad(tag, "Expected DONE.");
            return;
        }
        if (mode == Mode.AUTH) {
            // an over-long SASL response: AUTHENTICATE fails, the connection stays
            String tag = authTag;
            endSasl();
            out = newResponses();
            bad(tag, "Authentication response too long.");
            return;
        }
        out = newResponses();
        out.line(bad.response());
        if (bad.close()) {
            writeOut();
            // RFC 7888 §5: a BYE for a too big non-synchronising literal SHOULD carry TOOBIG
            closeWith(bad.response().contains("[TOOBIG]") ? "* BYE [TOOBIG] Literal too big."
                    : "* BYE Too many invalid IMAP commands.");
            return;
        }
        if (isBad(bad.response())) {
            countBad();
        }
        finishCommand(null, false);
    }

    /** Whether a decoder response ({@code "tag BAD ..."}, {@code "* BAD ..."}) is a BAD rather than a NO. */
    private static boolean isBad(String response) {
        int space = response.indexOf(' ');
        return space > 0 && response.startsWith("BAD", space + 1);
    }

    /** Counts a syntax error; {@link ImapConfig#maxBadCommands()} of them in a row close the connection. */
    private void countBad() {
        badCommands++;
    }

    private void onCommand(ParsedCommand parsed) {
        if (mode != Mode.COMMAND) {
            closeQuietly(parsed.resources());
            LOG.warn("{}: command in mode {} ignored", id(), mode);
            resumeLater();
            return;
        }
        out = newResponses();
        String tag = parsed.tag();
        ImapCommand command = parsed.command();
        String allowed = allowedIn(command);
        if (allowed != null) {
            closeQuietly(parsed.resources());
            refused(tag, allowed);
            return;
        }
        ImapAction hook = CommandHooks.before(config.hooks(), context, channel, user, command);
        if (hook instanceof ImapAction.Stall st) {
            stallThen(st.duration(), tag, command, parsed);
            return;
        }
        if (!(hook instanceof ImapAction.Proceed)) {
            closeQuietly(parsed.resources());
            if (hook instanceof ImapAction.Reply r) {
                tagged(tag, r.response(), false);
            } else if (hook instanceof ImapAction.Disconnect d) {
                closeWith(d.byeText() == null ? null : "* BYE " + d.byeText());
            }
            return;
        }
        try {
            commands.execute(tag, command, parsed.resources());
        } catch (RuntimeException e) {
            closeQuietly(parsed.resources());
            throw e;
        }
    }

    /** Runs the command after {@code duration}, reading nothing meanwhile; the event loop is not blocked. */
    private void stallThen(Duration duration, String tag, ImapCommand command, ParsedCommand parsed) {
        busy = true;
        cancelAutologout();
        ctx.executor().schedule(() -> {
            busy = false;
            if (mode == Mode.CLOSED) {
                closeQuietly(parsed.resources());
                if (out != null) {
                    out.release();
                    out = null;
                }
                return;
            }
            try {
                commands.execute(tag, command, parsed.resources());
            } catch (RuntimeException e) {
                closeQuietly(parsed.resources());
                internalError(e);
            }
        }, duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Null when the command may run in the current state, else the BAD text. */
    private String allowedIn(ImapCommand c) {
        if (c instanceof ImapCommand.Capability || c instanceof ImapCommand.Noop || c instanceof ImapCommand.Logout
                || c instanceof ImapCommand.Id) {
            return null;
        }
        if (c instanceof ImapCommand.StartTls || c instanceof ImapCommand.Authenticate
                || c instanceof ImapCommand.Login) {
            return state == State.NOT_AUTHENTICATED ? null : "Already logged in.";
        }
        if (state == State.NOT_AUTHENTICATED) {
            return "Please login first.";
        }
        if (c instanceof ImapCommand.Check || c instanceof ImapCommand.Close || c instanceof ImapCommand.Unselect
                || c instanceof ImapCommand.Expunge || c instanceof ImapCommand.Search
                || c instanceof ImapCommand.Fetch || c instanceof ImapCommand.Store || c instanceof ImapCommand.Copy
                || c instanceof ImapCommand.Move || c instanceof ImapCommand.Sort
                || c instanceof ImapCommand.Thread) {
            return state == State.SELECTED ? null : "No mailbox selected.";
        }
        return null;
    }

    private void onRawLine(String line) {
        if (mode == Mode.IDLE) {
            String tag = idleTag;
            endModal();
            out = newResponses();
            if (line.trim().equalsIgnoreCase("DONE")) {
                tagged(tag, "OK Idle completed.", true);
            } else {
                bad(tag, "Expected DONE.");
            }
            return;
        }
        if (mode == Mode.AUTH) {
            onSaslResponse(line);
            return;
        }
        LOG.debug("{}: raw line outside IDLE/AUTHENTICATE ignored", id());
        resumeLater();
    }

    private void endModal() {
        decoder.rawLineMode(false);
        mode = Mode.COMMAND;
        exchange = null;
        idleTag = null;
        cancelIdleKeepalive();
    }

    // ------------------------------------------------------------------ completion

    Responses newResponses() {
        return new Responses(channel.alloc(), channel);
    }

    /** Ends a command with {@code tag BAD text} for a syntax error; counts towards the bad command limit. */
    void bad(String tag, String text) {
        countBad();
        tagged(tag, "BAD " + text, false);
    }

    /**
     * Ends a command with {@code tag BAD text} for a well-formed command that is not allowed now (wrong state, an
     * extension not enabled): not counted as a bad command, as Dovecot does not count it.
     */
    void refused(String tag, String text) {
        tagged(tag, "BAD " + text, false);
    }

    /**
     * Ends a command with its tagged response; {@code expunges}: whether EXPUNGE may be reported now. A command that
     * completes with OK or NO resets the count of bad commands (as Dovecot does): only consecutive errors close.
     */
    void tagged(String tag, String text, boolean expunges) {
        if (!text.startsWith("BAD")) {
            badCommands = 0;
        }
        finishCommand(tag + " " + text, expunges);
    }

    /** Ends a command with a response built from a store failure. */
    void failed(String tag, Throwable e, String mailboxName) {
        tagged(tag, noFor(e, mailboxName), true);
    }

    String noFor(Throwable e, String mailboxName) {
        if (e instanceof StoreException) {
            StoreException se = (StoreException) e;
            switch (se.error()) {
                case NO_SUCH_MAILBOX:
                    return "NO [NONEXISTENT] Mailbox doesn't exist: " + nameForText(mailboxName);
                case MAILBOX_EXISTS:
                    return "NO [ALREADYEXISTS] Mailbox already exists";
                case NOT_ALLOWED:
                    return "NO [CANNOT] " + oneLine(se.getMessage());
                case NO_SUCH_MESSAGE:
                    return "NO [EXPUNGEISSUED] Some of the requested messages no longer exist.";
                case OVER_QUOTA:
                case STORAGE_FULL:
                    return "NO [OVERQUOTA] Quota exceeded (mailbox for user is full)";
                default:
                    break;
            }
        }
        LOG.warn("{}: store failure", id(), e);
        return "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.";
    }

    private static String nameForText(String name) {
        return name == null ? "" : oneLine(name);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }

    private void finishCommand(String taggedLine, boolean expunges) {
        busy = false;
        if (mode == Mode.CLOSED) {
            if (out != null) {
                out.release();
                out = null;
            }
            return;
        }
        if (out == null) {
            out = newResponses();
        }
        if (view != null && state == State.SELECTED) {
            view.drain(expunges, reporter(out));
        }
        if (taggedLine != null) {
            out.line(taggedLine);
        }
        writeOut();
        ctx.flush();
        if (pendingBye != null && view == pendingByeView) {
            closeWith(pendingBye);
            return;
        }
        pendingBye = null;
        pendingByeView = null;
        if (badCommands >= config.maxBadCommands()) {
            LOG.info("{}: too many bad commands from {}", id(), context.remote());
            closeWith("* BYE Too many invalid IMAP commands.");
            return;
        }
        if (state == State.LOGOUT) {
            mode = Mode.CLOSED;
            cancelAutologout();
            unselect();
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (shutdownRequested && mode == Mode.COMMAND) {
            closeWith("* BYE Server shutting down.");
            return;
        }
        resumeLater();
    }

    private void writeOut() {
        if (out == null) {
            return;
        }
        ByteBuf buf = out.take();
        out = null;
        if (buf != null) {
            ctx.write(buf, ctx.voidPromise());
        }
    }

    /** Lets the next command through, from a fresh event loop task (the decoder must not be re-entered). */
    void resumeLater() {
        if (mode == Mode.CLOSED) {
            return;
        }
        armAutologout();
        channel.eventLoop().execute(() -> {
            if (mode != Mode.CLOSED && !busy) {
                decoder.setPaused(false);
            }
        });
    }

    /** Writes {@code line} (unless null), flushes and closes; nothing more is read. */
    void closeWith(String line) {
        if (mode == Mode.CLOSED) {
            return;
        }
        mode = Mode.CLOSED;
        cancelAutologout();
        cancelIdleKeepalive();
        unselect();
        writeOut();
        ctx.writeAndFlush(line == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : buffer(line + "\r\n"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void internalError(RuntimeException e) {
        LOG.error("{}: internal error", id(), e);
        if (out != null) {
            out.release();
            out = null;
        }
        closeWith("* BYE Internal error occurred. Refer to server log for more information.");
    }

    private ByteBuf buffer(String s) {
        return io.netty.buffer.Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ async

    /**
     * Runs {@code call} on the executor (inline when {@code inline}), then {@code apply} or {@code failed} on the event
     * loop. The command completes from {@code apply}/{@code failed} (they must call {@link #tagged} or similar).
     */
    <T> void async(boolean inline, Supplier<T> call, Consumer<T> apply, Consumer<Throwable> failed) {
        async(inline, call, apply, failed, null);
    }

    private <T> void async(boolean inline, Supplier<T> call, Consumer<T> apply, Consumer<Throwable> failed,
                           AutoCloseable resources) {
        busy = true;
        cancelAutologout();
        if (inline) {
            T result;
            try {
                result = call.get();
            } catch (Throwable t) {
                complete(null, t, apply, failed, resources);
                return;
            }
            complete(result, null, apply, failed, resources);
            return;
        }
        Offload.call(config.executor(), channel.eventLoop(), call::get,
                (r, f) -> complete(r, f, apply, failed, resources));
    }

    /** {@link #async} for store calls. */
    <T> void storeCall(Supplier<T> call, Consumer<T> apply, Consumer<Throwable> failed) {
        async(storeInline, call, apply, failed, null);
    }

    /**
     * {@link #storeCall} for a command holding {@code resources} (spooled literals): they are released once the call
     * is over, whatever became of it or of the connection, also when the executor refused the call.
     */
    <T> void storeCall(Supplier<T> call, Consumer<T> apply, Consumer<Throwable> failed, AutoCloseable resources) {
        async(storeInline, call, apply, failed, resources);
    }

    private <T> void complete(T result, Throwable failure, Consumer<T> apply, Consumer<Throwable> failed,
                              AutoCloseable resources) {
        closeQuietly(resources);
        if (mode == Mode.CLOSED) {
            busy = false;
            if (result instanceof Snapshot) {
                ((Snapshot) result).registration().close(); // a SELECT finished after the client left
            }
            if (out != null) {
                out.release();
                out = null;
            }
            return;
        }
        try {
            if (failure != null) {
                if (failure instanceof Error && !(failure instanceof OutOfMemoryError)) {
                    LOG.error("{}: error in SPI call", id(), failure);
                }
                failed.accept(failure);
            } else {
                apply.accept(result);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    // ------------------------------------------------------------------ autologout

    private void onInput() {
        lastInputNanos = nanoTime();
    }

    /** The event loop's clock (a test's EmbeddedChannel can advance it). */
    private long nanoTime() {
        if (ctx != null && ctx.executor() instanceof io.netty.util.concurrent.AbstractScheduledEventExecutor) {
            return ((io.netty.util.concurrent.AbstractScheduledEventExecutor) ctx.executor()).ticker().nanoTime();
        }
        return System.nanoTime();
    }

    private void armAutologout() {
        Duration timeout = config.autologoutTimeout();
        if (timeout.isZero() || autologout != null || mode == Mode.CLOSED || ctx == null) {
            return;
        }
        autologout = ctx.executor().schedule(this::checkAutologout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkAutologout() {
        autologout = null;
        if (mode == Mode.CLOSED || busy) {
            return;
        }
        long idle = nanoTime() - lastInputNanos;
        long timeout = config.autologoutTimeout().toNanos();
        if (idle >= timeout) {
            LOG.info("{}: autologout after {} idle", id(), config.autologoutTimeout());
            closeWith("* BYE Disconnected for inactivity.");
        } else {
            autologout = ctx.executor().schedule(this::checkAutologout, timeout - idle, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelAutologout() {
        if (autologout != null) {
            autologout.cancel(false);
            autologout = null;
        }
    }

    // ------------------------------------------------------------------ not authenticated

    void logout(String tag) {
        out.line("* BYE Logging out");
        state = State.LOGOUT;
        tagged(tag, "OK Logout completed.", true);
    }

    void startTls(String tag) {
        if (!startTlsOffered()) {
            refused(tag, tlsActive ? "TLS is already active." : "TLS support isn't enabled.");
            return;
        }
        out.line(tag + " OK Begin TLS negotiation now.");
        writeOut();
        ctx.flush();
        mode = Mode.TLS;
        int dropped = decoder.discardBuffered();
        if (dropped > 0) {
            LOG.warn("{}: discarded {} octets pipelined after STARTTLS from {}", id(), dropped, context.remote());
        }
        Future<Channel> handshake;
        try {
            handshake = StartTls.upgrade(channel, context.tls());
        } catch (RuntimeException e) {
            LOG.warn("{}: STARTTLS failed", id(), e);
            mode = Mode.CLOSED;
            channel.close();
            return;
        }
        channel.config().setAutoRead(true); // the handshake needs reads; the decoder stays paused
        handshake.addListener(done -> {
            if (mode != Mode.TLS) {
                return;
            }
            if (!done.isSuccess()) {
                LOG.info("{}: TLS handshake failed: {}", id(), String.valueOf(done.cause()));
                mode = Mode.CLOSED;
                channel.close();
                return;
            }
            tlsActive = true;
            mode = Mode.COMMAND;
            resumeLater();
        });
    }

    void login(String tag, String username, String password) {
        if (!authAllowedNow()) {
            tagged(tag, "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    false);
            return;
        }
        if (config.authThrottle().isBlocked(remoteAddress())) {
            closeWith("* BYE Too many authentication failures.");
            return;
        }
        loginMethod = "LOGIN";
        async(authInline, () -> config.authProvider().verifyPassword(username, password), result -> {
            if (result instanceof AuthResult.Success) {
                loggedIn(tag, ((AuthResult.Success) result).user());
            } else if (result instanceof AuthResult.TemporaryFailure) {
                temporaryAuthFailure(tag);
            } else {
                authFailed(tag);
            }
        }, e -> {
            LOG.warn("{}: auth provider failure", id(), e);
            temporaryAuthFailure(tag);
        });
    }

    void authenticate(String tag, String mechanism, String initialResponse) {
        if (!authAllowedNow()) {
            tagged(tag, "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    false);
            return;
        }
        if (config.authThrottle().isBlocked(remoteAddress())) {
            closeWith("* BYE Too many authentication failures.");
            return;
        }
        SaslExchange started = sasl.start(mechanism);
        if (started == null) {
            tagged(tag, "NO Unsupported authentication mechanism.", false);
            return;
        }
        byte[] initial = null;
        if (initialResponse != null) {
            initial = initialResponse.equals("=") ? new byte[0] : decodeBase64(initialResponse);
            if (initial == null) {
                bad(tag, "Invalid base64 data in initial response.");
                return;
            }
        }
        exchange = started;
        authTag = tag;
        saslSuccessUser = null;
        loginMethod = "AUTHENTICATE " + mechanism.toUpperCase(java.util.Locale.ROOT);
        mode = Mode.AUTH;
        byte[] ir = initial;
        saslStep(() -> started.start(ir));
    }

    private void onSaslResponse(String line) {
        String tag = authTag;
        out = newResponses();
        String text = line.trim();
        if (text.equals("*")) {
            endSasl();
            refused(tag, "Authentication aborted by client.");
            return;
        }
        byte[] response = decodeBase64(text);
        if (response == null) {
            endSasl();
            bad(tag, "Invalid base64 data in continued response.");
            return;
        }
        if (saslSuccessUser != null) {
            String authenticated = saslSuccessUser;
            endSasl();
            if (response.length == 0) {
                loggedIn(tag, authenticated);
            } else {
                authFailed(tag);
            }
            return;
        }
        SaslExchange current = exchange;
        saslStep(() -> current.next(response));
    }

    private void saslStep(Supplier<SaslStep> step) {
        String tag = authTag;
        async(authInline, step, result -> {
            if (mode != Mode.AUTH) {
                return;
            }
            if (result instanceof SaslStep.Challenge) {
                continuation(((SaslStep.Challenge) result).data());
            } else if (result instanceof SaslStep.Success) {
                SaslStep.Success success = (SaslStep.Success) result;
                if (success.additionalData() != null && success.additionalData().length > 0) {
                    saslSuccessUser = success.user();
                    continuation(success.additionalData());
                } else {
                    endSasl();
                    loggedIn(tag, success.user());
                }
            } else {
                SaslStep.Failure failure = (SaslStep.Failure) result;
                LOG.info("{}: authentication failed from {}: {} {}", id(), context.remote(), failure.reason(),
                        failure.message());
                endSasl();
                if (failure.reason() == SaslStep.Reason.TEMPORARY) {
                    temporaryAuthFailure(tag);
                } else if (failure.reason() == SaslStep.Reason.MALFORMED) {
                    bad(tag, "Invalid authentication data.");
                } else {
                    authFailed(tag);
                }
            }
        }, e -> {
            LOG.warn("{}: authentication error", id(), e);
            endSasl();
            temporaryAuthFailure(tag);
        });
    }

    private void continuation(byte[] data) {
        busy = false;
        if (out == null) {
            out = newResponses();
        }
        out.line("+ " + Base64.getEncoder().encodeToString(data));
        writeOut();
        ctx.flush();
        decoder.rawLineMode(true);
        resumeLater();
    }

    private void endSasl() {
        exchange = null;
        saslSuccessUser = null;
        decoder.rawLineMode(false);
        if (mode == Mode.AUTH) {
            mode = Mode.COMMAND;
        }
    }

    private void loggedIn(String tag, String canonicalUser) {
        user = canonicalUser;
        state = State.AUTHENTICATED;
        decoder.authenticated(true);
        LOG.info("{}: {} logged in", id(), canonicalUser);
        CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGGED_IN, context, channel, user, loginMethod);
        tagged(tag, "OK [CAPABILITY " + capabilities() + "] Logged in", false);
    }

    private void temporaryAuthFailure(String tag) {
        CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGIN_FAILED, context, channel, null, loginMethod);
        tagged(tag, "NO [UNAVAILABLE] Temporary authentication failure.", false);
    }

    private void authFailed(String tag) {
        String failure = "NO [AUTHENTICATIONFAILED] Authentication failed.";
        CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGIN_FAILED, context, channel, null, loginMethod);
        authFailures++;
        int fromAddress = config.authThrottle().recordFailure(remoteAddress());
        if (config.authThrottle().reachesBlock(authFailures) || config.authThrottle().reachesBlock(fromAddress)) {
            if (out == null) {
                out = newResponses();
            }
            out.line(tag + " " + failure);
            closeWith("* BYE Too many authentication failures.");
            return;
        }
        Duration delay = config.authThrottle().delayFor(Math.max(authFailures, fromAddress));
        if (delay.isZero()) {
            tagged(tag, failure, false);
            return;
        }
        busy = true;
        cancelAutologout();
        ctx.executor().schedule(() -> {
            if (mode != Mode.CLOSED) {
                tagged(tag, failure, false);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private InetAddress remoteAddress() {
        return context.remote() == null ? null : context.remote().getAddress();
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ IDLE

    void idle(String tag) {
        idleTag = tag;
        mode = Mode.IDLE;
        busy = false;
        out.line("+ idling");
        if (view != null) {
            view.drain(true, reporter(out));
        }
        writeOut();
        ctx.flush();
        decoder.rawLineMode(true);
        scheduleIdleKeepalive();
        resumeLater();
    }

    /** Dovecot's {@code * OK Still here} every {@link ImapConfig#idleKeepaliveInterval()} while the client idles. */
    private void scheduleIdleKeepalive() {
        Duration interval = config.idleKeepaliveInterval();
        if (interval.isZero() || mode != Mode.IDLE) {
            return;
        }
        idleKeepalive = ctx.executor().schedule(() -> {
            idleKeepalive = null;
            if (mode == Mode.IDLE) {
                if (!busy) {
                    ctx.writeAndFlush(buffer("* OK Still here\r\n"), ctx.voidPromise());
                }
                scheduleIdleKeepalive();
            }
        }, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelIdleKeepalive() {
        if (idleKeepalive != null) {
            idleKeepalive.cancel(false);
            idleKeepalive = null;
        }
    }

    // ------------------------------------------------------------------ selected state

    /**
     * Opens a view of {@code ref}: subscribes to the store first (events queue in the view), then reads the snapshot;
     * events older than the snapshot are recognised and skipped when the view drains.
     */
    void select(String tag, ImapCommand.Select select, MailboxRef ref, String clientName) {
        boolean hadMailbox = view != null;
        unselect();
        if (hadMailbox) {
            state = State.AUTHENTICATED;
            if (rev2 || qresync) {
                out.line("* OK [CLOSED] Previous mailbox closed.");
            }
        } else {
            state = State.AUTHENTICATED;
        }
        if (select.condStore() || select.qresync() != null) {
            condStore = true;
        }
        if (select.qresync() != null && !qresync) {
            refused(tag, "QRESYNC isn't enabled.");
            return;
        }
        Object token = new Object();
        selecting = token;
        String owner = user;
        storeCall(() -> {
            MailboxInfo info = store.mailbox(ref)
                    .orElseThrow(() -> new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox"));
            RecentTracker.Claim claim = select.readOnly() ? null : recentTracker.claim(ref, info.uidValidity());
            MailboxView v = new MailboxView(ref, info.uidValidity(), select.readOnly(), claim);
            // subscribe before reading the snapshot: events in between queue in the view and are recognised as old
            Registration reg = store.subscribe(owner, event -> onStoreEvent(v, event));
            try {
                MailboxInfo now = store.mailbox(ref)
                        .orElseThrow(() -> new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox"));
                return new Snapshot(now, store.messages(ref), v, claim, reg);
            } catch (RuntimeException e) {
                reg.close();
                throw e;
            }
        }, snapshot -> openView(tag, select, clientName, snapshot, token), e -> {
            if (selecting == token) {
                selecting = null;
            }
            failed(tag, e, clientName);
        });
    }

    private Object selecting;

    private void openView(String tag, ImapCommand.Select select, String clientName, Snapshot snapshot,
                          Object token) {
        MailboxView v = snapshot.view;
        if (selecting != token) {
            snapshot.registration.close();
            tagged(tag, "NO Mailbox selection was interrupted.", true);
            return;
        }
        selecting = null;
        if (snapshot.info.uidValidity() != v.uidValidity) {
            snapshot.registration.close();
            tagged(tag, "NO [UNAVAILABLE] Mailbox changed while being selected, try again.", true);
            return;
        }
        long recentAbove;
        if (snapshot.claim != null) {
            long max = snapshot.messages.isEmpty() ? 0 : snapshot.messages.get(snapshot.messages.size() - 1).uid();
            recentAbove = snapshot.claim.claimUpTo(max);
        } else {
            recentAbove = recentTracker.peek(v.ref, v.uidValidity);
        }
        view = v;
        registration = snapshot.registration;
        v.load(snapshot.info, snapshot.messages, recentAbove);
        state = State.SELECTED;
        savedSearch = null;
        selectResponses(select, snapshot, clientName);
    }

    private void selectResponses(ImapCommand.Select select, Snapshot snapshot, String clientName) {
        MailboxView v = view;
        String tag = currentTag;
        out.line("* FLAGS (" + flagList(v.keywords) + ")");
        if (v.readOnly) {
            out.line("* OK [PERMANENTFLAGS ()] Read-only mailbox.");
        } else {
            out.line("* OK [PERMANENTFLAGS (" + flagList(v.keywords) + " \\*)] Flags permitted.");
        }
        out.line("* " + v.count() + " EXISTS");
        if (!rev2) {
            out.line("* " + v.recentCount() + " RECENT");
            int firstUnseen = 0;
            for (int i = 0; i < snapshot.messages.size(); i++) {
                if (!snapshot.messages.get(i).flags().contains(Flag.SEEN)) {
                    firstUnseen = i + 1;
                    break;
                }
            }
            if (firstUnseen > 0) {
                out.line("* OK [UNSEEN " + firstUnseen + "] First unseen.");
            }
        }
        out.line("* OK [UIDVALIDITY " + v.uidValidity + "] UIDs valid");
        out.line("* OK [UIDNEXT " + v.uidNext + "] Predicted next UID");
        out.line("* OK [HIGHESTMODSEQ " + Math.max(1, v.highestModSeq) + "] Highest");
        if (rev2) {
            out.line("* LIST () \"/\" " + ImapStrings.astring(MailboxNameCodec.toClient(v.ref.name(), utf8()),
                    utf8()));
        }
        if (select.qresync() != null) {
            Commands.qresyncResponses(this, select.qresync(), snapshot.messages);
        }
        tagged(tag, "OK [" + (v.readOnly ? "READ-ONLY" : "READ-WRITE") + "] "
                + (select.readOnly() ? "Examine" : "Select") + " completed.", true);
    }

    /** The tag of the command being executed (set by {@link Commands}). */
    String currentTag;

    /** What SELECT read: the mailbox, its messages, the view to fill and the subscription feeding it. */
    record Snapshot(MailboxInfo info, List<MessageMeta> messages, MailboxView view, RecentTracker.Claim claim,
                    Registration registration) {
    }

    /** Leaves the selected state without expunging; ends the store subscription. */
    void unselect() {
        if (registration != null) {
            try {
                registration.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not end a store subscription", id(), e);
            }
            registration = null;
        }
        view = null;
        savedSearch = null;
        if (state == State.SELECTED) {
            state = State.AUTHENTICATED;
        }
    }

    /** Whether this session holds a store subscription (for tests). */
    boolean subscribed() {
        return registration != null;
    }

    private void onStoreEvent(MailboxView target, StoreEvent event) {
        String gone = null;
        if (event instanceof StoreEvent.MailboxDeleted && event.mailbox().name().equals(target.ref.name())) {
            gone = "* BYE Selected mailbox was deleted, have to disconnect.";
        } else if (event instanceof StoreEvent.MailboxRenamed
                && ((StoreEvent.MailboxRenamed) event).from().name().equals(target.ref.name())) {
            gone = "* BYE Selected mailbox was renamed, have to disconnect.";
        }
        if (gone != null) {
            String bye = gone;
            if (channel.eventLoop().inEventLoop()) {
                selectedMailboxGone(target, bye);
            } else {
                channel.eventLoop().execute(() -> selectedMailboxGone(target, bye));
            }
            return;
        }
        if (!(event instanceof StoreEvent.MessagesAdded || event instanceof StoreEvent.FlagsChanged
                || event instanceof StoreEvent.MessagesExpunged)) {
            return;
        }
        if (!event.mailbox().name().equals(target.ref.name())) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            queueEvent(target, event);
        } else {
            channel.eventLoop().execute(() -> queueEvent(target, event));
        }
    }

    /**
     * Another session deleted or renamed the selected mailbox: as Dovecot does, the connection ends with {@code * BYE}
     * (at once when waiting for a command or idling, else right after the tagged response of the running command).
     */
    private void selectedMailboxGone(MailboxView target, String bye) {
        if (view != target || mode == Mode.CLOSED) {
            return;
        }
        if (busy) {
            pendingBye = bye;
            pendingByeView = target;
        } else {
            LOG.info("{}: selected mailbox {} went away", id(), target.ref.name());
            closeWith(bye);
        }
    }

    /** A {@code * BYE} to send once the running command completes; null when none. */
    private String pendingBye;
    private MailboxView pendingByeView;

    private void queueEvent(MailboxView target, StoreEvent event) {
        if (view != target || mode == Mode.CLOSED) {
            return;
        }
        target.enqueue(event);
        if (mode == Mode.IDLE && !busy) {
            Responses r = newResponses();
            target.drain(true, reporter(r));
            ByteBuf buf = r.take();
            if (buf != null) {
                ctx.writeAndFlush(buf, ctx.voidPromise());
            }
        }
    }

    MailboxView.Reporter reporter(Responses r) {
        return new MailboxView.Reporter() {
            @Override
            public void exists(int exists, int recent) {
                r.line("* " + exists + " EXISTS");
                if (!rev2) {
                    r.line("* " + recent + " RECENT");
                }
            }

            @Override
            public void expunged(int msn) {
                r.line("* " + msn + " EXPUNGE");
            }

            @Override
            public boolean vanishedMode() {
                return qresync;
            }

            @Override
            public void vanished(List<Long> uids) {
                r.line("* VANISHED " + Sets.format(uids));
            }

            @Override
            public void flagsChanged(int msn, long uid, Flags flags, long modSeq, boolean recent) {
                StringBuilder b = new StringBuilder("* ").append(msn).append(" FETCH (");
                if (qresync || condStore) {
                    b.append("UID ").append(uid).append(' ');
                }
                b.append("FLAGS (").append(flagString(flags, recent && !rev2)).append(')');
                if (condStore) {
                    b.append(" MODSEQ (").append(modSeq).append(')');
                }
                r.line(b.append(')').toString());
            }

            @Override
            public void flags(Set<String> keywords) {
                r.line("* FLAGS (" + flagList(keywords) + ")");
                if (view != null && !view.readOnly) {
                    r.line("* OK [PERMANENTFLAGS (" + flagList(keywords) + " \\*)] Flags permitted.");
                }
            }
        };
    }

    // ------------------------------------------------------------------ formatting helpers

    static String flagList(Set<String> keywords) {
        StringBuilder b = new StringBuilder("\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : keywords) {
            b.append(' ').append(k);
        }
        return b.toString();
    }

    static String flagString(Flags flags, boolean recent) {
        StringBuilder b = new StringBuilder();
        for (Flag f : Flag.values()) {
            if (flags.contains(f)) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(f.imapName());
            }
        }
        if (recent) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append("\\Recent");
        }
        for (String k : flags.keywords()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k);
        }
        return b.toString();
    }

    String id() {
        return context.sessionId();
    }

    static void closeQuietly(AutoCloseable resources) {
        if (resources == null) {
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            LOG.debug("could not release command resources", e);
        }
    }
}
