package dev.mailcore.smtp.internal;

import dev.mailcore.api.AddressException;
import dev.mailcore.api.BodyType;
import dev.mailcore.api.Decision;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.NonBlocking;
import dev.mailcore.api.Paths;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.netty.Offload;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.StartTls;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.netty.sasl.SaslExchange;
import dev.mailcore.netty.sasl.SaslMechanisms;
import dev.mailcore.netty.sasl.SaslStep;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpHooks;
import dev.mailcore.smtp.SmtpPhase;
import dev.mailcore.smtp.SmtpRole;
import dev.mailcore.smtp.internal.codec.ChunkComplete;
import dev.mailcore.smtp.internal.codec.CommandLine;
import dev.mailcore.smtp.internal.codec.DataComplete;
import dev.mailcore.smtp.internal.codec.DataError;
import dev.mailcore.smtp.internal.codec.MessageSpool;
import dev.mailcore.smtp.internal.codec.SmtpInboundDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One SMTP connection: the command state machine behind {@link SmtpInboundDecoder}. Every SPI call runs on the
 * configured executor while the decoder is paused; its result is applied on the event loop and decoding resumes.
 * Replies are written as they are made and flushed once the decoder has no more input to work on (PIPELINING).
 *
 * <p>Policy decisions: Reject/Defer/Disconnect refuse; Relay at connect, HELO or MAIL trusts the client to relay for
 * the rest of the session (at RCPT, for that recipient); Discard at connect or HELO drops every message of the
 * session, at MAIL that transaction's message, at RCPT that recipient's copy, always answering success. The
 * built-in recipient checks are in {@link RecipientCheck}. While the server waits for the client, a
 * {@link SessionTimer} runs the command or data timeout; AUTH failures go through the shared
 * {@link dev.mailcore.smtp.AuthThrottle}. Configured {@link SmtpHooks} see each phase before it is handled (and may
 * answer, close or stall instead), every reply, each accepted message once its final reply has been written, and the
 * close.
 */
public final class SmtpSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    private enum Mode {
        /** Reading commands. */
        COMMAND,
        /** Reading SASL responses. */
        AUTH,
        /** The decoder reads DATA content. */
        DATA,
        /** The decoder reads a BDAT chunk. */
        CHUNK,
        /** STARTTLS handshake running. */
        TLS,
        /** The connection is (being) closed: nothing more is read or written. */
        CLOSED
    }

    /** Transaction scope: cleared by RSET, MAIL, EHLO/HELO and after each message. */
    private static final class Transaction {
        final ReversePath from;
        final MailParameters parameters;
        final List<DeliveryPipeline.Route> routes = new ArrayList<>();
        /** A policy said Discard at connect, HELO or MAIL: the message is accepted and dropped. */
        final boolean discard;
        /** Recipients accepted but given no copy (a policy's Discard at RCPT). */
        int discardedRecipients;
        MessageSpool spool;
        boolean chunking;
        boolean lastChunk;

        Transaction(ReversePath from, MailParameters parameters, boolean discard) {
            this.from = from;
            this.parameters = parameters;
            this.discard = discard;
        }

        int recipients() {
            return routes.size() + discardedRecipients;
        }
    }

    private final SmtpConfig config;
    /** Whether the SPIs of a phase never block ({@link NonBlocking}) and so run on the event loop. */
    private final boolean policyInline;
    private final boolean recipientInline;
    private final boolean deliveryInline;
    private final SmtpRole role;
    private final SaslMechanisms sasl;
    private final ConnectionContext context;
    private final SmtpInboundDecoder decoder;
    private final DeliveryPipeline pipeline;
    private final String host;
    private final SessionTimer timer;
    /** The configured hooks, or {@code null} when there are none (then no hook work is done at all). */
    private final SmtpHooks hooks;

    private ChannelHandlerContext ctx;
    private Channel channel;

    // connection scope
    private Mode mode = Mode.COMMAND;
    private boolean busy;
    private boolean unflushed;
    private String heloName;
    private boolean esmtp;
    private boolean tlsActive;
    private String authUser;
    private int badCommands;
    private int authFailures;
    private SmtpReply connectRefusal;
    private boolean shutdownRequested;
    private int messageCount;
    private int transactions;
    /** A policy said Relay at connect, HELO or MAIL: the client may relay for the rest of the session. */
    private boolean trustedClient;
    /** A policy said Discard at connect or HELO: every message of the session is accepted and dropped. */
    private boolean discardAll;
    private SaslExchange exchange;
    private String saslSuccessUser;
    private SmtpReply refusedChunkReply;

    // transaction scope
    private Transaction tx;

    public SmtpSession(SmtpConfig config, SmtpRole role, SaslMechanisms sasl, ConnectionContext context,
                       SmtpInboundDecoder decoder) {
        this.config = config;
        this.policyInline = NonBlocking.isNonBlocking(config.policy());
        this.recipientInline = policyInline && NonBlocking.isNonBlocking(config.resolver());
        this.deliveryInline = NonBlocking.isNonBlocking(config.store())
                && config.filters().stream().allMatch(NonBlocking::isNonBlocking);
        this.role = role;
        this.sasl = sasl;
        this.context = context;
        this.decoder = decoder;
        this.host = config.hostname();
        this.pipeline = new DeliveryPipeline(config.filters(), config.transport(), config.store());
        this.tlsActive = context.implicitTls();
        this.timer = new SessionTimer(this::timedOut, this::onInput);
        this.hooks = config.hooks() == SmtpHooks.NONE ? null : config.hooks();
    }

    /** The handler to place before the decoder so that every input re-arms the read timeout. */
    public ChannelHandler inputWatch() {
        return timer.inputWatch();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    /** Asks the policy about the client and greets it. Call on the event loop once the handlers are added. */
    public void start() {
        if (ctx == null) {
            throw new IllegalStateException("add the session to the pipeline first");
        }
        if (hooks != null) {
            SmtpAction action = hookBefore(SmtpPhase.CONNECT, "");
            if (action instanceof SmtpAction.Reply r) {
                if (r.reply().code() == 421) {
                    closeWith(r.reply());
                } else {
                    connectRefusal = r.reply();
                    reply(connectRefusal);
                    flush();
                }
                return;
            }
            if (action instanceof SmtpAction.Disconnect d) {
                disconnect(d.reply());
                return;
            }
            if (action instanceof SmtpAction.Stall st && !st.duration().isZero()) {
                stallThen(st.duration(), this::greet);
                return;
            }
        }
        greet();
    }

    private void greet() {
        async(policyInline, () -> config.policy().onConnect(sessionInfo(null)), decision -> {
            if (decision instanceof Decision.Accept || decision instanceof Decision.Relay
                    || decision instanceof Decision.Discard) {
                noteTrust(decision, true);
                reply(SmtpReply.of(220, host + " ESMTP mailcore"));
            } else if (decision instanceof Decision.Disconnect) {
                closeWith(((Decision.Disconnect) decision).reply());
            } else {
                connectRefusal = replyOf(decision);
                LOG.info("{}: connection from {} refused: {}", id(), context.remote(), connectRefusal);
                reply(connectRefusal);
            }
        }, e -> closeWith(SmtpReply.of(421, "4.3.0", host + " Error: internal error, try again later")));
    }

    // ------------------------------------------------------------------ inbound events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (mode == Mode.CLOSED) {
                if (msg instanceof DataComplete) {
                    closeQuietly(((DataComplete) msg).spool());
                } else if (msg instanceof ChunkComplete) {
                    closeQuietly(((ChunkComplete) msg).spool());
                }
                return;
            }
            if (msg instanceof CommandLine) {
                onLine((CommandLine) msg);
            } else if (msg instanceof DataComplete) {
                onDataComplete((DataComplete) msg);
            } else if (msg instanceof ChunkComplete) {
                onChunkComplete((ChunkComplete) msg);
            } else {
                LOG.warn("{}: unexpected message {}", id(), msg);
            }
        } catch (RuntimeException e) {
            internalError(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        afterInput();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy && mode != Mode.CLOSED) {
            flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShutdownEvent) {
            shutdownRequested = true;
            checkShutdown();
            if (!busy) {
                flush();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mode = Mode.CLOSED;
        timer.cancel();
        exchange = null;
        if (!busy) {
            resetTransaction();
        }
        if (hooks != null) {
            try {
                hooks.closed(sessionInfo(heloName));
            } catch (RuntimeException e) {
                LOG.warn("{}: hook failed", id(), e);
            }
        }
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

    private void onLine(CommandLine line) {
        if (mode == Mode.AUTH) {
            onSaslResponse(line);
            return;
        }
        if (mode != Mode.COMMAND) {
            LOG.warn("{}: command line in mode {} ignored", id(), mode);
            return;
        }
        if (line.problem() != null) {
            switch (line.problem()) {
                case TOO_LONG:
                    reply(500, "5.5.6", "Error: line too long");
                    break;
                case BARE_LF:
                    reply(500, "5.5.2", "Error: bad syntax (bare LF; lines must end in CRLF)");
                    break;
                case BARE_CR:
                    reply(500, "5.5.2", "Error: bad syntax (bare CR)");
                    break;
                default:
                    reply(500, "5.5.2", "Error: bad syntax (invalid UTF-8)");
                    break;
            }
            return;
        }
        String text = stripTrailingBlanks(line.text());
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : text.substring(space + 1);
        if (connectRefusal != null && !verb.equals("QUIT")) {
            reply(503, "5.5.1", "Error: access denied");
            return;
        }
        if (hooks != null && intercepted(verb, arg)) {
            return;
        }
        dispatch(verb, arg);
    }

    private void dispatch(String verb, String arg) {
        switch (verb) {
            case "EHLO":
                helo(arg, true);
                break;
            case "HELO":
                helo(arg, false);
                break;
            case "MAIL":
                mail(arg);
                break;
            case "RCPT":
                rcpt(arg);
                break;
            case "DATA":
                data(arg);
                break;
            case "BDAT":
                bdat(arg);
                break;
            case "RSET":
                if (!arg.isEmpty()) {
                    reply(501, "5.5.4", "Syntax: RSET");
                } else {
                    resetTransaction();
                    reply(250, "2.0.0", "Ok");
                }
                break;
            case "NOOP":
                reply(250, "2.0.0", "Ok");
                break;
            case "QUIT":
                closeWith(SmtpReply.of(221, "2.0.0", "Bye"));
                break;
            case "VRFY":
                if (arg.isEmpty()) {
                    reply(501, "5.5.4", "Syntax: VRFY address");
                } else {
                    reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
                }
                break;
            case "EXPN":
            case "ETRN":
            case "TURN":
            case "ATRN":
            case "SEND":
            case "SAML":
            case "SOML":
                reply(502, "5.5.1", "Error: command not implemented");
                break;
            case "HELP":
                reply(214, "2.0.0", "mailcore ESMTP, see https://www.rfc-editor.org/rfc/rfc5321");
                break;
            case "STARTTLS":
                startTls(arg);
                break;
            case "AUTH":
                auth(arg);
                break;
            default:
                reply(500, "5.5.2", "Error: command not recognized");
                break;
        }
    }

    private void helo(String arg, boolean extended) {
        if (arg.isEmpty()) {
            reply(501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
            return;
        }
        if (!validHeloName(arg)) {
            reply(501, "5.5.4", "Error: invalid hostname");
            return;
        }
        resetTransaction();
        SessionInfo info = sessionInfo(arg);
        async(policyInline, () -> config.policy().onHelo(info), decision -> {
            if (isRefusal(decision)) {
                applyRefusal(decision);
                return;
            }
            noteTrust(decision, true);
            heloName = arg;
            esmtp = extended;
            if (!extended) {
                reply(250, null, host);
                return;
            }
            List<String> lines = new ArrayList<>(12);
            lines.add(host);
            lines.add("PIPELINING");
            lines.add("SIZE " + config.maxMessageSize());
            if (startTlsOffered()) {
                lines.add("STARTTLS");
            }
            if (authOffered()) {
                lines.add("AUTH " + String.join(" ", sasl.names()));
            }
            lines.add("ENHANCEDSTATUSCODES");
            lines.add("8BITMIME");
            lines.add("DSN");
            lines.add("SMTPUTF8");
            lines.add("CHUNKING");
            lines.add("BINARYMIME");
            reply(new SmtpReply(250, null, lines));
        }, this::policyFailed);
    }

    private void mail(String arg) {
        if (heloName == null) {
            reply(503, "5.5.1", "Error: send HELO/EHLO first");
            return;
        }
        if (tx != null) {
            reply(503, "5.5.1", "Error: nested MAIL command");
            return;
        }
        if (role.requiresAuth() && authUser == null) {
            reply(530, "5.7.0", "Authentication required");
            return;
        }
        int maxTransactions = config.maxTransactionsPerConnection();
        if (maxTransactions > 0 && transactions >= maxTransactions) {
            LOG.info("{}: {} transactions from {}, closing", id(), transactions, context.remote());
            closeWith(SmtpReply.of(421, "4.7.0", host + " Error: too many transactions in this connection,"
                    + " try again later"));
            return;
        }
        PathArgument parsed;
        ReversePath from;
        MailParameters parameters;
        try {
            parsed = PathArgument.parse(arg, "FROM:", new ReplyException(501, "5.5.4", "Syntax: MAIL FROM:<address>"),
                    new ReplyException(501, "5.1.7", "Bad sender address syntax"));
            try {
                from = ReversePath.parse(parsed.path());
            } catch (AddressException e) {
                throw new ReplyException(501, "5.1.7", "Bad sender address syntax");
            }
            if (!esmtp && !parsed.parameters().isEmpty()) {
                throw new ReplyException(555, "5.5.4", "Unsupported option: "
                        + EsmtpParameters.printable(parsed.parameters().get(0)) + " (send EHLO for ESMTP)");
            }
            MailParameters given = EsmtpParameters.parseMail(parsed.parameters(), config.maxMessageSize());
            // RFC 4954 §5: AUTH= is only trusted from an authenticated client; otherwise it is as if it were <>
            parameters = given.authSender() == null || authUser != null ? given
                    : new MailParameters(given.declaredSize(), given.body(), given.smtpUtf8(), given.dsnReturn(),
                            given.envelopeId(), null, given.other());
        } catch (ReplyException e) {
            reply(e.reply());
            return;
        }
        if (!parameters.smtpUtf8() && from.address().map(MailAddress::requiresSmtpUtf8).orElse(false)) {
            reply(553, "5.6.7", "Error: SMTPUTF8 is required for the sender address");
            return;
        }
        SessionInfo info = sessionInfo(heloName);
        async(policyInline, () -> config.policy().onMailFrom(info, from, parameters), decision -> {
            if (!isRefusal(decision)) {
                noteTrust(decision, false);
                transactions++;
                tx = new Transaction(from, parameters, discardAll || decision instanceof Decision.Discard);
                reply(250, "2.1.0", "Ok");
            } else {
                applyRefusal(decision);
            }
        }, this::policyFailed);
    }

    private void rcpt(String arg) {
        if (tx == null) {
            reply(503, "5.5.1", "Error: need MAIL command");
            return;
        }
        MailAddress address;
        EsmtpParameters.RcptParameters parameters;
        try {
            PathArgument parsed = PathArgument.parse(arg, "TO:",
                    new ReplyException(501, "5.5.4", "Syntax: RCPT TO:<address>"),
                    new ReplyException(501, "5.1.3", "Bad recipient address syntax"));
            if (parsed.path().equalsIgnoreCase("<postmaster>")) {
                address = MailAddress.of("postmaster", host);
            } else {
                try {
                    address = Paths.parsePath(parsed.path());
                } catch (AddressException e) {
                    throw new ReplyException(501, "5.1.3", "Bad recipient address syntax");
                }
            }
            if (!esmtp && !parsed.parameters().isEmpty()) {
                throw new ReplyException(555, "5.5.4", "Unsupported option: "
                        + EsmtpParameters.printable(parsed.parameters().get(0)) + " (send EHLO for ESMTP)");
            }
            parameters = EsmtpParameters.parseRcpt(parsed.parameters());
        } catch (ReplyException e) {
            reply(e.reply());
            return;
        }
        if (address.requiresSmtpUtf8() && !tx.parameters.smtpUtf8()) {
            reply(553, "5.6.7", "Error: SMTPUTF8 is required for the recipient address");
            return;
        }
        if (tx.recipients() >= config.maxRecipients()) {
            // RFC 5321 §4.5.3.1.8: 452 and go on; the client sends the rest in another transaction
            reply(452, "4.5.3", "Error: too many recipients");
            return;
        }
        EnvelopeRecipient recipient = new EnvelopeRecipient(address, parameters.notifyOn(), parameters.orcpt());
        SessionInfo info = sessionInfo(heloName);
        ReversePath from = tx.from;
        async(recipientInline, () -> {
            Decision decision = config.policy().onRecipient(info, from, recipient);
            if (decision instanceof Decision.Accept || decision instanceof Decision.Relay) {
                Resolution resolution = config.resolver().resolve(address);
                if (resolution == null) {
                    throw new IllegalStateException("resolver returned null for " + address);
                }
                return RecipientCheck.decide(decision, resolution, recipient, relayAuthorised(),
                        config.transport() != null);
            }
            return RecipientCheck.decide(decision, null, recipient, relayAuthorised(), config.transport() != null);
        }, this::applyRecipient, this::policyFailed);
    }

    /** Whether remote recipients may be accepted without a per-recipient Relay decision. */
    private boolean relayAuthorised() {
        return authUser != null || trustedClient;
    }

    private void applyRecipient(RecipientCheck.Outcome outcome) {
        if (outcome instanceof RecipientCheck.Refused) {
            RecipientCheck.Refused refused = (RecipientCheck.Refused) outcome;
            if (refused.disconnect()) {
                closeWith(refused.reply());
            } else {
                reply(refused.reply());
            }
            return;
        }
        if (tx == null) {
            return; // reset meanwhile (connection closing)
        }
        if (outcome instanceof RecipientCheck.Discarded) {
            tx.discardedRecipients++;
        } else {
            tx.routes.add(((RecipientCheck.Accepted) outcome).route());
        }
        reply(250, "2.1.5", "Ok");
    }

    private void data(String arg) {
        if (!arg.isEmpty()) {
            reply(501, "5.5.4", "Syntax: DATA");
            return;
        }
        if (tx == null) {
            reply(503, "5.5.1", "Error: need MAIL command");
            return;
        }
        if (tx.chunking) {
            reply(503, "5.5.1", "Error: DATA not allowed after BDAT");
            return;
        }
        if (tx.parameters.body() == BodyType.BINARY_MIME) {
            reply(503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT");
            return;
        }
        if (tx.recipients() == 0) {
            reply(554, "5.5.1", "Error: no valid recipients");
            return;
        }
        tx.spool = newSpool(config.maxMessageSize());
        reply(354, null, "End data with <CR><LF>.<CR><LF>");
        flush();
        mode = Mode.DATA;
        decoder.beginData(tx.spool);
    }

    private void onDataComplete(DataComplete complete) {
        mode = Mode.COMMAND;
        if (tx == null || tx.spool != complete.spool()) {
            closeQuietly(complete.spool());
            return;
        }
        DataError error = complete.error();
        if (error != null) {
            LOG.info("{}: message refused: {}", id(), error);
            reply(dataErrorReply(error));
            resetTransaction();
            return;
        }
        deliver();
    }

    private static SmtpReply dataErrorReply(DataError error) {
        switch (error) {
            case TOO_BIG:
                return SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");
            case LINE_TOO_LONG:
                return SmtpReply.of(552, "5.6.0",
                        "Message contains a line longer than 1000 octets including CRLF (RFC 5321 4.5.3.1.6)");
            default:
                return SmtpReply.of(554, "5.6.0", "Message contains bare CR or LF");
        }
    }

    private void bdat(String arg) {
        String[] parts = arg.isEmpty() ? new String[0] : arg.split(" +");
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (parts.length < 1 || parts.length > 2 || parts.length == 2 && !last || parts[0].isEmpty()
                || parts[0].length() > 18 || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            // the chunk's extent is unknown: the stream cannot be resynchronised
            closeWith(SmtpReply.of(501, "5.5.4", "Syntax: BDAT count [LAST]"));
            return;
        }
        long size = Long.parseLong(parts[0]);
        SmtpReply refusal = null;
        if (tx == null) {
            refusal = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
        } else if (tx.recipients() == 0) {
            refusal = SmtpReply.of(503, "5.5.1", "Error: need RCPT command");
        }
        mode = Mode.CHUNK;
        if (refusal != null) {
            refusedChunkReply = refusal;
            decoder.beginChunk(newSpool(0), size);
            return;
        }
        tx.chunking = true;
        tx.lastChunk = last;
        if (tx.spool == null) {
            tx.spool = newSpool(config.maxMessageSize());
        }
        decoder.beginChunk(tx.spool, size);
    }

    private void onChunkComplete(ChunkComplete complete) {
        mode = Mode.COMMAND;
        if (refusedChunkReply != null) {
            SmtpReply reply = refusedChunkReply;
            refusedChunkReply = null;
            closeQuietly(complete.spool());
            reply(reply);
            return;
        }
        if (tx == null || tx.spool != complete.spool()) {
            closeQuietly(complete.spool());
            return;
        }
        if (complete.error() != null) {
            LOG.info("{}: chunk refused: {}", id(), complete.error());
            reply(dataErrorReply(complete.error()));
            // the rest of this message's chunks are refused (503, need MAIL) until a new transaction starts
            resetTransaction();
            return;
        }
        if (tx.lastChunk) {
            deliver();
        } else {
            reply(250, "2.0.0", complete.chunkSize() + " octets received");
        }
    }

    /** Runs the delivery pipeline for the current transaction's complete message. */
    private void deliver() {
        Transaction t = tx;
        SmtpAction action = hooks == null ? SmtpAction.PROCEED : hookBefore(SmtpPhase.END_OF_DATA, "");
        if (action instanceof SmtpAction.Reply r) {
            resetTransaction();
            reply(r.reply());
            return;
        }
        if (action instanceof SmtpAction.Disconnect d) {
            resetTransaction();
            disconnect(d.reply());
            return;
        }
        Duration stall = action instanceof SmtpAction.Stall st ? st.duration() : Duration.ZERO;
        String messageId = nextMessageId();
        if (t.discard || t.routes.isEmpty()) {
            LOG.info("{}: message from {} for {} recipient(s) discarded by policy", messageId, t.from,
                    t.recipients());
            resetTransaction();
            reply(250, "2.0.0", "Ok: queued as " + messageId);
            return;
        }
        boolean utf8 = t.parameters.smtpUtf8();
        String protocol = ReceivedHeader.protocol(esmtp, utf8, tlsActive, authUser != null);
        StartTls.TlsSessionInfo tls = tlsActive ? tlsInfo() : null;
        String received = ReceivedHeader.build(heloName, context.remote(), host, protocol, messageId,
                tls == null ? null : tls.protocol() + " with cipher " + tls.cipherSuite(),
                t.routes.size() == 1 ? t.routes.get(0).recipient().address().toString() : null,
                ZonedDateTime.now(config.clock()));
        List<EnvelopeRecipient> recipients = new ArrayList<>(t.routes.size());
        for (DeliveryPipeline.Route route : t.routes) {
            recipients.add(route.recipient());
        }
        Envelope envelope = new Envelope(t.from, recipients, t.parameters);
        List<DeliveryPipeline.Route> routes = List.copyOf(t.routes);
        SessionInfo info = sessionInfo(heloName);
        MessageSpool spool = t.spool;
        boolean inline = deliveryInline && spool.size() <= config.memoryThreshold()
                && (!hasRemote(routes) || NonBlocking.isNonBlocking(config.transport()));
        async(inline, () -> {
            SmtpReply reply = pipeline.deliver(info, envelope, routes, spool::toSource, received, messageId,
                    config.clock().instant());
            return new Delivered(reply, hooks != null && reply.isPositive() ? contentOf(spool) : null);
        }, delivered -> {
                    closeQuietly(spool);
                    if (tx == t) {
                        tx = null;
                    }
                    if (stall.isZero()) {
                        finalReply(delivered, envelope, messageId);
                    } else {
                        stallThen(stall, () -> finalReply(delivered, envelope, messageId));
                    }
                }, e -> {
                    LOG.error("{}: delivery failed", messageId, e);
                    closeQuietly(spool);
                    if (tx == t) {
                        tx = null;
                    }
                    reply(451, "4.3.0", "Error: queue file write error");
                });
    }

    /** The pipeline's reply and, for the hooks, the message as received. */
    private record Delivered(SmtpReply reply, byte[] content) {
    }

    private static byte[] contentOf(MessageSpool spool) {
        try (InputStream in = spool.toSource(null).openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the reply to a message; with hooks, reports the message once that reply is on the wire. */
    private void finalReply(Delivered delivered, Envelope envelope, String messageId) {
        if (delivered.content() == null) {
            reply(delivered.reply());
            return;
        }
        ChannelPromise written = reply(delivered.reply(), true);
        if (written == null) {
            return;
        }
        written.addListener(f -> {
            if (f.isSuccess()) {
                try {
                    hooks.accepted(sessionInfo(heloName), envelope, delivered.content(), messageId);
                } catch (RuntimeException e) {
                    LOG.warn("{}: hook failed", id(), e);
                }
            }
        });
    }

    // ------------------------------------------------------------------ hooks (fault injection, observation)

    private SmtpAction hookBefore(SmtpPhase phase, String argument) {
        try {
            SmtpAction action = hooks.before(phase, sessionInfo(heloName), argument);
            if (action instanceof SmtpAction.SlowWrites slow) {
                // pace every later write, TLS records included; a later SlowWrites replaces the rate
                if (channel.pipeline().get(StartTls.WIRE_HANDLER_NAME) != null) {
                    channel.pipeline().remove(StartTls.WIRE_HANDLER_NAME);
                }
                channel.pipeline().addFirst(StartTls.WIRE_HANDLER_NAME,
                        new io.netty.handler.traffic.ChannelTrafficShapingHandler(slow.bytesPerSecond(), 0, 100));
                return SmtpAction.PROCEED;
            }
            return action == null ? SmtpAction.PROCEED : action;
        } catch (RuntimeException e) {
            LOG.warn("{}: hook failed", id(), e);
            return SmtpAction.PROCEED;
        }
    }

    /** Consults the hooks for a command that begins a phase; true when they took the command over. */
    private boolean intercepted(String verb, String arg) {
        SmtpPhase phase;
        String argument = arg;
        switch (verb) {
            case "EHLO":
            case "HELO":
                phase = SmtpPhase.HELO;
                break;
            case "STARTTLS":
                phase = SmtpPhase.STARTTLS;
                break;
            case "AUTH":
                phase = SmtpPhase.AUTH;
                int space = arg.indexOf(' ');
                argument = (space < 0 ? arg : arg.substring(0, space)).toUpperCase(Locale.ROOT);
                break;
            case "MAIL":
                phase = SmtpPhase.MAIL;
                break;
            case "RCPT":
                phase = SmtpPhase.RCPT;
                break;
            case "DATA":
                phase = SmtpPhase.DATA;
                argument = "";
                break;
            case "BDAT":
                if (tx == null || tx.chunking || !arg.matches("[0-9]{1,18}( +(?i:LAST))?")) {
                    return false; // not the first chunk of a message, or bdat() refuses it anyway
                }
                phase = SmtpPhase.DATA;
                argument = "";
                break;
            default:
                return false;
        }
        SmtpAction action = hookBefore(phase, argument);
        if (action instanceof SmtpAction.Reply r) {
            if (verb.equals("BDAT")) {
                // the chunk follows the command: read and drop it, then answer
                resetTransaction();
                mode = Mode.CHUNK;
                refusedChunkReply = r.reply();
                decoder.beginChunk(newSpool(0), Long.parseLong(arg.split(" +")[0]));
            } else {
                reply(r.reply());
            }
            return true;
        }
        if (action instanceof SmtpAction.Disconnect d) {
            disconnect(d.reply());
            return true;
        }
        if (action instanceof SmtpAction.Stall st && !st.duration().isZero()) {
            stallThen(st.duration(), () -> dispatch(verb, arg));
            return true;
        }
        return false;
    }

    /** Pauses input and output for {@code duration}, then runs {@code then} on the event loop and resumes. */
    private void stallThen(Duration duration, Runnable then) {
        busy = true;
        timer.cancel();
        decoder.setPaused(true);
        flush();
        ctx.executor().schedule(() -> {
            busy = false;
            if (mode == Mode.CLOSED) {
                return;
            }
            try {
                then.run();
            } catch (RuntimeException e) {
                internalError(e);
            }
            resume();
        }, duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the connection, after {@code reply} when it is not null; pending replies are flushed first. */
    private void disconnect(SmtpReply reply) {
        if (reply != null) {
            closeWith(reply);
            return;
        }
        if (mode == Mode.CLOSED) {
            return;
        }
        mode = Mode.CLOSED;
        timer.cancel();
        unflushed = false;
        decoder.setPaused(true);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void startTls(String arg) {
        if (tlsActive) {
            reply(503, "5.5.1", "Error: TLS already active");
            return;
        }
        if (!startTlsListener()) {
            reply(502, "5.5.1", "Error: command not implemented");
            return;
        }
        if (authUser != null) {
            reply(503, "5.5.1", "Error: STARTTLS not allowed after AUTH");
            return;
        }
        if (!arg.isEmpty()) {
            reply(501, "5.5.4", "Syntax: STARTTLS");
            return;
        }
        reply(220, "2.0.0", "Ready to start TLS");
        flush();
        mode = Mode.TLS;
        decoder.setPaused(true);
        channel.eventLoop().execute(this::upgrade);
    }

    private void upgrade() {
        if (mode != Mode.TLS) {
            return;
        }
        int dropped = decoder.discardPending();
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
        decoder.setPaused(false); // the handshake needs reads; no plain text is decoded meanwhile
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
            heloName = null;
            esmtp = false;
            authUser = null;
            resetTransaction();
            mode = Mode.COMMAND;
            checkShutdown();
            flush();
        });
    }

    // ------------------------------------------------------------------ AUTH

    private void auth(String arg) {
        if (sasl == null) {
            reply(503, "5.5.1", "Error: authentication not enabled");
            return;
        }
        if (!esmtp) {
            reply(503, "5.5.1", "Error: send EHLO first");
            return;
        }
        if (authUser != null) {
            reply(503, "5.5.1", "Error: already authenticated");
            return;
        }
        if (tx != null) {
            reply(503, "5.5.1", "Error: MAIL transaction in progress");
            return;
        }
        if (!authAllowedNow()) {
            reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
            return;
        }
        if (config.authThrottle().isBlocked(remoteAddress())) {
            LOG.info("{}: AUTH from {} refused: too many failures", id(), context.remote());
            closeWith(SmtpReply.of(421, "4.7.0", host + " Too many authentication failures"));
            return;
        }
        String[] parts = arg.isEmpty() ? new String[0] : arg.split(" +");
        if (parts.length < 1 || parts.length > 2) {
            reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
            return;
        }
        SaslExchange started = sasl.start(parts[0]);
        if (started == null) {
            reply(504, "5.5.4", "Unsupported authentication mechanism");
            return;
        }
        byte[] initial = null;
        if (parts.length == 2) {
            initial = parts[1].equals("=") ? new byte[0] : decodeBase64(parts[1]);
            if (initial == null) {
                reply(501, "5.5.2", "Error: invalid base64 data");
                return;
            }
        }
        exchange = started;
        saslSuccessUser = null;
        mode = Mode.AUTH;
        byte[] ir = initial;
        saslStep(() -> started.start(ir));
    }

    private void onSaslResponse(CommandLine line) {
        if (line.problem() != null) {
            endSasl();
            reply(501, "5.5.2", "Error: malformed authentication response");
            return;
        }
        String text = line.text().trim();
        if (text.equals("*")) {
            endSasl();
            reply(501, "5.0.0", "Authentication aborted");
            return;
        }
        byte[] response = decodeBase64(text);
        if (response == null) {
            endSasl();
            reply(501, "5.5.2", "Error: invalid base64 data");
            return;
        }
        if (saslSuccessUser != null) {
            // the client acknowledged the server's additional data (RFC 4954 §4)
            String user = saslSuccessUser;
            if (response.length == 0) {
                authSucceeded(user);
            } else {
                authFailed(SaslStep.Reason.MALFORMED);
            }
            return;
        }
        SaslExchange current = exchange;
        saslStep(() -> current.next(response));
    }

    private void saslStep(Supplier<SaslStep> step) {
        async(false, step::get, result -> {
            if (mode != Mode.AUTH) {
                return;
            }
            if (result instanceof SaslStep.Challenge) {
                reply(334, null, Base64.getEncoder().encodeToString(((SaslStep.Challenge) result).data()));
            } else if (result instanceof SaslStep.Success) {
                SaslStep.Success success = (SaslStep.Success) result;
                if (success.additionalData() != null && success.additionalData().length > 0) {
                    saslSuccessUser = success.user();
                    reply(334, null, Base64.getEncoder().encodeToString(success.additionalData()));
                } else {
                    authSucceeded(success.user());
                }
            } else {
                SaslStep.Failure failure = (SaslStep.Failure) result;
                LOG.info("{}: authentication failed from {}: {} {}", id(), context.remote(), failure.reason(),
                        failure.message());
                authFailed(failure.reason());
            }
        }, e -> {
            LOG.warn("{}: authentication error", id(), e);
            authFailed(SaslStep.Reason.TEMPORARY);
        });
    }

    private void authSucceeded(String user) {
        endSasl();
        authUser = user;
        LOG.info("{}: authenticated as {}", id(), user);
        reply(235, "2.7.0", "Authentication successful");
    }

    private void authFailed(SaslStep.Reason reason) {
        endSasl();
        SmtpReply failure;
        switch (reason) {
            case TEMPORARY:
                failure = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
                break;
            case MALFORMED:
                failure = SmtpReply.of(501, "5.5.2", "Error: malformed authentication response");
                break;
            default:
                failure = SmtpReply.of(535, "5.7.8", "Error: authentication failed");
                break;
        }
        if (reason == SaslStep.Reason.TEMPORARY) {
            reply(failure);
            return;
        }
        authFailures++;
        AuthThrottle throttle = config.authThrottle();
        int fromAddress = throttle.recordFailure(remoteAddress());
        if (throttle.reachesBlock(authFailures) || throttle.reachesBlock(fromAddress)) {
            LOG.info("{}: {} authentication failures from {} ({} on this connection), closing", id(), fromAddress,
                    context.remote(), authFailures);
            reply(failure);
            closeWith(SmtpReply.of(421, "4.7.0", host + " Too many authentication failures"));
            return;
        }
        Duration delay = throttle.delayFor(Math.max(authFailures, fromAddress));
        if (delay.isZero()) {
            reply(failure);
            return;
        }
        busy = true;
        timer.cancel();
        decoder.setPaused(true);
        flush();
        ctx.executor().schedule(() -> {
            busy = false;
            if (mode == Mode.CLOSED) {
                return;
            }
            reply(failure);
            resume();
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void endSasl() {
        exchange = null;
        saslSuccessUser = null;
        if (mode == Mode.AUTH) {
            mode = Mode.COMMAND;
        }
    }

    // ------------------------------------------------------------------ async machinery

    /**
     * Runs {@code call} on the SPI executor with the decoder paused, then {@code apply} (or {@code failed}) on the
     * event loop, then resumes decoding.
     */
    private static boolean hasRemote(List<DeliveryPipeline.Route> routes) {
        for (DeliveryPipeline.Route route : routes) {
            if (route.resolution() instanceof Resolution.Remote
                    || route.resolution() instanceof Resolution.Expanded e && !e.forwards().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private <T> void async(boolean inline, Supplier<T> call, Consumer<T> apply, Consumer<Throwable> failed) {
        if (inline) {
            // a NonBlocking SPI: call it here on the event loop, no thread switch, no pause
            T result;
            try {
                result = call.get();
            } catch (Throwable t) {
                try {
                    failed.accept(t);
                } catch (RuntimeException e) {
                    internalError(e);
                }
                afterInline();
                return;
            }
            try {
                apply.accept(result);
            } catch (RuntimeException e) {
                internalError(e);
            }
            afterInline();
            return;
        }
        busy = true;
        timer.cancel();
        decoder.setPaused(true);
        if (decoder.pendingBytes() == 0) {
            flush();
        }
        Offload.call(config.executor(), channel.eventLoop(), call::get, (r, f) -> complete(r, f, apply, failed));
    }

    private <T> void complete(T result, Throwable failure, Consumer<T> apply, Consumer<Throwable> failed) {
        busy = false;
        try {
            if (failure != null) {
                failed.accept(failure);
            } else {
                apply.accept(result);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
        resume();
    }

    /** After an inline SPI call: like {@link #resume()}, but nothing was paused and the batch may go on. */
    private void afterInline() {
        if (busy || mode == Mode.CLOSED) {
            return;
        }
        checkShutdown();
        if (mode == Mode.CLOSED) {
            return;
        }
        if (decoder.pendingBytes() == 0) {
            flush();
        }
        armTimer();
    }

    /** After async work: flush if the client waits, then decode what is buffered. */
    private void resume() {
        if (busy || mode == Mode.CLOSED) {
            return;
        }
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
        }
        armTimer();
    }

    private void afterInput() {
        if (busy || mode == Mode.CLOSED) {
            return;
        }
        checkShutdown();
        if (mode != Mode.CLOSED && decoder.pendingBytes() == 0) {
            flush();
        }
        armTimer();
    }

    // ------------------------------------------------------------------ timeouts

    /** Raw input arrived: the client is alive; restart the wait for the current phase. */
    private void onInput() {
        armTimer();
    }

    /** Arms the read timeout of the current phase while the server waits for the client. */
    private void armTimer() {
        if (busy || mode == Mode.CLOSED || ctx == null) {
            timer.cancel();
            return;
        }
        timer.arm(ctx.executor(), mode == Mode.DATA || mode == Mode.CHUNK ? config.dataTimeout()
                : config.commandTimeout());
    }

    private void timedOut() {
        if (busy || mode == Mode.CLOSED) {
            return;
        }
        LOG.info("{}: timeout in {} from {}", id(), mode, context.remote());
        closeWith(SmtpReply.of(421, "4.4.2", host + " Error: timeout exceeded"));
    }

    private void checkShutdown() {
        if (shutdownRequested && !busy && tx == null && (mode == Mode.COMMAND || mode == Mode.AUTH)) {
            closeWith(SmtpReply.of(421, "4.3.2", host + " Service shutting down"));
        }
    }

    private void policyFailed(Throwable e) {
        LOG.warn("{}: policy or resolver failed", id(), e);
        reply(451, "4.3.0", "Error: internal error, try again later");
    }

    private void internalError(RuntimeException e) {
        LOG.error("{}: internal error", id(), e);
        if (mode == Mode.CLOSED) {
            return;
        }
        resetTransaction();
        endSasl();
        if (mode == Mode.DATA || mode == Mode.CHUNK || mode == Mode.TLS) {
            closeWith(SmtpReply.of(421, "4.3.0", host + " Error: internal error"));
        } else {
            reply(451, "4.3.0", "Error: internal error, try again later");
        }
    }

    /** Whether a policy decision refuses (Reject, Defer, Disconnect) rather than accepts in some form. */
    private static boolean isRefusal(Decision decision) {
        return decision instanceof Decision.Reject || decision instanceof Decision.Defer
                || decision instanceof Decision.Disconnect;
    }

    /**
     * Remembers what an accepting connect-, HELO- or MAIL-time decision says about the client: Relay trusts it for
     * the rest of the session; Discard at connect or HELO drops every message of the session.
     */
    private void noteTrust(Decision decision, boolean sessionWide) {
        if (decision instanceof Decision.Relay) {
            trustedClient = true;
        } else if (decision instanceof Decision.Discard && sessionWide) {
            discardAll = true;
        }
    }

    private void applyRefusal(Decision decision) {
        if (decision instanceof Decision.Disconnect) {
            closeWith(((Decision.Disconnect) decision).reply());
        } else {
            reply(replyOf(decision));
        }
    }

    private static SmtpReply replyOf(Decision decision) {
        if (decision instanceof Decision.Reject) {
            return ((Decision.Reject) decision).reply();
        }
        if (decision instanceof Decision.Defer) {
            return ((Decision.Defer) decision).reply();
        }
        if (decision instanceof Decision.Disconnect) {
            return ((Decision.Disconnect) decision).reply();
        }
        throw new IllegalStateException("not a refusal: " + decision);
    }

    // ------------------------------------------------------------------ output

    private void reply(int code, String enhanced, String text) {
        reply(enhanced == null ? SmtpReply.of(code, text) : SmtpReply.of(code, enhanced, text));
    }

    private void reply(SmtpReply reply) {
        reply(reply, false);
    }

    /** Writes a reply (flushed later); returns the write's promise when asked for one and the write happened. */
    private ChannelPromise reply(SmtpReply reply, boolean wantPromise) {
        if (mode == Mode.CLOSED) {
            return null;
        }
        ChannelPromise promise = wantPromise ? ctx.newPromise() : ctx.voidPromise();
        ctx.write(Unpooled.copiedBuffer(reply.toWire(), StandardCharsets.UTF_8), promise);
        unflushed = true;
        notifyReplied(reply);
        int code = reply.code();
        if (code == 500 || code == 501 || code == 502 || code == 503 || code == 504 || code == 555) {
            badCommands++;
            if (badCommands >= config.maxBadCommands()) {
                LOG.info("{}: too many errors from {}", id(), context.remote());
                closeWith(SmtpReply.of(421, "4.7.0", host + " Error: too many errors"));
            }
        }
        return wantPromise ? promise : null;
    }

    private void notifyReplied(SmtpReply reply) {
        if (hooks != null) {
            try {
                hooks.replied(sessionInfo(heloName), reply);
            } catch (RuntimeException e) {
                LOG.warn("{}: hook failed", id(), e);
            }
        }
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    /** Writes the reply, flushes and closes; nothing more is read. */
    private void closeWith(SmtpReply reply) {
        if (mode == Mode.CLOSED) {
            return;
        }
        ctx.write(Unpooled.copiedBuffer(reply.toWire(), StandardCharsets.UTF_8));
        notifyReplied(reply);
        mode = Mode.CLOSED;
        timer.cancel();
        unflushed = false;
        decoder.setPaused(true);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ helpers

    private void resetTransaction() {
        if (tx != null) {
            closeQuietly(tx.spool);
            tx = null;
        }
    }

    private MessageSpool newSpool(long maxSize) {
        return new MessageSpool(config.spoolDirectory(), config.memoryThreshold(), maxSize);
    }

    private void closeQuietly(MessageSpool spool) {
        if (spool == null) {
            return;
        }
        try {
            spool.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: could not close spool", id(), e);
        }
    }

    private SessionInfo sessionInfo(String helo) {
        String tlsProtocol = null;
        if (tlsActive) {
            StartTls.TlsSessionInfo tls = tlsInfo();
            tlsProtocol = tls == null || tls.protocol() == null ? "TLS" : tls.protocol();
        }
        return new SessionInfo(context.sessionId(), context.listener().name(), context.remote(), context.local(),
                helo, tlsProtocol, authUser);
    }

    private StartTls.TlsSessionInfo tlsInfo() {
        return StartTls.sessionInfo(channel);
    }

    private boolean startTlsListener() {
        return context.listener().tlsMode() == TlsMode.STARTTLS && context.tls() != null;
    }

    private boolean startTlsOffered() {
        return startTlsListener() && !tlsActive;
    }

    private boolean authAllowedNow() {
        return tlsActive || isLoopback() || config.allowInsecureAuth();
    }

    private boolean authOffered() {
        return sasl != null && authUser == null && authAllowedNow();
    }

    private InetAddress remoteAddress() {
        return context.remote().getAddress();
    }

    private boolean isLoopback() {
        return context.remote().getAddress() != null && context.remote().getAddress().isLoopbackAddress();
    }

    private String id() {
        return context.sessionId();
    }

    private String nextMessageId() {
        StringBuilder sb = new StringBuilder();
        for (char c : context.sessionId().toCharArray()) {
            if (c < 127 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                sb.append(c);
            }
        }
        return sb.append('M').append(++messageCount).toString();
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String stripTrailingBlanks(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /** A domain (letters of any script, digits, '-', '_', '.') or an address literal in brackets. */
    static boolean validHeloName(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return false;
        }
        if (name.charAt(0) == '[') {
            if (name.charAt(name.length() - 1) != ']' || name.length() < 3) {
                return false;
            }
            return name.substring(1, name.length() - 1).chars()
                    .allMatch(c -> c < 127 && (Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '-'));
        }
        return name.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
    }
}
