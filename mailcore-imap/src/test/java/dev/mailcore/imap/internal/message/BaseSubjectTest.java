package dev.mailcore.imap.internal.message;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BaseSubjectTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "hello|hello|false",
        "Re: hello|hello|true",
        "RE: Re: re: hello|hello|true",
        "Fwd: hello|hello|true",
        "FW: hello|hello|true",
        "fw:hello|hello|true",
        "Re[2]: hello|hello|true",
        "Re [2]: hello|hello|true",
        "[PATCH] fix it|fix it|false",
        "[PATCH]|[PATCH]|false",
        "[PATCH]  |[PATCH]|false",
        "[list] Re: [other] hello|hello|true",
        "[a][b] hello|hello|false",
        "hello (fwd)|hello|true",
        "hello (fwd) (FWD)  |hello|true",
        "[Fwd: Re: hello]|hello|true",
        "Re: [fwd: [fwd: deep]]|deep|true",
        "'  hello   world  '|hello world|false",
        "'\thello\tworld'|hello world|false",
        "Re:|''|true",
        "''|''|false",
        "re hello|re hello|false",
        "Ref: x|Ref: x|false",
        "Reply: x|Reply: x|false",
        "=?utf-8?q?Re=3A_caf=C3=A9?=|café|true",
        "=?iso-8859-1?q?Gr=FC=DFe?= (fwd)|Grüße|true",
        "[fwd: unterminated|[fwd: unterminated|false",
        "Re: Fwd: [ML] Re: topic (fwd)|topic|true",
    })
    void extractsTheBaseSubjectAsRfc5256Says(String subject, String base, boolean reply) {
        BaseSubject s = BaseSubject.of(subject);
        assertThat(s.base).isEqualTo(base);
        assertThat(s.replyOrForward).isEqualTo(reply);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Subject: Re: hi|hi", "Subject: x|x"})
    void parsedMessagesExposeTheBaseSubject(String header, String base) {
        assertThat(Mail.parse(Mail.crlf(header, "", "")).baseSubject()).isEqualTo(base);
    }

    @org.junit.jupiter.api.Test
    void aMissingSubjectHasAnEmptyBaseSubject() {
        assertThat(Mail.parse(Mail.crlf("From: a@b.c", "", "")).baseSubject()).isEmpty();
    }
}
