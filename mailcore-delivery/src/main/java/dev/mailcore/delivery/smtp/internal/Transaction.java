package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * One mail transaction on a ready session: MAIL FROM with its parameters, RCPT TO for each recipient, then DATA or
 * BDAT. PIPELINING batches MAIL, RCPT and DATA when the server offers it. Every recipient ends with an outcome.
 */
public final class Transaction {
    private final Settings settings;

    public Transaction(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs the transaction. Never throws for remote problems: a lost connection or timeout defers the recipients not
     * decided yet (the session is then no longer usable).
     *
     * @return one outcome per recipient, in the order of {@code recipients}
     */
    public List<RecipientOutcome> run(ClientSession s, Envelope envelope, List<EnvelopeRecipient> recipients,
                                      MessageSource content) {
        RecipientOutcome[] outcomes = new RecipientOutcome[recipients.size()];
        try {
            execute(s, envelope, recipients, content, outcomes);
        } catch (SessionException e) {
            s.markBroken();
            s.close();
            // outcomes already decided stand: an LMTP recipient whose own 250 came before the failure is delivered
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = new RecipientOutcome(recipients.get(i).address(), DeliveryStatus.DEFERRED,
                            e.reply());
                }
            }
        }
        s.transactionDone();
        List<RecipientOutcome> list = new ArrayList<>(outcomes.length);
        for (RecipientOutcome o : outcomes) {
            list.add(o);
        }
        return list;
    }

    private void execute(ClientSession s, Envelope envelope, List<EnvelopeRecipient> recipients,
                         MessageSource content, RecipientOutcome[] outcomes) throws SessionException {
        Capabilities caps = s.capabilities();
        MailParameters params = envelope.parameters();
        // An internationalised domain travels as A-labels; only a UTF-8 local part (or the sender's request, for
        // UTF-8 headers) needs SMTPUTF8.
        boolean utf8 = params.smtpUtf8()
                || envelope.sender().address().map(a -> !isAscii(a.localPart())).orElse(false)
                || recipients.stream().anyMatch(r -> !isAscii(r.address().localPart()));
        if (utf8 && !caps.has("SMTPUTF8")) {
            fillAll(outcomes, recipients, SmtpReply.of(550, "5.6.7", "SMTPUTF8 is required, but was not offered by "
                    + "host " + s.peer()));
            return;
        }
        long limit = caps.sizeLimit();
        long size = content.size();
        if (limit > 0 && size > limit) {
            fillAll(outcomes, recipients, SmtpReply.of(552, "5.3.4", "message size " + size
                    + " exceeds size limit " + limit + " of server " + s.peer()));
            return;
        }
        boolean chunking = settings.chunking() && caps.has("CHUNKING");
        boolean binary = params.body() == BodyType.BINARY_MIME;
        if (binary && !(chunking && caps.has("BINARYMIME"))) {
            // RFC 3030 §3: binary content cannot go as DATA, and converting it is not ours to do
            fillAll(outcomes, recipients, SmtpReply.of(554, "5.6.3", "host " + s.peer() + " does not offer "
                    + (chunking ? "BINARYMIME" : "CHUNKING") + ", required for this BINARYMIME message"));
            return;
        }
        boolean dsn = caps.has("DSN");
        boolean pipelining = settings.pipelining() && caps.has("PIPELINING");

        StringBuilder mail = new StringBuilder("MAIL FROM:<")
                .append(envelope.sender().address().map(a -> wire(a, utf8)).orElse("")).append('>');
        if (caps.has("SIZE")) {
            mail.append(" SIZE=").append(size);
        }
        if (binary) {
            mail.append(" BODY=BINARYMIME");
        } else if (params.body() != BodyType.SEVEN_BIT && caps.has("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        if (dsn && params.dsnReturn() != null) {
            mail.append(" RET=").append(params.dsnReturn().name());
        }
        if (dsn && params.envelopeId() != null) {
            mail.append(" ENVID=").append(Xtext.encode(params.envelopeId()));
        }
        List<String> commands = new ArrayList<>();
        commands.add(mail.toString());
        for (EnvelopeRecipient r : recipients) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(wire(r.address(), utf8)).append('>');
            if (dsn && !r.notifyOn().isEmpty()) {
                rcpt.append(" NOTIFY=").append(r.notifyOn().stream().sorted().map(DsnNotify::name)
                        .collect(Collectors.joining(",")));
            }
            if (dsn && r.original() != null) {
                rcpt.append(" ORCPT=").append(r.original());
            }
            commands.add(rcpt.toString());
        }
        boolean dataPipelined = pipelining && !chunking;
        if (dataPipelined) {
            commands.add("DATA");
        }
        List<CompletableFuture<RemoteReply>> futures = pipelining ? s.pipeline(commands) : null;

        RemoteReply mailReply = s.await(pipelining ? futures.get(0) : s.command(commands.get(0)),
                settings.timeouts().mail(), "sending MAIL FROM");
        if (!mailReply.isPositive()) {
            fillAll(outcomes, recipients, outcomeReply(mailReply, s, "MAIL FROM"));
            if (pipelining) {
                drain(s, futures.subList(1, futures.size()));
            }
            return;
        }
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            RemoteReply r = s.await(pipelining ? futures.get(i + 1) : s.command(commands.get(i + 1)),
                    settings.timeouts().rcpt(), "sending RCPT TO");
            if (r.isPositive()) {
                accepted.add(i);
            } else {
                outcomes[i] = outcome(recipients.get(i), outcomeReply(r, s, "RCPT TO"));
            }
        }
        RemoteReply dataReply = null;
        if (dataPipelined) {
            dataReply = s.await(futures.get(futures.size() - 1), settings.timeouts().dataInit(), "sending DATA");
        }
        if (accepted.isEmpty()) {
            if (dataReply != null && dataReply.code() == 354) {
                // RFC 2920 §3.1: end the DATA the server wrongly accepted, with no content.
                s.await(s.commandWithContent(".", s.channel().alloc().buffer(0)), settings.timeouts().dataDone(),
                        "sending end of data");
            }
            return;
        }
        boolean lmtp = s.isLmtp();
        int replies = lmtp ? accepted.size() : 1;
        // the final replies as they arrive: LMTP's come one per accepted recipient, and those that came before a
        // timeout or a lost connection decide their recipients (a 250 among them is a delivery)
        List<RemoteReply> finals = new ArrayList<>(replies);
        try {
            if (chunking) {
                sendBdat(s, content, binary, pipelining, replies, finals);
            } else {
                if (dataReply == null) {
                    dataReply = s.await(s.command("DATA"), settings.timeouts().dataInit(), "sending DATA");
                }
                if (dataReply.code() != 354) {
                    SmtpReply reply = dataReply.isPositive()
                            ? SmtpReply.of(451, "4.5.0", "host " + s.peer() + " answered DATA with "
                            + dataReply.code())
                            : outcomeReply(dataReply, s, "DATA");
                    for (int i : accepted) {
                        outcomes[i] = outcome(recipients.get(i), reply);
                    }
                    return;
                }
                sendData(s, content, replies, finals);
            }
        } finally {
            int decided = finals.isEmpty() ? 0 : replies == 1 ? accepted.size() : finals.size();
            for (int j = 0; j < decided; j++) {
                RemoteReply r = finals.get(replies == 1 ? 0 : j);
                int i = accepted.get(j);
                outcomes[i] = outcome(recipients.get(i), outcomeReply(r, s, "end of DATA"),
                        handoff(recipients.get(i), dsn, lmtp));
            }
        }
    }

    /**
     * @param replies  replies expected after the final dot: 1 for SMTP, one per accepted recipient for LMTP
     * @param received receives each final reply as it arrives
     */
    private void sendData(ClientSession s, MessageSource content, int replies, List<RemoteReply> received)
            throws SessionException {
        BodyEncoder encoder = new BodyEncoder(true);
        ByteBufAllocator alloc = s.channel().alloc();
        byte[] buf = new byte[settings.chunkSize()];
        try (InputStream in = content.openStream()) {
            int n;
            while ((n = in.read(buf)) != -1) {
                if (n == 0) {
                    continue;
                }
                ByteBuf out = alloc.buffer(n + n / 16 + 16);
                encoder.encode(buf, 0, n, out);
                s.writeContent(out);
                s.awaitWritable(settings.timeouts().dataBlock(), "sending message body");
            }
        } catch (IOException e) {
            throw readFailure(s, e);
        }
        ByteBuf end = alloc.buffer(8);
        encoder.finishData(end);
        List<CompletableFuture<RemoteReply>> finals = s.commandWithContent(null, end, replies);
        for (CompletableFuture<RemoteReply> f : finals) {
            received.add(s.await(f, settings.timeouts().dataDone(),
                    "sending end of data -- message may be sent more than once"));
        }
    }

    /** Like {@link #sendData}, with BDAT chunks; a failed chunk becomes every final reply. */
    private void sendBdat(ClientSession s, MessageSource content, boolean binary, boolean pipelining,
                          int replies, List<RemoteReply> received) throws SessionException {
        BodyEncoder encoder = new BodyEncoder(false, !binary);
        ByteBufAllocator alloc = s.channel().alloc();
        byte[] buf = new byte[settings.chunkSize()];
        List<CompletableFuture<RemoteReply>> pending = new ArrayList<>();
        List<CompletableFuture<RemoteReply>> finals = List.of();
        ByteBuf current = null;
        ByteBuf next = null;
        try (InputStream in = content.openStream()) {
            current = readChunk(in, buf, encoder, alloc);
            if (current == null) {
                current = alloc.buffer(0);
                next = null;
            } else {
                next = readChunk(in, buf, encoder, alloc);
            }
            while (true) {
                boolean lastChunk = next == null;
                String command = "BDAT " + current.readableBytes() + (lastChunk ? " LAST" : "");
                ByteBuf sending = current;
                current = null;
                if (lastChunk) {
                    finals = s.commandWithContent(command, sending, replies);
                    break;
                }
                CompletableFuture<RemoteReply> f = s.commandWithContent(command, sending);
                if (!pipelining) {
                    RemoteReply r = s.await(f, settings.timeouts().dataBlock(), "sending message body");
                    if (!r.isPositive()) {
                        s.markBroken();
                        fill(received, r, replies);
                        return;
                    }
                } else {
                    pending.add(f);
                    RemoteReply failed = firstFailure(pending);
                    if (failed != null) {
                        s.markBroken();
                        fill(received, failed, replies);
                        return;
                    }
                }
                s.awaitWritable(settings.timeouts().dataBlock(), "sending message body");
                current = next;
                next = readChunk(in, buf, encoder, alloc);
            }
        } catch (IOException e) {
            throw readFailure(s, e);
        } finally {
            release(current);
            release(next);
        }
        RemoteReply failed = null;
        for (CompletableFuture<RemoteReply> f : pending) {
            RemoteReply r = s.await(f, settings.timeouts().dataBlock(), "sending message body");
            if (failed == null && !r.isPositive()) {
                failed = r;
            }
        }
        if (failed != null) {
            // An earlier chunk failed: the whole transaction did (RFC 3030 §2).
            for (CompletableFuture<RemoteReply> f : finals) {
                s.await(f, settings.timeouts().dataDone(), "sending end of data");
            }
            fill(received, failed, replies);
            return;
        }
        for (CompletableFuture<RemoteReply> f : finals) {
            received.add(s.await(f, settings.timeouts().dataDone(),
                    "sending end of data -- message may be sent more than once"));
        }
    }

    private static void fill(List<RemoteReply> out, RemoteReply reply, int replies) {
        for (int i = 0; i < replies; i++) {
            out.add(reply);
        }
    }

    /** The address as sent: with SMTPUTF8 as given, else with the domain in A-label form. */
    static String wire(MailAddress address, boolean utf8) {
        if (utf8 || address.isAddressLiteral() || isAscii(address.domain())) {
            return address.toString();
        }
        return address.quotedLocalPart() + "@" + address.normalizedDomain();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static RemoteReply firstFailure(List<CompletableFuture<RemoteReply>> pending) {
        for (CompletableFuture<RemoteReply> f : pending) {
            RemoteReply r = f.getNow(null);
            if (r != null && !r.isPositive()) {
                return r;
            }
        }
        return null;
    }

    private static ByteBuf readChunk(InputStream in, byte[] buf, BodyEncoder encoder, ByteBufAllocator alloc)
            throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n <= 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(n + n / 16 + 16);
        encoder.encode(buf, 0, n, out);
        return out;
    }

    private static void release(ByteBuf b) {
        if (b != null && b.refCnt() > 0) {
            b.release();
        }
    }

    private static SessionException readFailure(ClientSession s, IOException e) {
        s.markBroken();
        s.close();
        return new SessionException(SmtpReply.of(451, "4.3.0", "cannot read the message to send: " + e.getMessage()),
                false, e);
    }

    private void drain(ClientSession s, List<CompletableFuture<RemoteReply>> rest) throws SessionException {
        for (CompletableFuture<RemoteReply> f : rest) {
            RemoteReply r = s.await(f, settings.timeouts().rcpt(), "sending RCPT TO");
            if (r.code() == 354) {
                s.await(s.commandWithContent(".", s.channel().alloc().buffer(0)), settings.timeouts().dataDone(),
                        "sending end of data");
            }
        }
    }

    private static SmtpReply outcomeReply(RemoteReply r, ClientSession s, String command) {
        if (r.code() < 200 || r.code() > 599 || r.code() / 100 == 3) {
            return SmtpReply.of(451, "4.5.0", "host " + s.peer() + " said: "
                    + RemoteReply.sanitize(r.toString()) + " (in reply to " + command + " command)");
        }
        return r.toOutcome(s.peer(), command);
    }

    private static RecipientOutcome outcome(EnvelopeRecipient r, SmtpReply reply) {
        return outcome(r, reply, RecipientOutcome.Handoff.RELAYED);
    }

    private static RecipientOutcome outcome(EnvelopeRecipient r, SmtpReply reply, RecipientOutcome.Handoff handoff) {
        DeliveryStatus status = reply.isPositive() ? DeliveryStatus.DELIVERED
                : reply.isTransientFailure() ? DeliveryStatus.DEFERRED : DeliveryStatus.FAILED;
        return new RecipientOutcome(r.address(), status, reply, handoff);
    }

    /**
     * Who reports on an accepted recipient (RFC 3461 §5.2.2): a server offering DSN that got the NOTIFY does;
     * otherwise an LMTP server has made the final delivery, and an SMTP server has had the message relayed to it.
     */
    static RecipientOutcome.Handoff handoff(EnvelopeRecipient r, boolean dsn, boolean lmtp) {
        if (dsn && !r.notifyOn().isEmpty()) {
            return RecipientOutcome.Handoff.RELAYED_WITH_DSN;
        }
        return lmtp ? RecipientOutcome.Handoff.DELIVERED : RecipientOutcome.Handoff.RELAYED;
    }

    private static void fillAll(RecipientOutcome[] outcomes, List<EnvelopeRecipient> recipients, SmtpReply reply) {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = outcome(recipients.get(i), reply);
            }
        }
    }
}
