package dev.mailcore.imap.internal.message;

import dev.mailcore.imap.internal.command.Section;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.mailcore.imap.internal.message.Mail.body;
import static dev.mailcore.imap.internal.message.Mail.crlf;
import static dev.mailcore.imap.internal.message.Mail.fields;
import static dev.mailcore.imap.internal.message.Mail.parse;
import static dev.mailcore.imap.internal.message.Mail.path;
import static dev.mailcore.imap.internal.message.Mail.section;
import static dev.mailcore.imap.internal.message.Mail.source;
import static dev.mailcore.imap.internal.message.Mail.text;
import static org.assertj.core.api.Assertions.assertThat;

class SectionTest {

    private static final byte[] SIMPLE = crlf(
            "From: a@b.c",
            "Subject: hello",
            "X-Folded: one",
            " two",
            "subject: again",
            "",
            "line 1",
            "line 2");

    @Test
    void givesTheWholeMessageTheHeaderAndTheText() {
        ParsedMessage m = parse(SIMPLE);
        String all = new String(SIMPLE, StandardCharsets.UTF_8);
        assertThat(text(SIMPLE, m.section(Section.WHOLE))).isEqualTo(all);
        assertThat(text(SIMPLE, m.section(section(Section.Text.HEADER))))
                .isEqualTo("From: a@b.c\r\nSubject: hello\r\nX-Folded: one\r\n two\r\nsubject: again\r\n\r\n");
        assertThat(text(SIMPLE, m.section(section(Section.Text.TEXT)))).isEqualTo("line 1\r\nline 2\r\n");
        assertThat(text(SIMPLE, m.section(section(Section.Text.MIME)))).isEqualTo("ABSENT");
    }

    @Test
    void makesPartOneOfASinglePartMessageItsBody() {
        ParsedMessage m = parse(SIMPLE);
        assertThat(text(SIMPLE, m.section(body(1)))).isEqualTo("line 1\r\nline 2\r\n");
        assertThat(text(SIMPLE, m.section(body(2)))).isEqualTo("ABSENT");
        assertThat(text(SIMPLE, m.section(body(1, 1)))).isEqualTo("ABSENT");
        assertThat(text(SIMPLE, m.section(section(Section.Text.HEADER, 1)))).isEqualTo("ABSENT");
    }

    @Test
    void selectsHeaderFieldsByteExactAndCaseInsensitively() {
        ParsedMessage m = parse(SIMPLE);
        assertThat(text(SIMPLE, m.section(fields(false, List.of("SUBJECT", "x-folded")))))
                .isEqualTo("Subject: hello\r\nX-Folded: one\r\n two\r\nsubject: again\r\n\r\n");
        assertThat(text(SIMPLE, m.section(fields(true, List.of("Subject", "X-FOLDED")))))
                .isEqualTo("From: a@b.c\r\n\r\n");
        assertThat(text(SIMPLE, m.section(fields(false, List.of("Nothing"))))).isEqualTo("\r\n");
    }

    @Test
    void findsPartsOfNestedMultipartsAndEncapsulatedMessages() {
        byte[] raw = StructureTest.nested();
        ParsedMessage m = parse(raw);
        assertThat(text(raw, m.section(body(1)))).isEqualTo("see attached");
        assertThat(text(raw, m.section(section(Section.Text.MIME, 1)))).isEqualTo("Content-Type: text/plain\r\n\r\n");
        String inner = "From: Inner <in@x.test>\r\nSubject: inner\r\n"
                + "Content-Type: multipart/alternative; boundary=\"i\"\r\n\r\n";
        String innerBody = "--i\r\nContent-Type: text/plain\r\n\r\nplain\r\n--i\r\nContent-Type: text/html\r\n\r\n"
                + "<b>html</b>\r\n--i--\r\n";
        assertThat(text(raw, m.section(body(2)))).isEqualTo(inner + innerBody);
        assertThat(text(raw, m.section(section(Section.Text.HEADER, 2)))).isEqualTo(inner);
        assertThat(text(raw, m.section(section(Section.Text.TEXT, 2)))).isEqualTo(innerBody);
        assertThat(text(raw, m.section(section(Section.Text.MIME, 2))))
                .isEqualTo("Content-Type: message/rfc822\r\n\r\n");
        assertThat(text(raw, m.section(fields(false, List.of("subject"), 2)))).isEqualTo("Subject: inner\r\n\r\n");
        assertThat(text(raw, m.section(fields(true, List.of("subject", "content-type"), 2))))
                .isEqualTo("From: Inner <in@x.test>\r\n\r\n");
        assertThat(text(raw, m.section(body(2, 1)))).isEqualTo("plain");
        assertThat(text(raw, m.section(body(2, 2)))).isEqualTo("<b>html</b>");
        assertThat(text(raw, m.section(section(Section.Text.MIME, 2, 2)))).isEqualTo("Content-Type: text/html\r\n\r\n");
        assertThat(text(raw, m.section(body(2, 3)))).isEqualTo("ABSENT");
        assertThat(text(raw, m.section(body(3)))).isEqualTo("ABSENT");
        assertThat(text(raw, m.section(body(0)))).isEqualTo("ABSENT");
        assertThat(text(raw, m.section(section(Section.Text.HEADER, 1)))).isEqualTo("ABSENT");
    }

    @Test
    void addressesTheContentOfATopLevelMessageRfc822() {
        byte[] raw = crlf("Content-Type: message/rfc822", "", "Subject: in", "", "text");
        ParsedMessage m = parse(raw);
        assertThat(text(raw, m.section(body(1)))).isEqualTo("Subject: in\r\n\r\ntext\r\n");
        assertThat(text(raw, m.section(section(Section.Text.HEADER, 1)))).isEqualTo("Subject: in\r\n\r\n");
        assertThat(text(raw, m.section(section(Section.Text.TEXT, 1)))).isEqualTo("text\r\n");
        assertThat(text(raw, m.section(body(1, 1)))).isEqualTo("text\r\n");
    }

    @Test
    void decodesBase64AndQuotedPrintableForBinary() {
        byte[] raw = crlf(
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "Content-Transfer-Encoding: base64",
                "",
                "AAEC/w==",
                "--b",
                "Content-Transfer-Encoding: Quoted-Printable",
                "",
                "caf=C3=A9 =",
                "soft",
                "--b",
                "Content-Transfer-Encoding: x-uuencode",
                "",
                "begin",
                "--b",
                "Content-Transfer-Encoding: 8bit",
                "",
                "plain",
                "--b--");
        ParsedMessage m = parse(raw);
        assertThat(Mail.bytes(raw, m.binary(path(1), source(raw)))).containsExactly(0, 1, 2, 0xff);
        assertThat(m.binarySize(path(1), source(raw))).isEqualTo(new SectionData.Size(4));
        assertThat(new String(Mail.bytes(raw, m.binary(path(2), source(raw))), StandardCharsets.UTF_8))
                .isEqualTo("café soft");
        assertThat(m.binarySize(path(2), source(raw))).isEqualTo(new SectionData.Size(10));
        assertThat(m.binary(path(3), source(raw))).isInstanceOf(SectionData.UnknownEncoding.class);
        assertThat(m.binarySize(path(3), source(raw))).isInstanceOf(SectionData.UnknownEncoding.class);
        assertThat(text(raw, m.binary(path(4), source(raw)))).isEqualTo("plain");
        assertThat(m.binarySize(path(4), source(raw))).isEqualTo(new SectionData.Size(5));
        assertThat(m.binary(path(5), source(raw))).isInstanceOf(SectionData.Absent.class);
        assertThat(m.binarySize(List.of(), source(raw))).isEqualTo(new SectionData.Size(raw.length));
    }

    @Test
    void searchesDecodedTextPartsOnly() {
        byte[] raw = crlf(
                "Subject: s",
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "Content-Type: text/plain; charset=iso-8859-1",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Stra=DFe und Gr=FC=DFe",
                "--b",
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                "PHA+SGVsbG8gV29ybGQ8L3A+",
                "--b",
                "Content-Type: application/octet-stream",
                "",
                "secret binary words",
                "--b--");
        ParsedMessage m = parse(raw);
        assertThat(m.bodyContains("GRÜSSE", source(raw))).isFalse();
        assertThat(m.bodyContains("GRÜßE", source(raw))).isTrue();
        assertThat(m.bodyContains("straße", source(raw))).isTrue();
        assertThat(m.bodyContains("hello world", source(raw))).isTrue();
        assertThat(m.bodyContains("secret", source(raw))).isFalse();
        assertThat(m.bodyContains("Subject", source(raw))).isFalse();
        assertThat(m.bodyContains("", source(raw))).isTrue();
    }

    @Test
    void searchesTheHeaderOfAnEncapsulatedMessageAsBodyText() {
        byte[] raw = StructureTest.nested();
        ParsedMessage m = parse(raw);
        assertThat(m.bodyContains("INNER <in@x", source(raw))).isTrue();
        assertThat(m.bodyContains("<b>HTML</b>", source(raw))).isTrue();
        assertThat(m.bodyContains("outer", source(raw))).isFalse();
    }

    @Test
    void decodesAndUnfoldsHeaderValues() {
        byte[] raw = crlf(
                "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus",
                "  Berlin",
                "X-Twice: one",
                "x-twice: two",
                "",
                "");
        ParsedMessage m = parse(raw);
        assertThat(m.headerValues("SUBJECT")).containsExactly("Grüße aus  Berlin");
        assertThat(m.headerValues("x-twice")).containsExactly("one", "two");
        assertThat(m.headerValues("missing")).isEmpty();
        assertThat(m.headerText()).contains("Grüße aus  Berlin").contains("two");
    }
}
