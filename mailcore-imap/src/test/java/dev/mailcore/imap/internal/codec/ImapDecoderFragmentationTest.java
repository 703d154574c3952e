package dev.mailcore.imap.internal.codec;

import dev.mailcore.imap.internal.command.ImapCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the fragmentation of the input, the decoder emits the same inputs and the same continuations. */
class ImapDecoderFragmentationTest {

    private static final ImapDecoder.Limits LIMITS = new ImapDecoder.Limits(200, 1 << 20, 1 << 20, false);

    /** Pipelined commands: synchronising and not, literal8, spooled literals, errors, a too-long line. */
    private static final List<String> POOL = List.of(
            "a1 NOOP\r\n",
            "a2 LOGIN {3}\r\njoe {6+}\r\nsecret\r\n",
            "a3 APPEND INBOX (\\Seen) \"25-Nov-2026 10:00:00 +0100\" {12}\r\nline\r\n{3}\r\nx\r\n\r\n",
            "a4 APPEND Drafts ~{5+}\r\n\u0000\u0001\r\n\n {2}\r\nab\r\n",
            "a5 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (From {7}\r\nSubject)]<0.10>)\r\n",
            "a6 SEARCH CHARSET UTF-8 OR SUBJECT {4+}\r\ncafé FROM x\n",
            "a7 FETCH x FLAGS\r\n",
            "a8 " + "N".repeat(300) + " {4+}\r\nskip\r\n",
            "a9 STORE 1 +FLAGS \\Deleted\r\n",
            "b1 LOGIN \"a\\\"b\" {0}\r\n\r\n",
            "b2 APPEND INBOX {3000+}\r\n" + "0123456789".repeat(300) + " {2000}\r\n" + "x".repeat(2000) + "\r\n",
            "b3 FROB {2+}\r\nzz\r\n",
            "\r\n");

    @Property(tries = 400)
    void anySplitOfAStreamGivesTheSameCommands(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 12) Integer> picks,
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 100_000) Integer> cuts) throws IOException {
        StringBuilder stream = new StringBuilder();
        for (int p : picks) {
            stream.append(POOL.get(p));
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        Result whole = feed(List.of(bytes));
        TreeSet<Integer> at = new TreeSet<>();
        for (int c : cuts) {
            if (bytes.length > 0) {
                at.add(c % bytes.length);
            }
        }
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int c : at) {
            pieces.add(Arrays.copyOfRange(bytes, from, c));
            from = c;
        }
        pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
        assertThat(feed(pieces)).isEqualTo(whole);
        assertThat(whole.inputs()).hasSize((int) picks.stream().filter(p -> p != 12).count());
    }

    @Example
    void byteByByteGivesTheSameCommandsAsAllAtOnce() throws IOException {
        byte[] bytes = String.join("", POOL).getBytes(StandardCharsets.UTF_8);
        Result whole = feed(List.of(bytes));
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[]{b});
        }
        assertThat(feed(single)).isEqualTo(whole);
        assertThat(whole.inputs()).hasSize(POOL.size() - 1);
        assertThat(whole.continuations()).isEqualTo(6); // a2, a3, a4, a5, b1, b2
        assertThat(whole.inputs().get(6)).isEqualTo("Bad[response=a7 BAD Error in IMAP command FETCH: Invalid "
                + "sequence set, close=false]");
        assertThat(whole.inputs().get(7)).isEqualTo("Bad[response=a8 BAD Command line too long, close=false]");
        assertThat(whole.inputs().get(10)).startsWith("b2 APPEND INBOX [] null 3000:0123456789")
                .contains(" [] null 2000 spooled:xxxx");
        assertThat(whole.inputs().get(11)).isEqualTo("Bad[response=b3 BAD Unknown command, close=false]");
    }

    record Result(List<String> inputs, int continuations) {
    }

    private static Result feed(List<byte[]> pieces) throws IOException {
        Path spool = Files.createTempDirectory("imapcodec-prop");
        try {
            ImapDecoder decoder = new ImapDecoder(LIMITS, spool, 4096); // b2's second literal is spooled
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            List<String> inputs = new ArrayList<>();
            int continuations = 0;
            for (byte[] piece : pieces) {
                channel.writeInbound(Unpooled.wrappedBuffer(piece));
                ImapInput in;
                while ((in = channel.readInbound()) != null) {
                    inputs.add(describe(in));
                }
                ByteBuf out;
                while ((out = channel.readOutbound()) != null) {
                    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(ImapDecoder.CONTINUATION);
                    continuations++;
                    out.release();
                }
            }
            channel.finishAndReleaseAll();
            return new Result(inputs, continuations);
        } finally {
            try (Stream<Path> files = Files.list(spool)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(spool);
        }
    }

    private static String describe(ImapInput in) {
        if (!(in instanceof ImapInput.Command c)) {
            return in.toString();
        }
        try (AutoCloseable ignored = c.command().resources()) {
            if (c.command().command() instanceof ImapCommand.Append a) {
                StringBuilder b = new StringBuilder(c.command().tag()).append(" APPEND ").append(a.mailbox());
                for (ImapCommand.AppendMessage m : a.messages()) {
                    try (InputStream s = m.content().openStream()) {
                        b.append(' ').append(m.flags()).append(' ').append(m.internalDate()).append(' ')
                                .append(m.content().size())
                                .append(((Literal) m.content()).spooled() ? " spooled:" : ":")
                                .append(new String(s.readAllBytes(), StandardCharsets.ISO_8859_1));
                    }
                }
                return b.toString();
            }
            return c.command().tag() + " " + c.command().command();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
