package dev.mailcore.imap.internal.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.mailcore.imap.internal.message.Mail.crlf;
import static dev.mailcore.imap.internal.message.Mail.parse;
import static org.assertj.core.api.Assertions.assertThat;

class StructureTest {

    private static final String PLAIN_DEFAULT = "\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\"";

    @Test
    void writesEnvelopeOfASimpleMessageAsRfc9051Says() {
        byte[] raw = crlf(
                "From: Joe Q. Public <john.q.public@example.com>",
                "To: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
                "Cc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
                "Date: Tue, 1 Jul 2003 10:52:37 +0200",
                "Subject: Hello",
                "Message-ID: <5678.21-Nov-1997@example.com>",
                "",
                "Hi everyone.");
        ParsedMessage m = parse(raw);
        String joe = "((\"Joe Q. Public\" NIL \"john.q.public\" \"example.com\"))";
        assertThat(m.envelope()).isEqualTo("(\"Tue, 1 Jul 2003 10:52:37 +0200\" \"Hello\" " + joe + " " + joe + " "
                + joe + " ((\"Mary Smith\" NIL \"mary\" \"x.test\")(NIL NIL \"jdoe\" \"example.org\")"
                + "(\"Who?\" NIL \"one\" \"y.test\")) ((NIL NIL \"boss\" \"nil.test\")"
                + "(\"Giant; \\\"Big\\\" Box\" NIL \"sysservices\" \"example.net\")) NIL NIL"
                + " \"<5678.21-Nov-1997@example.com>\")");
        assertThat(m.bodyStructure(true)).isEqualTo("(" + PLAIN_DEFAULT + " 14 1 NIL NIL NIL NIL)");
        assertThat(m.bodyStructure(false)).isEqualTo("(" + PLAIN_DEFAULT + " 14 1)");
        assertThat(m.size()).isEqualTo(raw.length);
    }

    @Test
    void takesSenderAndReplyToWhenPresentAndLeavesEncodedWordsEncoded() {
        ParsedMessage m = parse(crlf(
                "From: =?utf-8?q?J=C3=B6rg?= <j@x.test>",
                "Sender: s@x.test",
                "Reply-To: r@x.test",
                "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=",
                "In-Reply-To: <a@b>",
                "Bcc: hidden@x.test",
                "",
                "x"));
        assertThat(m.envelope()).isEqualTo("(NIL \"=?utf-8?q?Gr=C3=BC=C3=9Fe?=\""
                + " ((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"x.test\")) ((NIL NIL \"s\" \"x.test\"))"
                + " ((NIL NIL \"r\" \"x.test\")) NIL NIL ((NIL NIL \"hidden\" \"x.test\")) \"<a@b>\" NIL)");
    }

    @Test
    void writesGroupSyntaxWithStartAndEndMarkers() {
        ParsedMessage m = parse(crlf(
                "From: a@b.c",
                "To: undisclosed-recipients:;",
                "Cc: Team: x@y.z, \"Doe, J\" <j@d.e>;, last@l.test",
                "",
                ""));
        assertThat(m.envelope()).contains(" ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"
                + " ((NIL NIL \"Team\" NIL)(NIL NIL \"x\" \"y.z\")(\"Doe, J\" NIL \"j\" \"d.e\")(NIL NIL NIL NIL)"
                + "(NIL NIL \"last\" \"l.test\")) NIL NIL NIL)");
    }

    @Test
    void takesCommentsAsNamesAndKeepsSourceRoutes() {
        ParsedMessage m = parse(crlf(
                "From: alice@example.org (Alice Example)",
                "To: <@relay1.test,@relay2.test:bob@example.net>, Name <@only.test>",
                "",
                ""));
        assertThat(m.envelope()).isEqualTo("(NIL NIL ((\"Alice Example\" NIL \"alice\" \"example.org\"))"
                + " ((\"Alice Example\" NIL \"alice\" \"example.org\"))"
                + " ((\"Alice Example\" NIL \"alice\" \"example.org\"))"
                + " ((NIL \"@relay1.test,@relay2.test\" \"bob\" \"example.net\")"
                + "(\"Name\" NIL \"MISSING_MAILBOX\" \"only.test\")) NIL NIL NIL NIL)");
    }

    @Test
    void writesNilForEveryMissingEnvelopeField() {
        ParsedMessage m = parse(crlf("Subject: only this", "", "body"));
        assertThat(m.envelope()).isEqualTo("(NIL \"only this\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    }

    @Test
    void unfoldsFoldedHeadersInTheEnvelope() {
        ParsedMessage m = parse(crlf("Subject: a long", "\tsubject", "To: x@y.z,", " w@v.u", "", ""));
        assertThat(m.envelope()).isEqualTo("(NIL \"a long\tsubject\" NIL NIL NIL"
                + " ((NIL NIL \"x\" \"y.z\")(NIL NIL \"w\" \"v.u\")) NIL NIL NIL NIL)");
    }

    @Test
    void writesEightBitHeadersAsUtf8Literals() {
        ParsedMessage m = parse(crlf("Subject: Grüße", "", ""));
        assertThat(m.envelope()).isEqualTo("(NIL {7}\r\nGrüße NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(m.headerValues("subject")).containsExactly("Grüße");
    }

    @Test
    void describesMultipartAlternative() {
        ParsedMessage m = parse(crlf(
                "From: a@b.c",
                "Subject: alt",
                "MIME-Version: 1.0",
                "Content-Type: multipart/alternative; boundary=\"XX\"",
                "",
                "--XX",
                "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "caf=C3=A9",
                "--XX",
                "Content-Type: text/html; charset=\"UTF-8\"",
                "",
                "<p>caf&eacute;</p>",
                "--XX--"));
        assertThat(m.bodyStructure(true)).isEqualTo(
                "((\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"quoted-printable\" 9 0 NIL NIL NIL NIL)"
                        + "(\"text\" \"html\" (\"charset\" \"UTF-8\") NIL NIL \"7bit\" 18 0 NIL NIL NIL NIL)"
                        + " \"alternative\" (\"boundary\" \"XX\") NIL NIL NIL)");
        assertThat(m.bodyStructure(false)).isEqualTo(
                "((\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"quoted-printable\" 9 0)"
                        + "(\"text\" \"html\" (\"charset\" \"UTF-8\") NIL NIL \"7bit\" 18 0) \"alternative\")");
    }

    @Test
    void describesMixedWithAttachmentAndAllExtensionData() {
        ParsedMessage m = parse(crlf(
                "Content-Type: multipart/mixed; boundary=frontier",
                "Content-Language: en, de",
                "Content-Location: http://x/y",
                "",
                "preamble",
                "--frontier",
                "Content-Type: text/plain",
                "",
                "body text",
                "--frontier",
                "Content-Type: application/octet-stream; name=\"data.bin\"",
                "Content-ID: <part2@x>",
                "Content-Description: some data",
                "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==",
                "Content-Disposition: attachment; filename=\"data.bin\"; size=3",
                "Content-Transfer-Encoding: base64",
                "Content-Language: fr",
                "",
                "AQID",
                "--frontier--",
                "epilogue"));
        assertThat(m.bodyStructure(true)).isEqualTo("((" + PLAIN_DEFAULT + " 9 0 NIL NIL NIL NIL)"
                + "(\"application\" \"octet-stream\" (\"name\" \"data.bin\") \"<part2@x>\" \"some data\" \"base64\" 4"
                + " \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"attachment\" (\"filename\" \"data.bin\" \"size\" \"3\")) (\"fr\") NIL)"
                + " \"mixed\" (\"boundary\" \"frontier\") NIL (\"en\" \"de\") \"http://x/y\")");
        assertThat(m.bodyStructure(false)).isEqualTo("((" + PLAIN_DEFAULT + " 9 0)"
                + "(\"application\" \"octet-stream\" (\"name\" \"data.bin\") \"<part2@x>\" \"some data\" \"base64\" 4)"
                + " \"mixed\")");
    }

    static byte[] nested() {
        return crlf(
                "Subject: outer",
                "Content-Type: multipart/mixed; boundary=\"o\"",
                "",
                "--o",
                "Content-Type: text/plain",
                "",
                "see attached",
                "--o",
                "Content-Type: message/rfc822",
                "",
                "From: Inner <in@x.test>",
                "Subject: inner",
                "Content-Type: multipart/alternative; boundary=\"i\"",
                "",
                "--i",
                "Content-Type: text/plain",
                "",
                "plain",
                "--i",
                "Content-Type: text/html",
                "",
                "<b>html</b>",
                "--i--",
                "",
                "--o--");
    }

    @Test
    void describesAnEncapsulatedMessageWithItsEnvelopeAndStructure() {
        ParsedMessage m = parse(nested());
        String inner = "((\"Inner\" NIL \"in\" \"x.test\"))";
        assertThat(m.bodyStructure(true)).isEqualTo("((" + PLAIN_DEFAULT + " 12 0 NIL NIL NIL NIL)"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 186 (NIL \"inner\" " + inner + " " + inner + " " + inner
                + " NIL NIL NIL NIL NIL) ((" + PLAIN_DEFAULT + " 5 0 NIL NIL NIL NIL)"
                + "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL)"
                + " \"alternative\" (\"boundary\" \"i\") NIL NIL NIL) 13 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"o\") NIL NIL NIL)");
        assertThat(m.bodyStructure(false)).isEqualTo("((" + PLAIN_DEFAULT + " 12 0)"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 186 (NIL \"inner\" " + inner + " " + inner + " " + inner
                + " NIL NIL NIL NIL NIL) ((" + PLAIN_DEFAULT + " 5 0)"
                + "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0) \"alternative\") 13)"
                + " \"mixed\")");
    }

    @Test
    void decodesRfc2231ContinuationsAndCharsets() {
        ParsedMessage m = parse(crlf(
                "Content-Type: application/x-stuff;",
                " title*0*=us-ascii'en'This%20is%20even%20more%20;",
                " title*1*=%2A%2A%2Afun%2A%2A%2A%20;",
                " title*2=\"isn't it!\"",
                "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf",
                "",
                "data"));
        assertThat(m.bodyStructure(true)).isEqualTo("(\"application\" \"x-stuff\""
                + " (\"title\" \"This is even more ***fun*** isn't it!\") NIL NIL \"7bit\" 6 NIL"
                + " (\"attachment\" (\"filename\" {13}\r\n€ rates.pdf)) NIL NIL)");
    }

    @Test
    void appliesRfc2045DefaultsAndAddsACharsetToTextParts() {
        ParsedMessage m = parse(crlf("Content-Type: text/html; format=flowed", "", "<p>"));
        assertThat(m.bodyStructure(false)).isEqualTo(
                "(\"text\" \"html\" (\"format\" \"flowed\" \"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 1)");
        ParsedMessage image = parse(crlf("Content-Type: image", "", "x"));
        assertThat(image.bodyStructure(false)).isEqualTo("(\"image\" \"unknown\" NIL NIL NIL \"7bit\" 3)");
    }

    @Test
    void treatsMultipartDigestPartsAsMessages() {
        ParsedMessage m = parse(crlf(
                "Content-Type: multipart/digest; boundary=d",
                "",
                "--d",
                "",
                "Subject: one",
                "",
                "first",
                "--d--"));
        assertThat(m.bodyStructure(false)).isEqualTo("((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 21"
                + " (NIL \"one\" NIL NIL NIL NIL NIL NIL NIL NIL) (" + PLAIN_DEFAULT + " 5 0) 2) \"digest\")");
    }

    // ---- malformed input: never throws, gives a sensible structure ----

    @Test
    void survivesAMissingClosingBoundary() {
        ParsedMessage m = parse(crlf(
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "",
                "one",
                "--b",
                "",
                "two",
                "runs to the end"));
        assertThat(m.bodyStructure(false)).isEqualTo("((" + PLAIN_DEFAULT + " 3 0)(" + PLAIN_DEFAULT + " 22 2)"
                + " \"mixed\")");
    }

    @Test
    void writesAnEmptyPartForAMultipartWhoseBoundaryNeverComes() {
        ParsedMessage m = parse(crlf("Content-Type: multipart/mixed; boundary=zz", "", "just text"));
        assertThat(m.bodyStructure(true)).isEqualTo("((" + PLAIN_DEFAULT + " 0 0) \"mixed\" (\"boundary\" \"zz\")"
                + " NIL NIL NIL)");
        ParsedMessage noBoundary = parse(crlf("Content-Type: multipart/mixed", "", "just text"));
        assertThat(noBoundary.bodyStructure(false)).isEqualTo("((" + PLAIN_DEFAULT + " 0 0) \"mixed\")");
    }

    @Test
    void endsAnInnerMultipartAtAnOuterBoundary() {
        ParsedMessage m = parse(crlf(
                "Content-Type: multipart/mixed; boundary=outer",
                "",
                "--outer",
                "Content-Type: multipart/alternative; boundary=inner",
                "",
                "--inner",
                "",
                "a",
                "--outer",
                "",
                "b",
                "--outer--"));
        assertThat(m.bodyStructure(false)).isEqualTo("(((" + PLAIN_DEFAULT + " 1 0) \"alternative\")("
                + PLAIN_DEFAULT + " 1 0) \"mixed\")");
    }

    @Test
    void handlesBareLineFeeds() {
        byte[] raw = "Subject: lf\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nline1\nline2\n--b--\n"
                .getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = parse(raw);
        assertThat(m.bodyStructure(false)).isEqualTo("((" + PLAIN_DEFAULT + " 11 1) \"mixed\")");
        assertThat(m.envelope()).startsWith("(NIL \"lf\" ");
        assertThat(Mail.text(raw, m.section(Mail.body(1)))).isEqualTo("line1\nline2");
    }

    @Test
    void readsAHeaderWithoutBlankLineOrFinalLineBreak() {
        ParsedMessage m = parse("Subject: x\r\nFrom: a@b.c");
        assertThat(m.envelope()).isEqualTo("(NIL \"x\" ((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" \"b.c\"))"
                + " ((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL)");
        assertThat(m.bodyStructure(false)).isEqualTo("(" + PLAIN_DEFAULT + " 0 0)");
    }

    @Test
    void readsAnEmptyMessage() {
        ParsedMessage m = parse(new byte[0]);
        assertThat(m.size()).isZero();
        assertThat(m.envelope()).isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(m.bodyStructure(true)).isEqualTo("(" + PLAIN_DEFAULT + " 0 0 NIL NIL NIL NIL)");
    }

    @Test
    void ignoresBrokenHeaderLinesAndBrokenAddresses() {
        ParsedMessage m = parse(crlf(
                "this line has no colon",
                " : neither a field",
                "From: <<>>, @@, \"unterminated",
                "To: plainuser",
                "Content-Type: ;;; = ;",
                "",
                "body"));
        assertThat(m.bodyStructure(false)).isEqualTo("(" + PLAIN_DEFAULT + " 6 1)");
        assertThat(m.envelope()).contains("((NIL NIL \"plainuser\" \"MISSING_DOMAIN\"))");
    }

    @Test
    void survivesTruncationInsideAnEncapsulatedMessage() {
        ParsedMessage m = parse(crlf(
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "Content-Type: message/rfc822",
                "",
                "Subject: cut"));
        assertThat(m.bodyStructure(false)).isEqualTo("((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 14"
                + " (NIL \"cut\" NIL NIL NIL NIL NIL NIL NIL NIL) (" + PLAIN_DEFAULT + " 0 0) 1) \"mixed\")");
    }

    @Test
    void survivesAbsurdNesting() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            b.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                    .append("\r\n");
        }
        b.append("\r\nleaf\r\n");
        for (int i = 0; i < 500; i++) {
            b.append("Content-Type: message/rfc822\r\n\r\n");
        }
        ParsedMessage m = parse(b.toString());
        assertThat(m.bodyStructure(true)).startsWith("((((");
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            chain.append("Content-Type: message/rfc822\r\n\r\n");
        }
        assertThat(parse(chain.toString()).bodyStructure(false)).startsWith("(\"message\" \"rfc822\"");
    }

    @Test
    void dropsNulCharactersFromEnvelopeStrings() {
        ParsedMessage m = parse(crlf("Subject: a\u0000b", "", ""));
        assertThat(m.envelope()).isEqualTo("(NIL \"ab\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    }
}
