package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    private static void rejects(String text) {
        assertThatThrownBy(() -> MailAddress.parse(text)).as(text).isInstanceOf(AddressException.class);
    }

    // ---- local part: dot-strings ----

    @Test
    void parsesPlainDotString() {
        MailAddress a = MailAddress.parse("john.q.public@example.org");
        assertThat(a.localPart()).isEqualTo("john.q.public");
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(a.isAddressLiteral()).isFalse();
        assertThat(a.requiresSmtpUtf8()).isFalse();
        assertThat(a).hasToString("john.q.public@example.org");
    }

    @Test
    void acceptsEveryAtextSpecialUnquoted() {
        String specials = "!#$%&'*+-/=?^_`{|}~";
        for (char c : specials.toCharArray()) {
            String local = "a" + c + "b";
            MailAddress a = MailAddress.parse(local + "@example.org");
            assertThat(a.localPart()).isEqualTo(local);
            assertThat(a.quotedLocalPart()).as("no quoting needed for %s", c).isEqualTo(local);
        }
        MailAddress all = MailAddress.parse(specials + "@example.org");
        assertThat(all.localPart()).isEqualTo(specials);
        assertThat(all).hasToString(specials + "@example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {".abc@x.org", "abc.@x.org", "a..b@x.org", ".@x.org", "..@x.org"})
    void rejectsLeadingTrailingAndDoubleDotsInDotString(String text) {
        rejects(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a(b@x.org", "a)b@x.org", "a<b@x.org", "a>b@x.org", "a,b@x.org", "a;b@x.org",
        "a:b@x.org", "a\\b@x.org", "a\"b@x.org", "a[b@x.org", "a]b@x.org"})
    void rejectsSpecialsOutsideAtextUnquoted(String text) {
        rejects(text);
    }

    // ---- quoted local parts ----

    @Test
    void parsesQuotedLocalPartWithSpace() {
        MailAddress a = MailAddress.parse("\"john doe\"@example.org");
        assertThat(a.localPart()).isEqualTo("john doe");
        assertThat(a.quotedLocalPart()).isEqualTo("\"john doe\"");
        assertThat(a).hasToString("\"john doe\"@example.org");
    }

    @Test
    void parsesQuotedPairForQuote() {
        MailAddress a = MailAddress.parse("\"a\\\"b\"@x.org");
        assertThat(a.localPart()).isEqualTo("a\"b");
        assertThat(a).hasToString("\"a\\\"b\"@x.org");
    }

    @Test
    void parsesQuotedPairForBackslash() {
        MailAddress a = MailAddress.parse("\"a\\\\b\"@x.org");
        assertThat(a.localPart()).isEqualTo("a\\b");
        assertThat(a).hasToString("\"a\\\\b\"@x.org");
    }

    @Test
    void parsesQuotedPairOfOrdinaryCharacterAsThatCharacter() {
        assertThat(MailAddress.parse("\"\\a\\b\\c\"@x.org").localPart()).isEqualTo("abc");
    }

    @Test
    void parsesAtSignInsideQuotedLocalPart() {
        MailAddress a = MailAddress.parse("\"a@b\"@x.org");
        assertThat(a.localPart()).isEqualTo("a@b");
        assertThat(a.domain()).isEqualTo("x.org");
        assertThat(a).hasToString("\"a@b\"@x.org");
    }

    @Test
    void quotedFormEqualsDotStringForm() {
        MailAddress quoted = MailAddress.parse("\"abc\"@x.org");
        MailAddress plain = MailAddress.parse("abc@x.org");
        assertThat(quoted).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(quoted).hasToString("abc@x.org");
        assertThat(MailAddress.parse("\"a.b\"@x.org")).isEqualTo(MailAddress.parse("a.b@x.org"));
    }

    @Test
    void quotesDotsThatAreNotADotString() {
        MailAddress a = MailAddress.parse("\"a..b\"@x.org");
        assertThat(a.localPart()).isEqualTo("a..b");
        assertThat(a).hasToString("\"a..b\"@x.org");
        assertThat(MailAddress.parse("\".a\"@x.org")).hasToString("\".a\"@x.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc@x.org", "\"abc\\\"@x.org", "\"a\"b@x.org", "a\"b\"@x.org", "\"a\"\"b\"@x.org",
        "\"a\tb\"@x.org", "\"a\rb\"@x.org", "\"a\nb\"@x.org", "\"a\u0000b\"@x.org", "\"a\u007fb\"@x.org",
        "\"a\\\u0001\"@x.org", "\"abc\"x@x.org", "\"abc\"", "\"a\"@b@x.org"})
    void rejectsMalformedQuotedLocalParts(String text) {
        rejects(text);
    }

    // ---- local part length ----

    @Test
    void acceptsLocalPartOfSixtyFourOctets() {
        String local = "a".repeat(64);
        assertThat(MailAddress.parse(local + "@x.org").localPart()).isEqualTo(local);
    }

    @Test
    void rejectsLocalPartOfSixtyFiveOctets() {
        rejects("a".repeat(65) + "@x.org");
    }

    @Test
    void countsLocalPartLengthInUtf8Octets() {
        String thirtyTwoTwoByte = "é".repeat(32);
        assertThat(thirtyTwoTwoByte.getBytes(StandardCharsets.UTF_8)).hasSize(64);
        assertThat(MailAddress.parse(thirtyTwoTwoByte + "@x.org").localPart()).isEqualTo(thirtyTwoTwoByte);
        rejects(thirtyTwoTwoByte + "a@x.org"); // 33 characters, 65 octets
        rejects("é".repeat(33) + "@x.org"); // 33 characters, 66 octets
    }

    @Test
    void ofAppliesTheSameLengthLimit() {
        assertThat(MailAddress.of("b".repeat(64), "x.org").localPart()).hasSize(64);
        assertThatThrownBy(() -> MailAddress.of("b".repeat(65), "x.org")).isInstanceOf(AddressException.class);
    }

    // ---- domains ----

    @ParameterizedTest
    @ValueSource(strings = {"a@x", "a@x.org", "a@sub.x.org", "a@a-b.org", "a@a--b.org", "a@1.2.3.example",
        "a@123.org", "a@X.ORG", "a@xn--bcher-kva.example"})
    void acceptsValidDomains(String text) {
        assertThat(MailAddress.parse(text).domain()).isEqualTo(text.substring(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@", "a@.org", "a@x..org", "a@x.org.", "a@-x.org", "a@x-.org", "a@x.-org", "a@x_y.org",
        "a@x y.org", "a@x.org ", "a@ x.org", "a@x,org", "a@x.org\r\n", "a@x!.org", "a@.", "a@x@y"})
    void rejectsInvalidDomains(String text) {
        rejects(text);
    }

    @Test
    void acceptsSixtyThreeCharacterLabelAndRejectsSixtyFour() {
        assertThat(MailAddress.parse("a@" + "l".repeat(63) + ".org").domain()).startsWith("lll");
        rejects("a@" + "l".repeat(64) + ".org");
    }

    @Test
    void enforcesTheDomainLengthLimitOfTwoHundredFiftyFiveOctets() {
        String label = "d".repeat(63);
        String d255 = label + "." + label + "." + label + "." + "d".repeat(61) + "." + "x";
        assertThat(d255).hasSize(255);
        assertThat(MailAddress.parse("a@" + d255).domain()).isEqualTo(d255);
        String d256 = label + "." + label + "." + label + "." + "d".repeat(62) + "." + "x";
        assertThat(d256).hasSize(256);
        rejects("a@" + d256);
    }

    // ---- address literals ----

    @ParameterizedTest
    @ValueSource(strings = {"[192.0.2.1]", "[0.0.0.0]", "[255.255.255.255]", "[IPv6:2001:db8::1]", "[IPv6:::1]",
        "[IPv6:::]", "[IPv6:::ffff:192.0.2.1]", "[IPv6:2001:db8:0:0:0:0:0:1]", "[IPv6:2001:DB8::ABCD]",
        "[ipv6:2001:db8::1]", "[IPv6:1:2:3:4:5:6:192.0.2.1]", "[IPv6:1::]", "[IPv6:fe80::1:2:3:4]",
        "[x-tag:some.thing]", "[Tag:a@b]", "[-tag:x]"})
    void acceptsAddressLiterals(String literal) {
        MailAddress a = MailAddress.parse("postmaster@" + literal);
        assertThat(a.domain()).isEqualTo(literal);
        assertThat(a.isAddressLiteral()).isTrue();
        assertThat(MailAddress.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[256.1.1.1]", "[01.2.3.4]", "[1.2.3]", "[1.2.3.4.5]", "[1.2.3.]", "[1..2.3]",
        "[1.2.3.4", "1.2.3.4]", "[]", "[ 1.2.3.4]", "[1.2.3.-4]", "[1.2.3.1000]", "[IPv6:2001:db8::1::2]",
        "[IPv6:1:2:3:4:5:6:7:8:9]", "[IPv6:1:2:3:4:5:6:7]", "[IPv6:12345::1]", "[IPv6:g::1]", "[IPv6:]",
        "[IPv6:1:2:3:4:5:6:7:192.0.2.1]", "[IPv6:::256.0.0.1]", "[IPv6:1.2.3.4]", "[IPv6::1]", "[IPv6:1:]",
        "[:abc]", "[tag-:abc]", "[ta g:abc]", "[tag:]", "[tag:a b]", "[tag:a[b]", "[tag:a\\b]",
        "[\u0661\u0669\u0662.0.2.1]", "[IPv6:\uff12001:db8::1]", "[1.2.3.\u0664]"})
    void rejectsMalformedAddressLiterals(String literal) {
        rejects("postmaster@" + literal);
    }

    // ---- SMTPUTF8 ----

    @Test
    void acceptsUtf8LocalPartAndFlagsSmtpUtf8() {
        MailAddress a = MailAddress.parse("用户@例子.广告");
        assertThat(a.localPart()).isEqualTo("用户");
        assertThat(a.domain()).isEqualTo("例子.广告");
        assertThat(a.requiresSmtpUtf8()).isTrue();
        assertThat(a).hasToString("用户@例子.广告");
    }

    @Test
    void idnDomainAloneRequiresSmtpUtf8() {
        MailAddress a = MailAddress.parse("info@bücher.example");
        assertThat(a.requiresSmtpUtf8()).isTrue();
        assertThat(a.normalizedDomain()).isEqualTo("xn--bcher-kva.example");
        assertThat(MailAddress.parse("info@xn--bcher-kva.example").requiresSmtpUtf8()).isFalse();
    }

    @Test
    void acceptsIdnLabelsWithCombiningSpacingMarks() {
        // Devanagari vowel signs such as U+093F are combining spacing marks (Mc).
        MailAddress a = MailAddress.parse("a@हिन्दी.example");
        assertThat(a.normalizedDomain()).startsWith("xn--").endsWith(".example");
    }

    @Test
    void acceptsIdnLabelsWithSupplementaryCharacters() {
        // U+20000 is a CJK ideograph outside the BMP (a surrogate pair in Java).
        MailAddress a = MailAddress.parse("a@\uD840\uDC00.example");
        assertThat(a.requiresSmtpUtf8()).isTrue();
        assertThat(a.normalizedDomain()).startsWith("xn--");
    }

    @Test
    void rejectsIdnLabelWhoseALabelIsTooLong() {
        // 60 U-label characters: fits the 63-character check, but its A-label is far longer than 63 octets.
        rejects("a@" + "ü".repeat(60) + ".example");
    }

    @Test
    void rejectsUnpairedSurrogates() {
        rejects("a\uD800b@x.org");
        rejects("a@x\uDC00.org");
    }

    // ---- equality ----

    @Test
    void comparesDomainCaseInsensitively() {
        MailAddress lower = MailAddress.parse("user@example.org");
        MailAddress upper = MailAddress.parse("user@EXAMPLE.Org");
        assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(upper.domain()).isEqualTo("EXAMPLE.Org");
        assertThat(upper.normalizedDomain()).isEqualTo("example.org");
    }

    @Test
    void uLabelEqualsALabel() {
        MailAddress u = MailAddress.parse("info@bücher.example");
        MailAddress a = MailAddress.parse("info@xn--bcher-kva.example");
        MailAddress upper = MailAddress.parse("info@BÜCHER.example");
        assertThat(u).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(upper).isEqualTo(a);
        assertThat(u.domain()).isEqualTo("bücher.example");
    }

    @Test
    void preservesAndComparesLocalPartCaseSensitively() {
        MailAddress mixed = MailAddress.parse("John.Doe@example.org");
        assertThat(mixed.localPart()).isEqualTo("John.Doe");
        assertThat(mixed).isNotEqualTo(MailAddress.parse("john.doe@example.org"));
        assertThat(mixed).isEqualTo(MailAddress.parse("John.Doe@Example.ORG"));
    }

    @Test
    void comparesAddressLiteralsCaseInsensitively() {
        assertThat(MailAddress.parse("a@[IPv6:2001:DB8::1]")).isEqualTo(MailAddress.parse("a@[ipv6:2001:db8::1]"));
    }

    @Test
    void isNotEqualToOtherTypesOrDifferentDomains() {
        MailAddress a = MailAddress.parse("a@x.org");
        assertThat(a).isNotEqualTo("a@x.org").isNotEqualTo(null).isNotEqualTo(MailAddress.parse("a@y.org"));
    }

    // ---- of / withLocalPart ----

    @Test
    void ofQuotesLocalPartWhenNeeded() {
        MailAddress a = MailAddress.of("john doe", "example.org");
        assertThat(a).hasToString("\"john doe\"@example.org");
        assertThat(MailAddress.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\tb", "a\rb", "a\nb", "a\u0000", "a\u007f", "a\u0085b", "a\uD800"})
    void ofRejectsLocalPartsThatCannotBeWritten(String local) {
        assertThatThrownBy(() -> MailAddress.of(local, "x.org")).isInstanceOf(AddressException.class);
    }

    @Test
    void ofRejectsInvalidDomains() {
        assertThatThrownBy(() -> MailAddress.of("a", null)).isInstanceOf(AddressException.class);
        assertThatThrownBy(() -> MailAddress.of("a", "x..y")).isInstanceOf(AddressException.class);
        assertThatThrownBy(() -> MailAddress.of(null, "x.org")).isInstanceOf(AddressException.class);
    }

    @Test
    void withLocalPartKeepsTheDomain() {
        MailAddress a = MailAddress.parse("user+tag@Example.org").withLocalPart("user");
        assertThat(a).hasToString("user@Example.org");
    }

    // ---- control characters and spaces ----

    @ParameterizedTest
    @ValueSource(strings = {"a b@x.org", " a@x.org", "a@x.org ", "a\t@x.org", "a\u0000@x.org", "a\r\n@x.org",
        "a\u007f@x.org", "a\u0085@x.org", "a\u00a0b@x.org", "a\u2028b@x.org", "a@x\u0000.org", "", "@x.org", "a",
        "a@"})
    void rejectsControlCharactersSpacesAndEmptyParts(String text) {
        rejects(text);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> MailAddress.parse(null)).isInstanceOf(AddressException.class);
    }

    // ---- relay tricks: the parsed address is what a relay check sees ----

    @Test
    void percentHackStaysInTheLocalPart() {
        MailAddress a = MailAddress.parse("user%remote.example@local.example");
        assertThat(a.localPart()).isEqualTo("user%remote.example");
        assertThat(a.domain()).isEqualTo("local.example");
    }

    @Test
    void quotedAtSignStaysInTheLocalPart() {
        MailAddress a = MailAddress.parse("\"user@remote.example\"@local.example");
        assertThat(a.localPart()).isEqualTo("user@remote.example");
        assertThat(a.domain()).isEqualTo("local.example");
    }

    @Test
    void bangPathStaysInTheLocalPart() {
        MailAddress a = MailAddress.parse("remote.example!user@local.example");
        assertThat(a.localPart()).isEqualTo("remote.example!user");
        assertThat(a.domain()).isEqualTo("local.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@remote.example@local.example", "<user@remote.example>@local.example",
        "user@remote.example,@local.example", "user@local.example (comment)", "user @local.example",
        "@remote.example:user@local.example", "user@[1.2.3.4]@local.example"})
    void rejectsMalformedRelayTricks(String text) {
        rejects(text);
    }
}
