package dev.mailcore.imap.internal.message;

import dev.mailcore.imap.internal.command.Section;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random MIME trees rendered to bytes and parsed back: every part's bytes come back exactly, and BODY describes the
 * tree (types, nesting, sizes, line counts).
 */
class MimeTreePropertyTest {

    sealed interface Node {
    }

    record Leaf(boolean text, List<String> lines, boolean finalBreak) implements Node {
    }

    record Multi(String subtype, List<Node> children) implements Node {
    }

    record Msg(Node body) implements Node {
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void partsAndStructureSurviveARoundTrip(@ForAll("trees") Node tree, @ForAll("eols") String eol,
                                            @ForAll boolean preamble) {
        Renderer r = new Renderer(eol, preamble);
        String structure = r.message(tree, List.of());
        byte[] raw = r.sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = MessageParser.parse(raw);
        assertThat(m.size()).isEqualTo(raw.length);
        assertThat(m.bodyStructure(false)).isEqualTo(structure);
        for (Map.Entry<List<Integer>, String> e : r.expected.entrySet()) {
            SectionData d = m.section(new Section(e.getKey(), null, List.of()));
            assertThat(Mail.text(raw, d)).as("BODY[%s]", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Property(tries = 150)
    void arbitraryBytesNeverFailAndStayInBounds(@ForAll("junk") byte[] raw) {
        ParsedMessage m = MessageParser.parse(raw);
        assertThat(m.envelope()).startsWith("(");
        assertThat(m.bodyStructure(true)).startsWith("(");
        for (List<Integer> p : List.of(List.<Integer>of(), List.of(1), List.of(2), List.of(1, 1), List.of(2, 1))) {
            for (Section.Text t : new Section.Text[] {null, Section.Text.HEADER, Section.Text.TEXT, Section.Text.MIME}) {
                SectionData d = m.section(new Section(p, t, List.of()));
                if (d instanceof SectionData.Range range) {
                    assertThat(range.offset()).isBetween(0L, (long) raw.length);
                    assertThat(range.offset() + range.length()).isBetween(range.offset(), (long) raw.length);
                }
            }
        }
        m.bodyContains("x", Mail.source(raw));
        m.baseSubject();
        m.sentDate();
    }

    @Provide
    Arbitrary<String> eols() {
        return Arbitraries.of("\r\n", "\n");
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<String> pieces = Arbitraries.of("--", "--b", "--b--", "\r\n", "\n", "\r", ":", " ",
                "Content-Type: multipart/mixed; boundary=b", "Content-Type: message/rfc822",
                "Content-Type: multipart/digest; boundary=b", "Subject: x", "=?utf-8?q?a?=", "\u00e9", "\u0000",
                "Content-Transfer-Encoding: base64", "Date: 1 Jan 2020 00:00 +0100", "From: a@b", "(", "\"", "<");
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Node> trees() {
        return node(3);
    }

    private Arbitrary<Node> node(int depth) {
        Arbitrary<String> line = Arbitraries.strings().withChars("abcxyz ABC:=;.0123456789").ofMaxLength(30);
        Arbitrary<Node> leaf = Combinators.combine(Arbitraries.of(true, false), line.list().ofMaxSize(4),
                Arbitraries.of(true, false)).as(Leaf::new);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Node> multi = Combinators.combine(Arbitraries.of("mixed", "alternative", "related"),
                node(depth - 1).list().ofMinSize(1).ofMaxSize(3)).as(Multi::new);
        Arbitrary<Node> msg = node(depth - 1).map(Msg::new);
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, multi), Tuple.of(1, msg));
    }

    /** Renders a tree, remembering each part's expected content and returning the expected BODY structure. */
    static final class Renderer {
        final StringBuilder sb = new StringBuilder();
        final Map<List<Integer>, String> expected = new LinkedHashMap<>();
        private final String eol;
        private final boolean preamble;
        private int boundaries;

        Renderer(String eol, boolean preamble) {
            this.eol = eol;
            this.preamble = preamble;
        }

        /** A message entity whose parts are numbered below {@code p}. */
        String message(Node n, List<Integer> p) {
            sb.append("Subject: s").append(eol);
            contentType(n);
            sb.append(eol);
            if (n instanceof Multi m) {
                return multiBody(m, p);
            }
            List<Integer> q = plus(p, 1);
            int s = sb.length();
            String inner = body(n, q);
            return describe(n, s, inner);
        }

        /** A MIME part at {@code p} inside a multipart. */
        String part(Node n, List<Integer> p) {
            contentType(n);
            sb.append(eol);
            if (n instanceof Multi m) {
                int s = sb.length();
                String st = multiBody(m, p);
                expected.put(p, sb.substring(s));
                return st;
            }
            int s = sb.length();
            String inner = body(n, p);
            return describe(n, s, inner);
        }

        private String describe(Node n, int start, String inner) {
            String content = sb.substring(start);
            int size = content.length();
            long lines = content.chars().filter(c -> c == '\n').count();
            if (n instanceof Leaf l) {
                return l.text()
                        ? "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" " + size + " " + lines + ")"
                        : "(\"application\" \"octet-stream\" NIL NIL NIL \"7bit\" " + size + ")";
            }
            return "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" " + size
                    + " (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) " + inner + " " + lines + ")";
        }

        /** Writes a leaf's content or an encapsulated message at part {@code p}; returns the inner structure. */
        private String body(Node n, List<Integer> p) {
            int s = sb.length();
            String inner = null;
            if (n instanceof Leaf l) {
                sb.append(String.join(eol, l.lines()));
                if (l.finalBreak() && !l.lines().isEmpty()) {
                    sb.append(eol);
                }
            } else {
                inner = message(((Msg) n).body(), p);
            }
            expected.put(p, sb.substring(s));
            return inner;
        }

        private String multiBody(Multi m, List<Integer> p) {
            String b = "bnd" + (boundaries++) + "x";
            if (preamble) {
                sb.append("preamble text").append(eol);
            }
            StringBuilder st = new StringBuilder("(");
            for (int i = 0; i < m.children().size(); i++) {
                sb.append(i == 0 ? "" : eol).append("--").append(b).append(eol);
                st.append(part(m.children().get(i), plus(p, i + 1)));
            }
            sb.append(eol).append("--").append(b).append("--");
            if (preamble) {
                sb.append(eol).append("epilogue");
            }
            return st.append(" \"").append(m.subtype()).append("\")").toString();
        }

        private void contentType(Node n) {
            if (n instanceof Leaf l) {
                sb.append(l.text() ? "Content-Type: text/plain" : "Content-Type: application/octet-stream");
            } else if (n instanceof Multi m) {
                sb.append("Content-Type: multipart/").append(m.subtype()).append("; boundary=\"bnd")
                        .append(boundaries).append("x\"");
            } else {
                sb.append("Content-Type: message/rfc822");
            }
            sb.append(eol);
        }

        private static List<Integer> plus(List<Integer> p, int n) {
            List<Integer> q = new ArrayList<>(p);
            q.add(n);
            return q;
        }
    }
}
