package dev.mailcore.pop3.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.netty.Offload;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.StartTls;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslMechanisms;
import dev.mailcore.netty.sasl.SaslStep;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.pop3.Pop3Config;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One POP3 connection: the RFC 1939 state machine (AUTHORIZATION, TRANSACTION, UPDATE) behind a {@link Pop3Decoder}.
 *
 * <p>Store and auth-provider calls run on the configured executor while the decoder is paused, unless the SPI is
 * {@link NonBlocking}: then they run right here on the event loop. Replies are written as they are made and flushed
 * once the decoder has no more input (PIPELINING), so a RETR of a small message is one write and one flush.
 *
 * <p>At login the session takes the maildrop lock ({@link MaildropLocks}) and takes a snapshot of the INBOX: the
 * messages present then are numbered 1..n for the whole session; later arrivals are not shown. DELE only marks;
 * the marked messages are expunged in the UPDATE state after QUIT. A connection that ends any other way deletes
 * nothing. RETR and TOP stream the content from the store in slices of {@link #SLICE} octets, normalised to CRLF and
 * dot-stuffed by {@link WireFormat.Stuffer}; when the channel stops being writable the transfer waits for it.
 */
public final class Pop3Session extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    /** Octets read from the store at a time while streaming a message. */
    static final int SLICE = 32 * 1024;
    private static final String PLAINTEXT_DISALLOWED =
            "[AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
    private static final String AUTH_FAILED = "[AUTH] Authentication failed.";

    private enum State { AUTHORIZATION, TRANSACTION, UPDATE }

    private enum Mode {
        /** Reading commands. */
        COMMAND,
        /** Reading SASL responses. */
        SASL,
        /** STLS handshake running. */
        TLS,
        /** Closed or closing: nothing more is read or written. */
        CLOSED
    }

    /** One message of the maildrop snapshot. */
    private static final class Msg {
        final long uid;
        final long storeSize;
        long wireSize = -1;
        boolean deleted;
        boolean retrieved;

        Msg(long uid, long storeSize) {
            this.uid = uid;
            this.storeSize = storeSize;
        }
    }

    private record Maildrop(long uidValidity, List<MessageMeta> messages) {
    }

    /** The first slice of a message and the open stream for the rest (null when the slice holds it all). */
    private record Opened(InputStream rest, byte[] slice, int length, long wireSize) {
    }

    /** A RETR or TOP being streamed. */
    private static final class Transfer {
        final InputStream in;
        final WireFormat.Stuffer stuffer;
        final byte[] slice;

        Transfer(InputStream in, WireFormat.Stuffer stuffer, byte[] slice) {
            this.in = in;
            this.stuffer = stuffer;
            this.slice = slice;
        }
    }

    private final Pop3Config config;
    private final SaslMechanisms sasl;
    private final WireSizeCache sizeCache;
    private final ConnectionContext context;
    private final Pop3Decoder decoder;
    private final Store store;
    private final boolean storeInline;
    private final boolean authInline;

    private ChannelHandlerContext ctx;
    private Channel channel;

    private State state = State.AUTHORIZATION;
    private Mode mode = Mode.COMMAND;
    private boolean tlsActive;
    /** The server is working: the decoder is paused until {@link #maybeEndWork()} ends it. */
    private boolean busy;
    private int inFlight;
    private boolean waitingWritable;
    private boolean unflushed;
    private boolean shutdownRequested;
    private ScheduledFuture<?> idleTimer;
    private long lastActivity;
    private int badCommands;
    private int authFailures;
    /** How the current or last login was tried, for the hooks: USER/PASS, APOP or AUTH mechanism. */
    private String loginMethod;
    /** The user logged in, for the hooks (the lock is released earlier, at QUIT). */
    private String loggedInUser;
    private String apopTimestamp;

    // AUTHORIZATION
    private String pendingUser;
    private SaslExchange exchange;
    private String saslSuccessUser;

    // TRANSACTION
    private String lockedUser;
    private MailboxRef inbox;
    private long uidValidity;
    private Msg[] msgs = new Msg[0];
    private Transfer transfer;

    public Pop3Session(Pop3Config config, SaslMechanisms sasl, WireSizeCache sizeCache, ConnectionContext context,
                       Pop3Decoder decoder) {
        this.config = config;
        this.sasl = sasl;
        this.sizeCache = sizeCache;
        this.context = context;
        this.decoder = decoder;
        this.store = config.store();
        this.storeInline = NonBlocking.isNonBlocking(store);
        this.authInline = NonBlocking.isNonBlocking(config.authProvider());
        this.tlsActive = context.implicitTls();
        decoder.onInput(this::onInput);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.lastActivity = ctx.executor().ticker().nanoTime();
    }

    /** Greets the client. Call on the event loop once the handlers are in the pipeline. */
    public void start() {
        if (ctx == null) {
            throw new IllegalStateException("add the session to the pipeline first");
        }
        String greeting = "+OK mailcore ready.";
        if (config.apop()) {
            apopTimestamp = "<" + Long.toHexString(Double.doubleToLongBits(Math.random()) ^ System.nanoTime()) + "."
                    + config.clock().millis() + "@" + config.hostname() + ">";
            greeting += " " + apopTimestamp;
        }
        CommandHooks.notify(config.hooks(), CommandHooks.Event.CONNECTED, context, channel, null, null);
        send(greeting);
        flush();
        armTimer();
    }

    // ------------------------------------------------------------------ inbound events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof Pop3Line) || mode == Mode.CLOSED) {
                return;
            }
            Pop3Line line = (Pop3Line) msg;
            if (mode == Mode.SASL) {
                onSaslResponse(line);
            } else if (mode == Mode.COMMAND) {
                onCommand(line);
            }
            holdWhileUnwritable();
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Back-pressure for pipelined commands: when the replies written so far fill the channel's buffer, flush them and,
     * if the client does not take them at once, stop decoding until it has (memory stays bounded by the channel's
     * high water mark plus one reply).
     */
    private void holdWhileUnwritable() {
        if (busy || mode == Mode.CLOSED || channel.isWritable()) {
            return;
        }
        unflushed = false;
        ctx.flush();
        if (!channel.isWritable() && mode != Mode.CLOSED) {
            beginWork();
            waitingWritable = true;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy && mode != Mode.CLOSED) {
            checkShutdown();
            flush();
            armTimer();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (waitingWritable && channel.isWritable()) {
            lastActivity = ctx.executor().ticker().nanoTime(); // the client took some of our output
            waitingWritable = false;
            try {
                pump();
            } catch (RuntimeException e) {
                internalError(e);
            }
            maybeEndWork();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShutdownEvent) {
            shutdownRequested = true;
            checkShutdown();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mode = Mode.CLOSED;
        cancelTimer();
        exchange = null;
        if (inFlight == 0) {
            abortTransfer();
        }
        CommandHooks.notify(config.hooks(), CommandHooks.Event.CLOSED, context, channel, loggedInUser, null);
        releaseLock();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: connection error, closing", id(), cause);
        if (mode != Mode.CLOSED) {
            mode = Mode.CLOSED;
            ctx.close();
        }
    }

    // ------------------------------------------------------------------ commands

    private void onCommand(Pop3Line line) {
        if (line.problem() != null) {
            badCommand(line.problem() == Pop3Line.Problem.TOO_LONG ? "Input line too long."
                    : "Invalid characters in command (not UTF-8).");
            return;
        }
        String text = line.text();
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : text.substring(space + 1);
        Pop3Action hook = CommandHooks.before(config.hooks(), context, channel, lockedUser, verb, arg);
        if (hook instanceof Pop3Action.Reply r) {
            send(r.line());
            return;
        } else if (hook instanceof Pop3Action.Disconnect d) {
            closeWith(d.line());
            return;
        } else if (hook instanceof Pop3Action.Stall st) {
            stallThen(st.duration(), verb, arg);
            return;
        }
        execute(verb, arg);
    }

    /** Runs the command after {@code duration}, reading nothing meanwhile; the event loop is not blocked. */
    private void stallThen(Duration duration, String verb, String arg) {
        if (!busy) {
            beginWork();
        }
        inFlight++;
        ctx.executor().schedule(() -> {
            inFlight--;
            if (mode != Mode.CLOSED) {
                try {
                    execute(verb, arg);
                } catch (RuntimeException e) {
                    internalError(e);
                }
            }
            maybeEndWork();
        }, duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void execute(String verb, String arg) {
        switch (verb) {
            case "CAPA":
                capa();
                break;
            case "QUIT":
                quit();
                break;
            case "USER":
                if (inAuthorization(verb)) {
                    user(arg.trim());
                }
                break;
            case "PASS":
                if (inAuthorization(verb)) {
                    pass(arg);
                }
                break;
            case "APOP":
                if (inAuthorization(verb)) {
                    apop(arg.trim());
                }
                break;
            case "AUTH":
                if (inAuthorization(verb)) {
                    auth(arg.trim());
                }
                break;
            case "STLS":
                if (inAuthorization(verb)) {
                    stls(arg);
                }
                break;
            case "STAT":
                if (inTransaction(verb) && noArguments(verb, arg)) {
                    stat();
                }
                break;
            case "LIST":
                if (inTransaction(verb)) {
                    list(arg.trim());
                }
                break;
            case "UIDL":
                if (inTransaction(verb)) {
                    uidl(arg.trim());
                }
                break;
            case "RETR":
                if (inTransaction(verb)) {
                    retr(arg.trim());
                }
                break;
            case "TOP":
                if (inTransaction(verb)) {
                    top(arg.trim());
                }
                break;
            case "DELE":
                if (inTransaction(verb)) {
                    dele(arg.trim());
                }
                break;
            case "NOOP":
                if (inTransaction(verb) && noArguments(verb, arg)) {
                    send("+OK");
                }
                break;
            case "RSET":
                if (inTransaction(verb) && noArguments(verb, arg)) {
                    for (Msg m : msgs) {
                        m.deleted = false;
                    }
                    send("+OK " + msgs.length + " messages, none marked to be deleted.");
                }
                break;
            case "":
                badCommand("Empty command.");
                break;
            default:
                badCommand("Unknown command: " + printable(verb));
                break;
        }
    }

    private boolean inAuthorization(String verb) {
        if (state == State.AUTHORIZATION) {
            return true;
        }
        badCommand("Command not allowed after login: " + verb);
        return false;
    }

    private boolean inTransaction(String verb) {
        if (state == State.TRANSACTION) {
            return true;
        }
        badCommand("Command not allowed before login: " + verb);
        return false;
    }

    private boolean noArguments(String verb, String arg) {
        if (arg.trim().isEmpty()) {
            return true;
        }
        badCommand(verb + " takes no arguments.");
        return false;
    }

    private void capa() {
        List<String> lines = new ArrayList<>(14);
        lines.add("CAPA");
        lines.add("TOP");
        lines.add("UIDL");
        lines.add("RESP-CODES");
        lines.add("PIPELINING");
        lines.add("AUTH-RESP-CODE");
        // RFC 2449 §5: what is announced in AUTHORIZATION is announced in TRANSACTION too (USER and SASL are
        // "both / no"); STLS is AUTHORIZATION only (RFC 2595 §4). As Dovecot does.
        if (state == State.AUTHORIZATION && startTlsOffered()) {
            lines.add("STLS");
        }
        if (plaintextAllowed()) {
            lines.add("USER");
        }
        List<String> mechanisms = mechanismsNow();
        if (!mechanisms.isEmpty()) {
            lines.add("SASL " + String.join(" ", mechanisms));
        }
        if (config.expire() != null) {
            lines.add("EXPIRE " + expireNow());
        }
        if (config.loginDelay() != null) {
            lines.add("LOGIN-DELAY " + config.loginDelay().getSeconds());
        }
        lines.add("IMPLEMENTATION mailcore");
        sendMultiLine("+OK Capability list follows", lines);
    }

    /**
     * The EXPIRE argument for the current state: the configured value, whose {@code USER} suffix ("a more accurate
     * value is available after authentication") belongs to the AUTHORIZATION state only (RFC 2449 §6.7); after
     * login the value itself is the accurate one.
     */
    private String expireNow() {
        String expire = config.expire();
        if (state != State.AUTHORIZATION && expire.endsWith(" USER")) {
            return expire.substring(0, expire.length() - " USER".length());
        }
        return expire;
    }

    private void quit() {
        if (state != State.TRANSACTION) {
            closeWith("+OK Logging out.");
            return;
        }
        state = State.UPDATE;
        List<Long> deleted = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (Msg m : msgs) {
            if (m.deleted) {
                deleted.add(m.uid);
            } else if (m.retrieved && config.markSeen()) {
                seen.add(m.uid);
            }
        }
        if (deleted.isEmpty() && seen.isEmpty()) {
            releaseLock();
            closeWith("+OK Logging out.");
            return;
        }
        MailboxRef box = inbox;
        work(storeInline, () -> {
            if (!deleted.isEmpty()) {
                store.expunge(box, deleted);
            }
            if (!seen.isEmpty()) {
                try {
                    store.updateFlags(box, seen, FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
                } catch (RuntimeException e) {
                    LOG.warn("{}: could not mark retrieved messages seen", id(), e);
                }
            }
            return deleted.size();
        }, n -> {
            LOG.info("{}: {} logged out, {} messages deleted", id(), lockedUser, n);
            releaseLock();
            closeWith(n == 0 ? "+OK Logging out." : "+OK Logging out, messages deleted.");
        }, e -> {
            LOG.warn("{}: deleting messages of {} failed", id(), lockedUser, e);
            releaseLock();
            closeWith("-ERR [SYS/TEMP] Deleting messages failed; they are kept.");
        });
    }

    // ------------------------------------------------------------------ AUTHORIZATION

    private void user(String name) {
        if (!plaintextAllowed()) {
            error(PLAINTEXT_DISALLOWED);
            return;
        }
        if (name.isEmpty()) {
            badCommand("No user name given.");
            return;
        }
        pendingUser = name;
        send("+OK");
    }

    private void pass(String password) {
        if (!plaintextAllowed()) {
            error(PLAINTEXT_DISALLOWED);
            return;
        }
        if (pendingUser == null) {
            badCommand("No user name given (send USER first).");
            return;
        }
        String name = pendingUser;
        pendingUser = null;
        if (refuseBlocked()) {
            return;
        }
        AuthProvider provider = config.authProvider();
        loginMethod = "USER/PASS";
        work(authInline, () -> provider.verifyPassword(name, password), result -> {
            if (result instanceof AuthResult.Success success) {
                login(success.user());
            } else if (result instanceof AuthResult.TemporaryFailure temporary) {
                LOG.info("{}: temporary authentication failure: {}", id(), temporary.reason());
                temporaryAuthFailure();
            } else {
                LOG.info("{}: USER/PASS failed from {}", id(), context.remote());
                authFailed(AUTH_FAILED);
            }
        }, e -> {
            LOG.warn("{}: auth provider failed", id(), e);
            temporaryAuthFailure();
        });
    }

    private void apop(String arg) {
        if (!config.apop()) {
            badCommand("APOP is not enabled.");
            return;
        }
        int space = arg.lastIndexOf(' ');
        String name = space < 0 ? "" : arg.substring(0, space).trim();
        String digest = space < 0 ? "" : arg.substring(space + 1).toLowerCase(Locale.ROOT);
        if (name.isEmpty() || !digest.matches("[0-9a-f]{32}")) {
            badCommand("Syntax: APOP name digest");
            return;
        }
        if (refuseBlocked()) {
            return;
        }
        String timestamp = apopTimestamp;
        AuthProvider provider = config.authProvider();
        loginMethod = "APOP";
        work(authInline, () -> {
            Optional<AuthProvider.PlainTextSecret> secret = provider.plainTextPassword(name);
            if (secret.isEmpty()) {
                return Optional.<String>empty();
            }
            byte[] expected = md5Hex(timestamp + secret.get().password()).getBytes(StandardCharsets.US_ASCII);
            boolean match = MessageDigest.isEqual(expected, digest.getBytes(StandardCharsets.US_ASCII));
            return match ? Optional.of(secret.get().user()) : Optional.<String>empty();
        }, user -> {
            if (user.isPresent()) {
                login(user.get());
            } else {
                LOG.info("{}: APOP failed from {}", id(), context.remote());
                authFailed(AUTH_FAILED);
            }
        }, e -> {
            LOG.warn("{}: auth provider failed", id(), e);
            temporaryAuthFailure();
        });
    }

    private void auth(String arg) {
        if (arg.isEmpty()) {
            sendMultiLine("+OK", mechanismsNow());
            return;
        }
        String[] parts = arg.split(" +");
        if (parts.length > 2) {
            badCommand("Syntax: AUTH mechanism [initial-response]");
            return;
        }
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if (!mechanismsNow().contains(mechanism)) {
            if (sasl.names().contains(mechanism)) {
                error(PLAINTEXT_DISALLOWED);
            } else {
                badCommand("Unsupported authentication mechanism.");
            }
            return;
        }
        byte[] initial = null;
        if (parts.length == 2) {
            initial = parts[1].equals("=") ? new byte[0] : decodeBase64(parts[1]);
            if (initial == null) {
                badCommand("Invalid base64 data in initial response.");
                return;
            }
        }
        if (refuseBlocked()) {
            return;
        }
        SaslExchange started = sasl.start(mechanism);
        exchange = started;
        saslSuccessUser = null;
        loginMethod = "AUTH " + mechanism;
        mode = Mode.SASL;
        byte[] ir = initial;
        saslStep(() -> started.start(ir));
    }

    private void onSaslResponse(Pop3Line line) {
        if (line.problem() != null) {
            endSasl();
            badCommand("Invalid authentication response.");
            return;
        }
        String text = line.text().trim();
        if (text.equals("*")) {
            endSasl();
            error("Authentication aborted by client.");
            return;
        }
        byte[] response = decodeBase64(text);
        if (response == null) {
            endSasl();
            badCommand("Invalid base64 data in authentication response.");
            return;
        }
        if (saslSuccessUser != null) {
            String user = saslSuccessUser;
            endSasl();
            if (response.length == 0) {
                login(user);
            } else {
                authFailed(AUTH_FAILED);
            }
            return;
        }
        SaslExchange current = exchange;
        saslStep(() -> current.next(response));
    }

    private void saslStep(Callable<SaslStep> step) {
        work(authInline, step, result -> {
            if (mode != Mode.SASL) {
                return;
            }
            if (result instanceof SaslStep.Challenge challenge) {
                send("+ " + Base64.getEncoder().encodeToString(challenge.data()));
            } else if (result instanceof SaslStep.Success success) {
                if (success.additionalData() != null && success.additionalData().length > 0) {
                    saslSuccessUser = success.user();
                    send("+ " + Base64.getEncoder().encodeToString(success.additionalData()));
                } else {
                    endSasl();
                    login(success.user());
                }
            } else {
                SaslStep.Failure failure = (SaslStep.Failure) result;
                endSasl();
                LOG.info("{}: AUTH failed from {}: {} {}", id(), context.remote(), failure.reason(),
                        failure.message());
                if (failure.reason() == SaslStep.Reason.TEMPORARY) {
                    temporaryAuthFailure();
                } else {
                    authFailed(failure.reason() == SaslStep.Reason.MALFORMED
                            ? "[AUTH] Authentication failed (invalid authentication data)." : AUTH_FAILED);
                }
            }
        }, e -> {
            LOG.warn("{}: authentication error", id(), e);
            endSasl();
            temporaryAuthFailure();
        });
    }

    private void endSasl() {
        exchange = null;
        saslSuccessUser = null;
        if (mode == Mode.SASL) {
            mode = Mode.COMMAND;
        }
    }

    /** Closes the connection when the client's address is blocked by the throttle. */
    private boolean refuseBlocked() {
        if (config.authThrottle().isBlocked(remoteAddress())) {
            LOG.info("{}: login from {} refused: too many failures", id(), context.remote());
            closeWith("-ERR [AUTH] Too many authentication failures, try again later.");
            return true;
        }
        return false;
    }

    private void temporaryAuthFailure() {
        CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGIN_FAILED, context, channel, null, loginMethod);
        error("[SYS/TEMP] Temporary authentication failure, try again later.");
    }

    private void authFailed(String text) {
        CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGIN_FAILED, context, channel, null, loginMethod);
        authFailures++;
        AuthThrottle throttle = config.authThrottle();
        int fromAddress = throttle.recordFailure(remoteAddress());
        if (throttle.reachesBlock(authFailures) || throttle.reachesBlock(fromAddress)) {
            LOG.info("{}: {} authentication failures from {} ({} on this connection), closing", id(), fromAddress,
                    context.remote(), authFailures);
            closeWith("-ERR " + text);
            return;
        }
        Duration delay = throttle.delayFor(Math.max(authFailures, fromAddress));
        if (delay.isZero()) {
            error(text);
            return;
        }
        if (!busy) {
            beginWork();
        }
        inFlight++;
        ctx.executor().schedule(() -> {
            inFlight--;
            if (mode != Mode.CLOSED) {
                error(text);
            }
            maybeEndWork();
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The user is authenticated: lock the maildrop, take the snapshot, enter TRANSACTION. */
    private void login(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        if (!MaildropLocks.tryLock(store, key)) {
            LOG.info("{}: maildrop of {} is locked by another session", id(), user);
            error("[IN-USE] Mailbox is locked by another POP3 session");
            return;
        }
        lockedUser = key;
        MailboxRef box = MailboxRef.inbox(user);
        work(storeInline, () -> {
            long validity = store.mailbox(box).map(MailboxInfo::uidValidity).orElse(0L);
            return new Maildrop(validity, store.messages(box));
        }, drop -> {
            if (mode == Mode.CLOSED) {
                return;
            }
            inbox = box;
            uidValidity = drop.uidValidity();
            List<MessageMeta> metas = drop.messages();
            msgs = new Msg[metas.size()];
            for (int i = 0; i < msgs.length; i++) {
                MessageMeta meta = metas.get(i);
                msgs[i] = new Msg(meta.uid(), meta.size());
            }
            state = State.TRANSACTION;
            pendingUser = null;
            LOG.info("{}: {} logged in from {}, {} messages", id(), user, context.remote(), msgs.length);
            loggedInUser = user;
            CommandHooks.notify(config.hooks(), CommandHooks.Event.LOGGED_IN, context, channel, user, loginMethod);
            send("+OK Logged in.");
        }, e -> {
            LOG.warn("{}: cannot open the maildrop of {}", id(), user, e);
            releaseLock();
            error("[SYS/TEMP] Cannot open the mailbox, try again later.");
        });
    }

    private void stls(String arg) {
        if (tlsActive) {
            badCommand("TLS is already active.");
            return;
        }
        if (!startTlsListener()) {
            badCommand("TLS support isn't enabled.");
            return;
        }
        if (!arg.trim().isEmpty()) {
            badCommand("STLS takes no arguments.");
            return;
        }
        send("+OK Begin TLS negotiation now.");
        flush();
        mode = Mode.TLS;
        decoder.pauseAndStopReading();
        channel.eventLoop().execute(this::upgrade);
    }

    private void upgrade() {
        if (mode != Mode.TLS) {
            return;
        }
        int dropped = decoder.discardPending();
        if (dropped > 0) {
            LOG.warn("{}: discarded {} octets pipelined after STLS from {}", id(), dropped, context.remote());
        }
        Future<Channel> handshake;
        try {
            handshake = StartTls.upgrade(channel, context.tls());
        } catch (RuntimeException e) {
            LOG.warn("{}: STLS failed", id(), e);
            mode = Mode.CLOSED;
            channel.close();
            return;
        }
        decoder.setPaused(false);
        armTimer();
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
            pendingUser = null;
            mode = Mode.COMMAND;
            lastActivity = ctx.executor().ticker().nanoTime();
            checkShutdown();
            flush();
        });
    }

    // ------------------------------------------------------------------ TRANSACTION

    private void stat() {
        List<Msg> live = liveMessages();
        ensureSizes(live, () -> {
            long total = 0;
            for (Msg m : live) {
                total += m.wireSize;
            }
            send("+OK " + live.size() + " " + total);
        });
    }

    private void list(String arg) {
        if (arg.isEmpty()) {
            List<Msg> live = liveMessages();
            ensureSizes(live, () -> {
                List<String> lines = new ArrayList<>(live.size());
                for (int i = 0; i < msgs.length; i++) {
                    if (!msgs[i].deleted) {
                        lines.add((i + 1) + " " + msgs[i].wireSize);
                    }
                }
                sendMultiLine("+OK " + live.size() + " messages:", lines);
            });
            return;
        }
        int n = messageNumber(arg, "LIST");
        if (n > 0) {
            Msg m = msgs[n - 1];
            ensureSizes(List.of(m), () -> send("+OK " + n + " " + m.wireSize));
        }
    }

    private void uidl(String arg) {
        if (arg.isEmpty()) {
            StringBuilder sb = new StringBuilder(msgs.length * 24);
            List<String> lines = new ArrayList<>(msgs.length);
            for (int i = 0; i < msgs.length; i++) {
                if (!msgs[i].deleted) {
                    sb.setLength(0);
                    lines.add(sb.append(i + 1).append(' ').append(WireFormat.uidl(msgs[i].uid, uidValidity))
                            .toString());
                }
            }
            sendMultiLine("+OK", lines);
            return;
        }
        int n = messageNumber(arg, "UIDL");
        if (n > 0) {
            send("+OK " + n + " " + WireFormat.uidl(msgs[n - 1].uid, uidValidity));
        }
    }

    private void dele(String arg) {
        int n = messageNumber(arg, "DELE");
        if (n > 0) {
            msgs[n - 1].deleted = true;
            send("+OK Marked to be deleted.");
        }
    }

    private void retr(String arg) {
        int n = messageNumber(arg, "RETR");
        if (n > 0) {
            retrieve(msgs[n - 1], -1);
        }
    }

    private void top(String arg) {
        String[] parts = arg.split(" +");
        if (arg.isEmpty() || parts.length != 2) {
            badCommand("Syntax: TOP message lines");
            return;
        }
        long lines = parseNumber(parts[1]);
        if (lines < 0) {
            badCommand("Invalid number of lines: " + printable(parts[1]));
            return;
        }
        int n = messageNumber(parts[0], null);
        if (n > 0) {
            retrieve(msgs[n - 1], lines);
        }
    }

    /**
     * The message number in {@code arg}, or 0 after answering {@code -ERR}.
     *
     * @param verb when not null, the argument must be a single number (else it is the number token alone)
     */
    private int messageNumber(String arg, String verb) {
        String token = arg;
        if (verb != null && arg.indexOf(' ') >= 0) {
            badCommand("Too many arguments for " + verb + ".");
            return 0;
        }
        if (token.isEmpty()) {
            badCommand("Message number required.");
            return 0;
        }
        long n = parseNumber(token);
        if (n < 0) {
            badCommand("Invalid message number: " + printable(token));
            return 0;
        }
        if (n < 1 || n > msgs.length) {
            error("There's no message " + n + ".");
            return 0;
        }
        if (msgs[(int) n - 1].deleted) {
            error("Message is deleted.");
            return 0;
        }
        return (int) n;
    }

    private List<Msg> liveMessages() {
        List<Msg> live = new ArrayList<>(msgs.length);
        for (Msg m : msgs) {
            if (!m.deleted) {
                live.add(m);
            }
        }
        return live;
    }

    /** Makes sure the wire sizes of {@code needed} are known (scanning the messages if not), then runs {@code then}. */
    private void ensureSizes(List<Msg> needed, Runnable then) {
        List<Msg> unknown = new ArrayList<>();
        String user = lockedUser;
        for (Msg m : needed) {
            if (m.wireSize < 0) {
                long cached = sizeCache.get(user, uidValidity, m.uid);
                if (cached >= 0) {
                    m.wireSize = cached;
                } else {
                    unknown.add(m);
                }
            }
        }
        if (unknown.isEmpty()) {
            then.run();
            return;
        }
        long[] uids = new long[unknown.size()];
        long[] fallback = new long[unknown.size()];
        for (int i = 0; i < uids.length; i++) {
            uids[i] = unknown.get(i).uid;
            fallback[i] = unknown.get(i).storeSize;
        }
        MailboxRef box = inbox;
        work(storeInline, () -> scanSizes(box, uids, fallback), sizes -> {
            if (mode == Mode.CLOSED) {
                return;
            }
            for (int i = 0; i < sizes.length; i++) {
                Msg m = unknown.get(i);
                m.wireSize = sizes[i];
                sizeCache.put(user, uidValidity, m.uid, sizes[i]);
            }
            then.run();
        }, e -> {
            LOG.warn("{}: cannot read message sizes", id(), e);
            error("[SYS/TEMP] Cannot read the mailbox, try again later.");
        });
    }

    private long[] scanSizes(MailboxRef box, long[] uids, long[] fallback) throws IOException {
        long[] sizes = new long[uids.length];
        byte[] buffer = new byte[SLICE];
        for (int i = 0; i < uids.length; i++) {
            MessageSource source;
            try {
                source = store.content(box, uids[i]);
            } catch (StoreException e) {
                if (e.error() != StoreError.NO_SUCH_MESSAGE) {
                    throw e;
                }
                sizes[i] = fallback[i]; // expunged by another session: RETR will say so
                continue;
            }
            sizes[i] = scan(source, buffer);
        }
        return sizes;
    }

    private static long scan(MessageSource source, byte[] buffer) throws IOException {
        WireFormat.SizeCounter counter = new WireFormat.SizeCounter();
        try (InputStream in = source.openStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                counter.update(buffer, 0, n);
            }
        }
        return counter.wireSize();
    }

    // ------------------------------------------------------------------ RETR / TOP streaming

    private void retrieve(Msg m, long topLines) {
        boolean retr = topLines < 0;
        if (retr && m.wireSize < 0) {
            m.wireSize = sizeCache.get(lockedUser, uidValidity, m.uid);
        }
        boolean needSize = retr && m.wireSize < 0;
        MailboxRef box = inbox;
        work(storeInline, () -> open(box, m.uid, needSize), opened -> {
            if (mode == Mode.CLOSED) {
                closeQuietly(opened.rest());
                return;
            }
            if (needSize) {
                m.wireSize = opened.wireSize();
                sizeCache.put(lockedUser, uidValidity, m.uid, m.wireSize);
            }
            WireFormat.Stuffer stuffer = new WireFormat.Stuffer(topLines);
            int length = opened.length();
            ByteBuf out = ctx.alloc().buffer(length + (length >> 6) + 40);
            if (retr) {
                m.retrieved = true;
                ByteBufUtil.writeAscii(out, "+OK " + m.wireSize + " octets\r\n");
            } else {
                ByteBufUtil.writeAscii(out, "+OK\r\n");
            }
            stuffer.write(opened.slice(), 0, length, out);
            if (opened.rest() == null || stuffer.done()) {
                closeQuietly(opened.rest());
                stuffer.finish(out);
                write(out);
                return;
            }
            write(out);
            transfer = new Transfer(opened.rest(), stuffer, opened.slice());
            pump();
        }, e -> {
            if (e instanceof StoreException se && se.error() == StoreError.NO_SUCH_MESSAGE) {
                error("Message was removed by another session.");
            } else {
                LOG.warn("{}: cannot read message UID {}", id(), m.uid, e);
                error("[SYS/TEMP] Cannot read the message, try again later.");
            }
        });
    }

    /** Opens a message and reads its first slice (and its wire size when asked and not in that slice). */
    private Opened open(MailboxRef box, long uid, boolean needSize) throws IOException {
        MessageSource source = store.content(box, uid);
        InputStream in = source.openStream();
        try {
            byte[] slice = new byte[(int) Math.min(SLICE, Math.max(64, source.size() + 1))];
            int n = in.readNBytes(slice, 0, slice.length);
            boolean complete = n < slice.length;
            long wireSize = -1;
            if (needSize) {
                if (complete) {
                    WireFormat.SizeCounter counter = new WireFormat.SizeCounter();
                    counter.update(slice, 0, n);
                    wireSize = counter.wireSize();
                } else {
                    wireSize = scan(source, new byte[SLICE]);
                }
            }
            if (complete) {
                in.close();
                in = null;
            } else if (slice.length < SLICE) {
                slice = java.util.Arrays.copyOf(slice, SLICE);
            }
            return new Opened(in, slice, n, wireSize);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** Sends more of the current transfer until it ends, the channel is full or a store read must go async. */
    private void pump() {
        while (transfer != null) {
            if (mode == Mode.CLOSED) {
                abortTransfer();
                return;
            }
            if (!channel.isWritable()) {
                // flush first: the buffer may drain right away (and fire the writability event before we wait)
                unflushed = false;
                ctx.flush();
                if (channel.isWritable()) {
                    continue;
                }
                if (!busy) {
                    beginWork();
                }
                waitingWritable = true;
                return;
            }
            Transfer t = transfer;
            if (!storeInline) {
                work(false, () -> t.in.readNBytes(t.slice, 0, t.slice.length), n -> {
                    if (mode == Mode.CLOSED || transfer != t) {
                        closeQuietly(t.in);
                        return;
                    }
                    if (sendSlice(t, n)) {
                        pump();
                    }
                }, this::transferFailed);
                return;
            }
            int n;
            try {
                n = t.in.readNBytes(t.slice, 0, t.slice.length);
            } catch (IOException | RuntimeException e) {
                transferFailed(e);
                return;
            }
            if (!sendSlice(t, n)) {
                return;
            }
        }
    }

    /** Writes one slice; at the end of the content, the terminator. @return whether more is to come */
    private boolean sendSlice(Transfer t, int n) {
        ByteBuf out = ctx.alloc().buffer(n + (n >> 6) + 8);
        t.stuffer.write(t.slice, 0, n, out);
        boolean end = n < t.slice.length || t.stuffer.done();
        if (end) {
            t.stuffer.finish(out);
            transfer = null;
            closeQuietly(t.in);
        }
        write(out);
        return !end;
    }

    private void transferFailed(Throwable e) {
        LOG.warn("{}: reading a message failed in the middle of the transfer; closing", id(), e);
        abortTransfer();
        if (mode != Mode.CLOSED) {
            mode = Mode.CLOSED;
            cancelTimer();
            channel.close();
        }
    }

    private void abortTransfer() {
        if (transfer != null) {
            closeQuietly(transfer.in);
            transfer = null;
        }
        waitingWritable = false;
    }

    // ------------------------------------------------------------------ async machinery

    /**
     * Runs {@code task} (here when {@code inline}, else on the executor with the decoder paused), then {@code then}
     * or {@code failed} on the event loop.
     */
    private <T> void work(boolean inline, Callable<T> task, Consumer<T> then, Consumer<Throwable> failed) {
        if (inline) {
            T result;
            try {
                result = task.call();
            } catch (Throwable t) {
                failed.accept(t);
                return;
            }
            then.accept(result);
            return;
        }
        if (!busy) {
            beginWork();
        }
        inFlight++;
        Offload.call(config.executor(), channel.eventLoop(), task, (r, f) -> complete(r, f, then, failed));
    }

    private <T> void complete(T result, Throwable failure, Consumer<T> then, Consumer<Throwable> failed) {
        inFlight--;
        try {
            if (mode == Mode.CLOSED) {
                if (result instanceof Opened opened) {
                    closeQuietly(opened.rest());
                }
                abortTransfer();
                return;
            }
            if (failure != null) {
                failed.accept(failure);
            } else {
                then.accept(result);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
        maybeEndWork();
    }

    private void beginWork() {
        busy = true;
        decoder.setPaused(true);
        if (decoder.pendingBytes() == 0) {
            flush();
        }
    }

    private void maybeEndWork() {
        if (!busy || inFlight > 0 || waitingWritable) {
            return;
        }
        busy = false;
        if (mode == Mode.CLOSED) {
            return;
        }
        lastActivity = ctx.executor().ticker().nanoTime();
        checkShutdown();
        if (mode == Mode.CLOSED) {
            return;
        }
        if (decoder.pendingBytes() == 0) {
            flush();
        }
        decoder.setPaused(false);
        if (!busy && mode != Mode.CLOSED) {
            flush();
            armTimer();
        }
    }

    // ------------------------------------------------------------------ timeouts, shutdown, errors

    /** Input arrived: the client is alive. */
    private void onInput() {
        lastActivity = ctx.executor().ticker().nanoTime();
    }

    /**
     * Makes sure the autologout check is scheduled. It is not cancelled and re-armed per command: when it runs it
     * looks at the time of the last input and schedules itself again for the rest.
     */
    private void armTimer() {
        if (idleTimer != null || mode == Mode.CLOSED || ctx == null) {
            return;
        }
        idleTimer = ctx.executor().schedule(this::timedOut, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    /**
     * The autologout check. The client is idle when it has neither sent anything nor taken any of our output for the
     * idle timeout (as Dovecot, a slow download is not idleness, a client that stopped reading is); time spent
     * waiting for the server (store, auth provider, login delay, TLS handshake) never counts.
     */
    private void timedOut() {
        idleTimer = null;
        if (mode == Mode.CLOSED) {
            return;
        }
        long timeout = config.idleTimeout().toNanos();
        if (inFlight > 0 || mode == Mode.TLS) {
            // the server is working: the end of the work restarts the wait (the handshake has its own timeout)
            idleTimer = ctx.executor().schedule(this::timedOut, timeout, TimeUnit.NANOSECONDS);
            return;
        }
        long idle = ctx.executor().ticker().nanoTime() - lastActivity;
        if (idle < timeout) {
            // the client was heard from since: wait for the rest (always a positive delay)
            idleTimer = ctx.executor().schedule(this::timedOut, timeout - idle, TimeUnit.NANOSECONDS);
            return;
        }
        if (waitingWritable) {
            // our output is stuck in the client's direction: a last line would never arrive, just close
            LOG.info("{}: disconnected after {} without reading our output, from {}", id(), config.idleTimeout(),
                    context.remote());
            abortTransfer();
            mode = Mode.CLOSED;
            unflushed = false;
            decoder.pauseAndStopReading();
            channel.close();
            return;
        }
        LOG.info("{}: autologout after {} from {}", id(), config.idleTimeout(), context.remote());
        closeWith("-ERR Disconnected for inactivity.");
    }

    private void checkShutdown() {
        if (shutdownRequested && !busy && (mode == Mode.COMMAND || mode == Mode.SASL) && state != State.UPDATE) {
            closeWith("-ERR [SYS/TEMP] Server shutting down.");
        }
    }

    private void internalError(RuntimeException e) {
        LOG.error("{}: internal error, closing", id(), e);
        abortTransfer();
        closeWith("-ERR [SYS/TEMP] Internal error, try again later.");
    }

    private void releaseLock() {
        if (lockedUser != null) {
            MaildropLocks.unlock(store, lockedUser);
            lockedUser = null;
        }
    }

    // ------------------------------------------------------------------ output

    private void send(String line) {
        if (mode == Mode.CLOSED) {
            return;
        }
        ByteBuf buf = ctx.alloc().buffer(line.length() + 2);
        ByteBufUtil.writeUtf8(buf, line);
        buf.writeByte('\r').writeByte('\n');
        write(buf);
    }

    private void sendMultiLine(String first, List<String> lines) {
        StringBuilder sb = new StringBuilder(first.length() + 8 + lines.size() * 16);
        sb.append(first).append("\r\n");
        for (String line : lines) {
            if (line.startsWith(".")) {
                sb.append('.');
            }
            sb.append(line).append("\r\n");
        }
        sb.append('.');
        send(sb.toString());
    }

    private void error(String text) {
        send("-ERR " + text);
    }

    /** An error caused by a bad or misplaced command; too many of them end the connection. */
    private void badCommand(String text) {
        error(text);
        badCommands++;
        if (badCommands >= config.maxBadCommands()) {
            LOG.info("{}: too many bad commands from {}", id(), context.remote());
            closeWith("-ERR Too many bad commands.");
        }
    }

    private void write(ByteBuf buf) {
        if (mode == Mode.CLOSED) {
            buf.release();
            return;
        }
        ctx.write(buf, ctx.voidPromise());
        unflushed = true;
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    /** Writes the line (unless null), flushes and closes; nothing more is read. */
    private void closeWith(String line) {
        if (mode == Mode.CLOSED) {
            return;
        }
        if (line != null) {
            send(line);
        }
        mode = Mode.CLOSED;
        cancelTimer();
        unflushed = false;
        decoder.pauseAndStopReading();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ helpers

    private boolean startTlsListener() {
        return context.listener().tlsMode() == TlsMode.STARTTLS && context.tls() != null;
    }

    private boolean startTlsOffered() {
        return startTlsListener() && !tlsActive;
    }

    /** Whether passwords may be sent in the clear now: TLS, loopback, or the configuration allows it. */
    private boolean plaintextAllowed() {
        return tlsActive || config.allowInsecureAuth() || isLoopback();
    }

    /** The SASL mechanisms usable now (PLAIN and LOGIN only where plain-text passwords are allowed). */
    private List<String> mechanismsNow() {
        List<String> names = sasl.names();
        if (plaintextAllowed()) {
            return names;
        }
        List<String> safe = new ArrayList<>(names);
        safe.remove(SaslMechanisms.PLAIN);
        safe.remove(SaslMechanisms.LOGIN);
        return safe;
    }

    private boolean isLoopback() {
        InetAddress address = remoteAddress();
        return address != null && address.isLoopbackAddress();
    }

    private InetAddress remoteAddress() {
        return context.remote() == null ? null : context.remote().getAddress();
    }

    private String id() {
        return context.sessionId();
    }

    /** 1 to 10 decimal digits as a number, else -1. */
    static long parseNumber(String token) {
        if (token.isEmpty() || token.length() > 10) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Client text safe to echo in a reply: printable ASCII, at most 40 characters. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 40));
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(32);
            for (byte b : digest) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    private void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: closing a message stream failed", id(), e);
            }
        }
    }
}
