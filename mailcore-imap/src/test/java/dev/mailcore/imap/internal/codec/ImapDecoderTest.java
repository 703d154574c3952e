package dev.mailcore.imap.internal.codec;

import dev.mailcore.imap.internal.command.ImapCommand;
import dev.mailcore.imap.internal.command.ParsedCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ImapDecoderTest {

    private static final ImapDecoder.Limits SMALL = new ImapDecoder.Limits(64, 100, 200_000, false);

    @TempDir
    Path spool;

    private EmbeddedChannel channel;
    private ImapDecoder decoder;

    @AfterEach
    void closeChannel() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void start(ImapDecoder.Limits limits) {
        start(limits, null);
    }

    /** A channel with the decoder and, when given, a handler that sees each input first (to switch modes). */
    private void start(ImapDecoder.Limits limits, BiConsumer<ImapDecoder, ImapInput> onInput) {
        decoder = new ImapDecoder(limits, spool);
        if (onInput == null) {
            channel = new EmbeddedChannel(decoder);
        } else {
            channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    onInput.accept(decoder, (ImapInput) msg);
                    ctx.fireChannelRead(msg);
                }
            });
        }
    }

    private void send(String s) {
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    private void send(byte[] b) {
        channel.writeInbound(Unpooled.wrappedBuffer(b));
    }

    private List<ImapInput> inputs() {
        List<ImapInput> all = new ArrayList<>();
        ImapInput in;
        while ((in = channel.readInbound()) != null) {
            all.add(in);
        }
        return all;
    }

    private ImapInput single() {
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private ParsedCommand command() {
        ImapInput in = single();
        assertThat(in).isInstanceOf(ImapInput.Command.class);
        return ((ImapInput.Command) in).command();
    }

    private List<String> outbound() {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out;
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    private static byte[] content(ImapCommand.AppendMessage m) throws IOException {
        try (InputStream in = m.content().openStream()) {
            return in.readAllBytes();
        }
    }

    // ---------------------------------------------------------------------------------------------- framing

    @Test
    void emitsOneCommandPerLineAndAcceptsBareLineFeed() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 NOOP\r\na2 CAPABILITY\nA3 logout\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(3);
        assertThat(((ImapInput.Command) all.get(0)).command().command()).isInstanceOf(ImapCommand.Noop.class);
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a2");
        assertThat(((ImapInput.Command) all.get(2)).command().command()).isInstanceOf(ImapCommand.Logout.class);
        assertThat(outbound()).isEmpty();
    }

    @Test
    void waitsForTheLineEndAndIgnoresEmptyLines() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 NO");
        assertThat(inputs()).isEmpty();
        send("OP\r");
        assertThat(inputs()).isEmpty();
        send("\n\r\n\na2 NOOP\r\n");
        assertThat(inputs()).extracting(i -> ((ImapInput.Command) i).command().tag()).containsExactly("a1", "a2");
    }

    @Test
    void reportsParseErrorsAndGoesOn() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 FETCH x FLAGS\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 BAD Error in IMAP command FETCH: Invalid sequence set",
                false));
        assertThat(all.get(1)).isInstanceOf(ImapInput.Command.class);
    }

    // --------------------------------------------------------------------------------------------- literals

    @Test
    void asksForASynchronisingLiteralExactlyOnce() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 LOGIN {3}\r\n");
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n");
        assertThat(inputs()).isEmpty();
        send("joe {6}\r\n");
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n");
        send("se");
        send("cret\r\n");
        assertThat(outbound()).isEmpty();
        assertThat(command().command()).isEqualTo(new ImapCommand.Login("joe", "secret"));
    }

    @Test
    void doesNotAskForNonSynchronisingLiterals() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 LOGIN {3+}\r\njoe {6+}\r\nsecret\r\n");
        assertThat(outbound()).isEmpty();
        assertThat(command().command()).isEqualTo(new ImapCommand.Login("joe", "secret"));
    }

    @Test
    void takesLiteralOctetsVerbatimIncludingLineEndsAndBraces() throws IOException {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        String message = "Subject: x {3}\r\n\r\nline\nbare\rcr {5+}\r\n";
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        send("a1 APPEND INBOX {" + size + "+}\r\n" + message + "\r\n");
        ImapCommand.Append append = (ImapCommand.Append) command().command();
        assertThat(new String(content(append.messages().get(0)), StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void readsLiteral8AndZeroLengthLiterals() throws IOException {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send(concat("a1 APPEND INBOX ~{4}\r\n".getBytes(StandardCharsets.US_ASCII), new byte[]{0, 1, 2, 3},
                " {0}\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(outbound()).hasSize(2);
        ImapCommand.Append append = (ImapCommand.Append) command().command();
        assertThat(content(append.messages().get(0))).containsExactly(0, 1, 2, 3);
        assertThat(((Literal) append.messages().get(0).content()).binary()).isTrue();
        assertThat(append.messages().get(1).content().size()).isZero();
    }

    @Test
    void refusesATooBigSynchronisingLiteralWithoutAskingForIt() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 APPEND INBOX {8193}\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 NO [TOOBIG] Literal too big (at most 8192 octets "
                + "here)", false));
        assertThat(all.get(1)).isInstanceOf(ImapInput.Command.class);
        assertThat(outbound()).isEmpty();
    }

    @Test
    void appliesTheLargerLimitAfterAuthentication() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 APPEND INBOX {8192}\r\n");
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n");
        send(new byte[8192]);
        send("\r\n");
        assertThat(command().command()).isInstanceOf(ImapCommand.Append.class);
        decoder.authenticated(true);
        send("a2 APPEND INBOX {100000}\r\n");
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n");
        send(new byte[100000]);
        send("\r\n");
        assertThat(command().command()).isInstanceOf(ImapCommand.Append.class);
        send("a3 APPEND INBOX {67108865}\r\n");
        assertThat(((ImapInput.Bad) single()).response()).startsWith("a3 NO [TOOBIG]");
        decoder.authenticated(false);
        send("a4 APPEND INBOX {9000}\r\n");
        assertThat(((ImapInput.Bad) single()).response()).startsWith("a4 NO [TOOBIG]");
        assertThat(outbound()).isEmpty();
    }

    @Test
    void closesOnATooBigNonSynchronisingLiteral() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 APPEND INBOX {9000+}\r\n" + "x".repeat(100) + "\r\na2 NOOP\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("a1 BAD [TOOBIG] Literal too big", true));
        send("a3 NOOP\r\n");
        assertThat(inputs()).isEmpty();
    }

    @Test
    void literalMinusLimitsNonSynchronisingLiteralsTo4096Octets() {
        ImapDecoder.Limits minus = new ImapDecoder.Limits(65536, 8192, 1 << 20, true);
        start(minus);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {4096+}\r\n");
        send(new byte[4096]);
        send("\r\n");
        assertThat(command().command()).isInstanceOf(ImapCommand.Append.class);
        send("a2 APPEND INBOX {5000}\r\n");
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n");
        send(new byte[5000]);
        send("\r\n");
        assertThat(command().command()).isInstanceOf(ImapCommand.Append.class);
        send("a3 APPEND INBOX {4097+}\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("a3 BAD [TOOBIG] Literal too big", true));
    }

    @Test
    void literalPlusAcceptsLargeNonSynchronisingLiterals() {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {5000+}\r\n");
        send(new byte[5000]);
        send("\r\n");
        assertThat(command().command()).isInstanceOf(ImapCommand.Append.class);
        assertThat(outbound()).isEmpty();
    }

    @Test
    void refusesAnUnknownCommandBeforeAskingForItsLiteral() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 XYZZY {3}\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("a1 BAD Unknown command", false));
        send("+a LOGIN {3}\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("* BAD Invalid tag", false));
        assertThat(outbound()).isEmpty();
        // a non-synchronising literal of a refused command is skipped, not executed
        send("a2 XYZZY {9+}\r\na3 NOOP\r\n\r\na4 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a2 BAD Unknown command", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a4");
    }

    // ---------------------------------------------------------------------------------------- line length

    @Test
    void rejectsATooLongLineAndGoesOn() {
        start(SMALL);
        send("a1 LOGIN " + "x".repeat(100) + " y\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 BAD Command line too long", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a2");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void rejectsATooLongLineArrivingInPieces() {
        start(SMALL);
        send("x".repeat(40));
        send("y".repeat(40));
        assertThat(inputs()).isEmpty();
        send("z".repeat(4000));
        send("\r\nb NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("* BAD Command line too long", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("b");
    }

    @Test
    void countsAllLineSegmentsOfACommandAgainstTheLimit() {
        start(SMALL);
        send("a1 LOGIN {3+}\r\njoe " + "y".repeat(60) + "\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 BAD Command line too long", false));
        assertThat(all.get(1)).isInstanceOf(ImapInput.Command.class);
    }

    @Test
    void skipsTheNonSynchronisingLiteralAnnouncedAtTheEndOfATooLongLine() {
        start(SMALL);
        send("a1 LOGIN " + "x".repeat(100) + " {12+}\r\na9 LOGOUT\r\n\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 BAD Command line too long", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a2");
    }

    // ------------------------------------------------------------------------------------------- spooling

    @Test
    void spoolsLargeLiteralsAndDeletesThemWhenTheResourcesAreClosed() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'm');
        send("a1 APPEND INBOX {200000+}\r\n");
        send(Arrays.copyOf(big, 70_000));
        assertThat(spoolFiles()).hasSize(1);
        send(Arrays.copyOfRange(big, 70_000, big.length));
        send("\r\n");
        ParsedCommand parsed = command();
        ImapCommand.Append append = (ImapCommand.Append) parsed.command();
        Literal literal = (Literal) append.messages().get(0).content();
        assertThat(literal.spooled()).isTrue();
        assertThat(content(append.messages().get(0))).isEqualTo(big);
        assertThat(spoolFiles()).hasSize(1);
        parsed.resources().close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void keepsAtMostTheThresholdOfLiteralsOnTheHeap() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {40000+}\r\n");
        send(new byte[40000]);
        send(" {40000+}\r\n");
        send(new byte[40000]);
        send(" {100+}\r\n");
        send(new byte[100]);
        send("\r\n");
        ParsedCommand parsed = command();
        List<ImapCommand.AppendMessage> messages = ((ImapCommand.Append) parsed.command()).messages();
        assertThat(messages).extracting(m -> ((Literal) m.content()).spooled()).containsExactly(false, true, false);
        parsed.resources().close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void deletesTheSpoolWhenTheChannelClosesMidLiteral() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {200000+}\r\n");
        send(new byte[100_000]);
        assertThat(spoolFiles()).hasSize(1);
        channel.close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void deletesSpooledLiteralsOfACommandNotYetComplete() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {100000+}\r\n");
        send(new byte[100_000]);
        send(" {100000+}\r\n");
        send(new byte[10]);
        assertThat(spoolFiles()).hasSize(2);
        channel.pipeline().remove(decoder);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void deletesSpooledLiteralsOfACommandThatFailsToParse() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 LOGIN {100000+}\r\n");
        send(new byte[100_000]);
        send(" x\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("a1 BAD Error in IMAP command LOGIN: String literal too "
                + "long", false));
        assertThat(spoolFiles()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ modes

    @Test
    void discardBufferedDropsWhatWasPipelinedAfterStartTls() {
        start(ImapDecoder.Limits.DEFAULT, (d, in) -> {
            if (in instanceof ImapInput.Command c && c.command().command() instanceof ImapCommand.StartTls) {
                assertThat(d.discardBuffered()).isEqualTo("a2 LOGIN {3}\r\nabc x\r\n".length());
            }
        });
        send("a1 STARTTLS\r\na2 LOGIN {3}\r\nabc x\r\n");
        assertThat(single()).isInstanceOf(ImapInput.Command.class);
        assertThat(outbound()).isEmpty();
        send("a3 NOOP\r\n");
        assertThat(command().tag()).isEqualTo("a3");
    }

    @Test
    void discardBufferedForgetsAPartlyReadCommand() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {100000+}\r\n");
        send(new byte[70_000]);
        decoder.discardBuffered();
        assertThat(spoolFiles()).isEmpty();
        send("a2 NOOP\r\n");
        assertThat(command().tag()).isEqualTo("a2");
    }

    @Test
    void rawLineModeEmitsLinesUntilTurnedOff() {
        start(ImapDecoder.Limits.DEFAULT, (d, in) -> {
            if (in instanceof ImapInput.Command c && c.command().command() instanceof ImapCommand.Idle) {
                d.rawLineMode(true);
            } else if (in instanceof ImapInput.RawLine r && r.line().equals("DONE")) {
                d.rawLineMode(false);
            }
        });
        send("a1 IDLE\r\nnot a {5}\r\nDONE\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(4);
        assertThat(all.get(1)).isEqualTo(new ImapInput.RawLine("not a {5}"));
        assertThat(all.get(2)).isEqualTo(new ImapInput.RawLine("DONE"));
        assertThat(((ImapInput.Command) all.get(3)).command().tag()).isEqualTo("a2");
        assertThat(outbound()).isEmpty();
    }

    @Test
    void rawLineModeKeepsEmptyLinesAndRejectsTooLongOnes() {
        start(SMALL);
        decoder.rawLineMode(true);
        send("\r\n" + "A".repeat(100) + "\r\nAGpvZQ==\r\n");
        assertThat(inputs()).containsExactly(new ImapInput.RawLine(""), new ImapInput.Bad("* BAD Line too long",
                false), new ImapInput.RawLine("AGpvZQ=="));
    }

    @Test
    void pausingHoldsCommandsBackUntilResumed() {
        List<ImapInput> seen = new ArrayList<>();
        start(ImapDecoder.Limits.DEFAULT, (d, in) -> {
            seen.add(in);
            d.setPaused(true);
        });
        send("a1 NOOP\r\na2 LOGIN {3}\r\nabc x\r\n");
        assertThat(seen).hasSize(1);
        assertThat(outbound()).isEmpty(); // a2's literal is not asked for while a1 is being processed
        assertThat(channel.config().isAutoRead()).isFalse();
        decoder.setPaused(false);
        assertThat(seen).hasSize(2);
        assertThat(outbound()).containsExactly("+ Ready for literal data\r\n"); // asked once a2 is decoded
        assertThat(((ImapInput.Command) seen.get(1)).command().command())
                .isEqualTo(new ImapCommand.Login("abc", "x"));
        decoder.setPaused(false);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    // ------------------------------------------------------------------------------------------- deeper cases

    @Test
    void answersServerBugWhenALiteralCannotBeSpooled() throws Exception {
        decoder = new ImapDecoder(ImapDecoder.Limits.DEFAULT, spool.resolve("missing"));
        channel = new EmbeddedChannel(decoder);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {100000}\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("a1 NO [SERVERBUG] Cannot store literal data", false));
        assertThat(outbound()).isEmpty();
        send("a2 APPEND INBOX {100000+}\r\n");
        send(new byte[100_000]);
        assertThat(inputs()).isEmpty();
        send(" {3+}\r\nabc\r\na3 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a2 NO [SERVERBUG] Cannot store literal data", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a3");
    }

    @Test
    void leavesTheLiteralsOfAHandedOverCommandToItsResources() throws Exception {
        start(ImapDecoder.Limits.DEFAULT);
        decoder.authenticated(true);
        send("a1 APPEND INBOX {100000+}\r\n");
        send(new byte[100_000]);
        send("\r\n");
        ParsedCommand parsed = command();
        channel.close();
        assertThat(spoolFiles()).hasSize(1);
        ImapCommand.Append append = (ImapCommand.Append) parsed.command();
        assertThat(content(append.messages().get(0))).hasSize(100_000);
        parsed.resources().close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void decodesUtf8MailboxNamesAndRejectsLiteralSizesThatDoNotFit() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 SELECT \"Entwürfe/日本語\"\r\n");
        assertThat(command().command()).isEqualTo(new ImapCommand.Select("Entwürfe/日本語", false, false, null));
        send("a2 APPEND INBOX {99999999999999999999999}\r\n");
        assertThat(((ImapInput.Bad) single()).response()).startsWith("a2 NO [TOOBIG]");
        assertThat(outbound()).isEmpty();
    }

    @Test
    void answersATooLongLineWithoutAValidTagUntagged() {
        start(SMALL);
        send("(((" + "x".repeat(100) + "\r\n");
        assertThat(single()).isEqualTo(new ImapInput.Bad("* BAD Command line too long", false));
    }

    @Test
    void skipsAnUnknownCommandWithSeveralNonSynchronisingLiterals() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 FOO {4+}\r\nb1 X {5+}\r\nc1 Y\n\r\na2 NOOP\r\n");
        List<ImapInput> all = inputs();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isEqualTo(new ImapInput.Bad("a1 BAD Unknown command", false));
        assertThat(((ImapInput.Command) all.get(1)).command().tag()).isEqualTo("a2");
    }

    @Test
    void ignoresAllInputAfterAClosingBad() {
        start(ImapDecoder.Limits.DEFAULT);
        send("a1 LOGIN {10000+}\r\n");
        assertThat(single().toString()).contains("close=true");
        send("a2 NOOP\r\n");
        decoder.discardBuffered();
        send("a3 NOOP\r\n");
        assertThat(inputs()).isEmpty();
    }

    @Test
    void firesReadCompleteWhenUnpausingDecodesBufferedCommands() {
        int[] readCompletes = {0};
        List<ImapInput> seen = new ArrayList<>();
        decoder = new ImapDecoder(ImapDecoder.Limits.DEFAULT, spool);
        channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add((ImapInput) msg);
                decoder.setPaused(true);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                readCompletes[0]++;
            }
        });
        send("a1 NOOP\r\na2 NOOP\r\na3 NOOP\r\n");
        assertThat(seen).hasSize(1);
        int before = readCompletes[0];
        decoder.setPaused(false);
        assertThat(seen).hasSize(2);
        assertThat(readCompletes[0]).isEqualTo(before + 1);
        decoder.setPaused(false);
        assertThat(seen).hasSize(3);
        decoder.setPaused(false);
        assertThat(readCompletes[0]).isEqualTo(before + 2); // nothing left to decode: no extra event
        assertThat(decoder.pendingBytes()).isZero();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
