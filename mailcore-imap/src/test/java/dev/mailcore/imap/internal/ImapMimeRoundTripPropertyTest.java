package dev.mailcore.imap.internal;

import dev.mailcore.imap.ImapConfig;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.store.MemoryStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random MIME messages (nested multiparts, encapsulated messages, text and binary leaves in 7bit, 8bit,
 * quoted-printable and base64, random header fields) appended over the wire to a real session: FETCH gives back the
 * exact bytes of the whole message, of every part and of partial ranges, and BODYSTRUCTURE describes the tree that was
 * generated.
 */
class ImapMimeRoundTripPropertyTest {

    sealed interface Node {
    }

    /**
     * A leaf part: {@code body} is its content as it goes on the wire (already transfer-encoded), {@code decoded} what
     * BINARY must give back.
     */
    record Leaf(String type, String subtype, String encoding, boolean declareEncoding, byte[] body, byte[] decoded,
                List<String> headers, Style style) implements Node {
        Leaf(String type, String subtype, String encoding, boolean declareEncoding, byte[] body, List<String> headers,
             Style style) {
            this(type, subtype, encoding, declareEncoding, body, body, headers, style);
        }
    }

    /**
     * How a multipart is written: {@code preamble} adds a preamble and an epilogue, {@code padding} transport padding
     * after the boundary delimiters (RFC 2046 §5.1.1), {@code quoted} a quoted boundary parameter.
     */
    record Multi(String subtype, List<Node> children, List<String> headers, boolean preamble, boolean padding,
                 boolean quoted) implements Node {
    }

    /** How a leaf's header fields are spelled; BARE writes none (a text/plain us-ascii 7bit part by default). */
    enum Style { CANONICAL, LOWER, UPPER, BARE }

    /** A message/rfc822 part; {@code headers} are the encapsulated message's own header fields. */
    record Msg(List<String> headers, Node body, List<String> partHeaders) implements Node {
    }

    /** What BODYSTRUCTURE must say of a part: lines is -1 where BODYSTRUCTURE has none, sizes -1 for multiparts. */
    record Shape(String type, String subtype, String encoding, long size, long lines, List<Shape> children,
                 Shape inner) {
    }

    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
    void appendedMessagesComeBackByteForByteAndPartByPart(@ForAll("messages") List<Node> trees,
                                                          @ForAll @IntRange(max = 4000) int partialOffset,
                                                          @ForAll @IntRange(max = 4000) int partialLength) {
        ImapConfig config = ImapConfig.builder().store(MemoryStore.builder().build())
                .authProvider(ImapTestSupport.USERS).executor(Runnable::run).build();
        ImapTester imap = ImapTester.connect(new ImapProtocol(config));
        assertThat(imap.nextLine()).startsWith("* OK ");
        imap.login();
        List<Renderer> rendered = new ArrayList<>();
        for (Node tree : trees) {
            Renderer r = new Renderer();
            r.message(tree);
            byte[] raw = r.out.toByteArray();
            rendered.add(r);
            imap.send("t_a APPEND INBOX {" + raw.length + "+}");
            imap.sendBytes(raw);
            imap.send("");
            List<String> appended = imap.until("t_a ");
            assertThat(appended.get(appended.size() - 1)).startsWith("t_a OK ");
        }
        assertThat(ImapTestSupport.last(imap.run("t_s SELECT INBOX"))).startsWith("t_s OK");

        for (int i = 0; i < rendered.size(); i++) {
            Renderer r = rendered.get(i);
            byte[] raw = r.out.toByteArray();
            int msn = i + 1;

            Map<String, Object> meta = fetch(imap, msn, "(BODYSTRUCTURE RFC822.SIZE BODY.PEEK[])");
            assertThat(meta.get("RFC822.SIZE")).isEqualTo(Integer.toString(raw.length));
            assertThat(meta.get("BODY[]")).as("BODY[]").isEqualTo(raw);
            assertThat(shapeOf(meta.get("BODYSTRUCTURE"))).as("BODYSTRUCTURE %s", meta.get("BODYSTRUCTURE"))
                    .isEqualTo(r.shape);

            StringBuilder items = new StringBuilder();
            for (String section : r.sections.keySet()) {
                items.append(items.length() == 0 ? "(" : " ").append("BODY.PEEK[").append(section).append("]");
            }
            Map<String, Object> parts = fetch(imap, msn, items.append(")").toString());
            for (Map.Entry<String, byte[]> e : r.sections.entrySet()) {
                assertThat(parts.get("BODY[" + e.getKey() + "]")).as("BODY[%s] of %s", e.getKey(), text(raw))
                        .isEqualTo(e.getValue());
            }

            StringBuilder binaryItems = new StringBuilder();
            for (String part : r.binary.keySet()) {
                binaryItems.append(binaryItems.length() == 0 ? "(" : " ").append("BINARY.PEEK[").append(part)
                        .append("]");
            }
            Map<String, Object> decoded = fetch(imap, msn, binaryItems.append(")").toString());
            for (Map.Entry<String, byte[]> e : r.binary.entrySet()) {
                assertThat(decoded.get("BINARY[" + e.getKey() + "]")).as("BINARY[%s] of %s", e.getKey(), text(raw))
                        .isEqualTo(e.getValue());
            }

            int from = Math.min(partialOffset, raw.length + 10);
            Map<String, Object> partial = fetch(imap, msn, "BODY.PEEK[]<" + from + "." + partialLength + ">");
            int start = Math.min(from, raw.length);
            int end = (int) Math.min((long) start + partialLength, raw.length);
            assertThat(partial.get("BODY[]<" + from + ">")).as("BODY[]<%s.%s>", from, partialLength)
                    .isEqualTo(Arrays.copyOfRange(raw, start, end));

            String lastPart = null;
            for (String section : r.sections.keySet()) {
                if (!section.isEmpty() && Character.isDigit(section.charAt(section.length() - 1))) {
                    lastPart = section;
                }
            }
            if (lastPart != null) {
                byte[] whole = r.sections.get(lastPart);
                int pFrom = Math.min(partialOffset % (whole.length + 2), whole.length + 1);
                int pLength = partialLength % (whole.length + 3);
                Map<String, Object> p = fetch(imap, msn, "BODY.PEEK[" + lastPart + "]<" + pFrom + "." + pLength + ">");
                int ps = Math.min(pFrom, whole.length);
                int pe = Math.min(ps + pLength, whole.length);
                assertThat(p.get("BODY[" + lastPart + "]<" + pFrom + ">")).as("BODY[%s]<%s.%s>", lastPart, pFrom, pLength)
                        .isEqualTo(Arrays.copyOfRange(whole, ps, pe));
            }
        }
        assertThat(ImapTestSupport.last(imap.run("t_z LOGOUT"))).startsWith("t_z OK");
    }

    private static Map<String, Object> fetch(ImapTester imap, int msn, String items) {
        imap.send("t_f FETCH " + msn + " " + items);
        byte[] response = imap.untilBytes("t_f ");
        String tail = text(response);
        assertThat(tail.substring(tail.lastIndexOf("t_f "))).as("FETCH %s", items).startsWith("t_f OK");
        return ImapResponseReader.fetchItems(response);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The shape BODYSTRUCTURE gives, read back from the parsed response. */
    private static Shape shapeOf(Object value) {
        List<?> l = (List<?>) value;
        if (l.get(0) instanceof List) {
            List<Shape> children = new ArrayList<>();
            int i = 0;
            while (l.get(i) instanceof List) {
                children.add(shapeOf(l.get(i)));
                i++;
            }
            return new Shape("multipart", str(l.get(i)), null, -1, -1, children, null);
        }
        String type = str(l.get(0));
        String subtype = str(l.get(1));
        long size = Long.parseLong((String) l.get(6));
        if (type.equals("text")) {
            return new Shape(type, subtype, str(l.get(5)), size, Long.parseLong((String) l.get(7)), List.of(), null);
        }
        if (type.equals("message") && subtype.equals("rfc822")) {
            return new Shape(type, subtype, str(l.get(5)), size, Long.parseLong((String) l.get(9)), List.of(),
                    shapeOf(l.get(8)));
        }
        return new Shape(type, subtype, str(l.get(5)), size, -1, List.of(), null);
    }

    private static String str(Object o) {
        String s = o instanceof ImapResponseReader.Quoted q ? q.value() : (String) o;
        return s.toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ generators

    /** No '_' anywhere in content or headers: it appears only in boundaries and tags. */
    private static final String TEXT_CHARS = "abcxyzABCXYZ0123456789 .,;:!?'\"()<>@-=+/\\*";

    @Provide
    Arbitrary<List<Node>> messages() {
        return node(3).list().ofMinSize(1).ofMaxSize(2);
    }

    private Arbitrary<Node> node(int depth) {
        Arbitrary<Node> leaf = leaf();
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Node> multi = Combinators.combine(Arbitraries.of("mixed", "alternative", "related", "x-custom"),
                node(depth - 1).list().ofMinSize(1).ofMaxSize(3), headers(), flag, flag, flag).as(Multi::new);
        Arbitrary<Node> msg = Combinators.combine(headers(), node(depth - 1), headers()).as(Msg::new);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(3, multi), Tuple.of(1, msg));
    }

    private static Arbitrary<List<String>> headers() {
        Arbitrary<String> name = Arbitraries.of("X-Trace", "Comments", "Keywords", "X-Mailer", "Content-Description",
                "X-Long-Header-Name-For-Testing", "content-language");
        Arbitrary<String> word = Arbitraries.strings().withChars(TEXT_CHARS.replace(" ", "")).ofMinLength(1)
                .ofMaxLength(20);
        Arbitrary<String> value = word.list().ofMinSize(1).ofMaxSize(6)
                .flatMap(words -> Arbitraries.of(" ", "\r\n ", "\r\n\t").list().ofSize(words.size()).map(seps -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < words.size(); i++) {
                        b.append(i == 0 ? " " : seps.get(i)).append(words.get(i));
                    }
                    return b.toString();
                }));
        return Combinators.combine(name, value).as((n, v) -> n + ":" + v).list().ofMaxSize(3);
    }

    private static Arbitrary<Node> leaf() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<List<String>> asciiLines = Arbitraries.strings().withChars(TEXT_CHARS).ofMaxLength(70).list()
                .ofMaxSize(8);
        Arbitrary<Boolean> finalBreak = Arbitraries.of(true, false);

        Arbitrary<Style> style = Arbitraries.of(Style.CANONICAL, Style.LOWER, Style.UPPER);

        Arbitrary<Node> sevenBit = Combinators.combine(Arbitraries.of("plain", "html", "x-random"), asciiLines,
                finalBreak, Arbitraries.of(true, false), headers(), Arbitraries.of(Style.values()))
                .as((sub, lines, brk, declare, hs, st) -> st == Style.BARE
                        ? new Leaf("text", "plain", "7bit", false, lines(lines, brk), List.of(), st)
                        : new Leaf("text", sub, "7bit", declare, lines(lines, brk), hs, st));
        Arbitrary<Node> eightBit = Combinators.combine(bytes, finalBreak, headers(), style).as((b, brk, hs, st) ->
                new Leaf("text", "plain", "8bit", true, eightBitLines(b, brk), hs, st));
        Arbitrary<Node> quoted = Combinators.combine(Arbitraries.of("text", "application"), bytes, finalBreak,
                headers(), style).as((type, b, brk, hs, st) -> new Leaf(type, type.equals("text") ? "plain"
                : "x-data", "quoted-printable", true, quotedPrintable(b, brk), withBreak(b, brk), hs, st));
        Arbitrary<Node> base64 = Combinators.combine(Arbitraries.of("application/octet-stream", "image/png",
                "text/plain"), bytes, finalBreak, headers(), style).as((t, b, brk, hs, st) -> {
                    String[] ts = t.split("/");
                    return new Leaf(ts[0], ts[1], "base64", true, base64(b, brk), b, hs, st);
                });
        return Arbitraries.oneOf(sevenBit, eightBit, quoted, base64);
    }

    private static byte[] lines(List<String> lines, boolean finalBreak) {
        String s = String.join("\r\n", lines) + (finalBreak && !lines.isEmpty() ? "\r\n" : "");
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Octets 0x80-0xff and letters, in lines; no NUL, CR or LF inside a line. */
    private static byte[] eightBitLines(byte[] random, boolean finalBreak) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < random.length; i++) {
            int b = random[i] & 0xff;
            if (i > 0 && b % 37 == 0) {
                out.writeBytes(new byte[] {'\r', '\n'});
            } else {
                out.write(b >= 0x80 ? b : 'a' + b % 26);
            }
        }
        if (finalBreak && random.length > 0) {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    /** The octets, then CRLF when {@code finalBreak} (a quoted-printable hard line break). */
    private static byte[] withBreak(byte[] data, boolean finalBreak) {
        byte[] out = Arrays.copyOf(data, data.length + (finalBreak ? 2 : 0));
        if (finalBreak) {
            out[data.length] = '\r';
            out[data.length + 1] = '\n';
        }
        return out;
    }

    private static byte[] quotedPrintable(byte[] data, boolean finalBreak) {
        StringBuilder b = new StringBuilder();
        int lineLength = 0;
        for (byte value : data) {
            int c = value & 0xff;
            String enc = c >= 33 && c <= 126 && c != '=' && c != '_' ? String.valueOf((char) c)
                    : String.format("=%02X", c);
            if (lineLength + enc.length() > 75) {
                b.append("=\r\n");
                lineLength = 0;
            }
            b.append(enc);
            lineLength += enc.length();
        }
        if (finalBreak) {
            b.append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] base64(byte[] data, boolean finalBreak) {
        String s = Base64.getMimeEncoder().encodeToString(data);
        return (s + (finalBreak && !s.isEmpty() ? "\r\n" : "")).getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ rendering

    /**
     * Renders a tree as a message, remembering the exact bytes each section must fetch ({@code "1.2"}, {@code
     * "1.2.MIME"}, {@code "3.HEADER"}…) and the shape BODYSTRUCTURE must describe.
     */
    static final class Renderer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Map<String, byte[]> sections = new LinkedHashMap<>();
        /** The decoded content of each leaf, by part number. */
        final Map<String, byte[]> binary = new LinkedHashMap<>();
        Shape shape;
        private int boundaries;

        void message(Node root) {
            write("From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: a generated message\r\n"
                    + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n");
            shape = entity(root, "", 0, true);
        }

        /**
         * Writes the MIME header fields of {@code n} (the caller wrote any others since {@code headerStart}), a blank
         * line and its body. When {@code message}, the entity is a message whose sections are prefixed with {@code p}
         * ("" at the top level); otherwise it is the part numbered {@code p} of a multipart. Returns its shape.
         */
        private Shape entity(Node n, String p, int headerStart, boolean message) {
            String boundary = null;
            if (n instanceof Leaf l && l.style() != Style.BARE) {
                headers(l.headers());
                write(spell(l.style(), "Content-Type: " + l.type() + "/" + l.subtype())
                        + (l.type().equals("text") ? "; charset=" + (l.encoding().equals("8bit") ? "iso-8859-1"
                        : "us-ascii") : "; name=\"data.bin\"") + "\r\n");
                if (l.declareEncoding()) {
                    write(spell(l.style(), "Content-Transfer-Encoding: " + l.encoding()) + "\r\n");
                }
            } else if (n instanceof Multi m) {
                boundary = (m.quoted() ? "=_b" : "b") + (boundaries++) + "_x";
                write("Content-Type: multipart/" + m.subtype() + ";\r\n\tboundary="
                        + (m.quoted() ? "\"" + boundary + "\"" : boundary) + "\r\n");
                headers(m.headers());
            } else if (n instanceof Msg) {
                headers(((Msg) n).partHeaders());
                write("Content-Type: message/rfc822\r\n");
            }
            write("\r\n");
            int bodyStart = size();
            sections.put(message ? join(p, "HEADER") : p + ".MIME", range(headerStart, bodyStart));
            Shape result;
            if (n instanceof Leaf l) {
                out.writeBytes(l.body());
                long lines = l.type().equals("text") ? count(l.body()) : -1;
                result = new Shape(l.type(), l.subtype(), l.encoding(), l.body().length, lines, List.of(), null);
                sections.put(message ? join(p, "1") : p, range(bodyStart, size()));
                binary.put(message ? join(p, "1") : p, l.decoded());
            } else if (n instanceof Multi m) {
                if (m.preamble()) {
                    write("This is a preamble.\r\n");
                }
                List<Shape> children = new ArrayList<>();
                String padding = m.padding() ? " \t " : "";
                for (int i = 0; i < m.children().size(); i++) {
                    write((i == 0 ? "" : "\r\n") + "--" + boundary + padding + "\r\n");
                    children.add(entity(m.children().get(i), join(p, Integer.toString(i + 1)), size(), false));
                }
                write("\r\n--" + boundary + "--" + padding + (m.preamble() ? "\r\nAn epilogue.\r\n" : ""));
                if (!message) {
                    sections.put(p, range(bodyStart, size()));
                }
                result = new Shape("multipart", m.subtype(), null, -1, -1, children, null);
            } else {
                Msg msg = (Msg) n;
                String q = message ? join(p, "1") : p;
                write("Subject: inner\r\n");
                headers(msg.headers());
                Shape inner = entity(msg.body(), q, bodyStart, true);
                byte[] whole = range(bodyStart, size());
                sections.put(q, whole);
                result = new Shape("message", "rfc822", "7bit", whole.length, count(whole), List.of(), inner);
            }
            if (message) {
                sections.put(join(p, "TEXT"), range(bodyStart, size()));
            }
            return result;
        }

        private static String spell(Style style, String field) {
            return switch (style) {
                case LOWER -> field.toLowerCase(Locale.ROOT);
                case UPPER -> field.toUpperCase(Locale.ROOT);
                default -> field;
            };
        }

        private void headers(List<String> fields) {
            for (String f : fields) {
                write(f + "\r\n");
            }
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }

        private int size() {
            return out.size();
        }

        private byte[] range(int from, int to) {
            return Arrays.copyOfRange(out.toByteArray(), from, to);
        }

        private static String join(String p, String n) {
            return p.isEmpty() ? n : p + "." + n;
        }

        private static long count(byte[] b) {
            long n = 0;
            for (byte x : b) {
                if (x == '\n') {
                    n++;
                }
            }
            return n;
        }
    }
}
