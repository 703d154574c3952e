package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class MailAddressPropertiesTest {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    @Property
    void parseOfToStringRoundTripsForDotStringAddresses(@ForAll("dotStringAddresses") MailAddress address) {
        MailAddress reparsed = MailAddress.parse(address.toString());
        assertThat(reparsed).isEqualTo(address);
        assertThat(reparsed.localPart()).isEqualTo(address.localPart());
        assertThat(reparsed.domain()).isEqualTo(address.domain());
        assertThat(reparsed.toString()).isEqualTo(address.toString());
    }

    @Property
    void parseOfToStringRoundTripsForArbitraryLocalParts(@ForAll("anyLocalParts") String local,
                                                        @ForAll("domains") String domain) {
        MailAddress address = MailAddress.of(local, domain);
        MailAddress reparsed = MailAddress.parse(address.toString());
        assertThat(reparsed).isEqualTo(address);
        assertThat(reparsed.localPart()).isEqualTo(local);
        assertThat(address.quotedLocalPart().startsWith("\"")).isEqualTo(!MailAddress.isDotString(local));
    }

    @Property
    void quotingADotStringLocalPartGivesTheSameAddress(@ForAll("dotStringAddresses") MailAddress address) {
        MailAddress quoted = MailAddress.parse("\"" + address.localPart() + "\"@" + address.domain());
        assertThat(quoted).isEqualTo(address).hasSameHashCodeAs(address);
        assertThat(quoted.toString()).isEqualTo(address.toString());
    }

    @Property
    void domainCaseNeverMattersForEquality(@ForAll("dotStringAddresses") MailAddress address) {
        MailAddress upper = MailAddress.parse(address.quotedLocalPart() + "@" + address.domain().toUpperCase());
        assertThat(upper).isEqualTo(address).hasSameHashCodeAs(address);
    }

    @Property
    void lengthLimitFollowsUtf8Octets(@ForAll("anyLocalParts") String local) {
        String longer = local + "é".repeat(33);
        assertThat(longer.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(64);
        assertThatThrownBy(() -> MailAddress.of(longer, "x.org")).isInstanceOf(AddressException.class);
    }

    @Property
    void insertingASpaceOrControlIntoADotStringIsRejected(@ForAll("dotStringAddresses") MailAddress address,
                                                         @ForAll("badCharacters") char bad) {
        String text = address.toString();
        int at = text.indexOf('@');
        String broken = text.substring(0, at) + bad + text.substring(at);
        assertThatThrownBy(() -> MailAddress.parse(broken)).isInstanceOf(AddressException.class);
    }

    @Property(tries = 3000)
    @StatisticsReport(format = Histogram.class)
    void anyInputEitherFailsCleanlyOrRoundTrips(@ForAll("noisyText") String text) {
        MailAddress parsed;
        try {
            parsed = MailAddress.parse(text);
        } catch (AddressException expected) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("parsed");
        MailAddress reparsed = MailAddress.parse(parsed.toString());
        assertThat(reparsed).isEqualTo(parsed);
        assertThat(reparsed.toString()).isEqualTo(parsed.toString());
        assertThat(parsed.localPart().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThat(parsed.localPart()).doesNotContain("\r", "\n", "\u0000", "\t");
        assertThat(parsed.domain()).doesNotContain(" ", "\r", "\n");
        Statistics.coverage(c -> c.check("parsed").percentage(p -> p > 2.0));
    }

    @Property(tries = 3000)
    void anyPathEitherFailsCleanlyOrGivesAnAddressThatRoundTrips(@ForAll("noisyText") String text) {
        ReversePath path;
        try {
            path = ReversePath.parse("<" + text + ">");
        } catch (AddressException expected) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("parsed");
        Statistics.coverage(c -> c.check("parsed").percentage(p -> p > 2.0));
        assertThat(ReversePath.parse(path.toString())).isEqualTo(path);
    }

    @Provide
    Arbitrary<String> noisyText() {
        Arbitrary<String> pieces = Arbitraries.of("a", "b", "Z", "0", "9", ".", "..", "@", "\"", "\\", " ", "\t", "\r",
                "\n", "\u0000", "[", "]", ":", "::", ",", "<", ">", "-", "%", "!", "é", "ü", "用", "\uD800", "\u00a0",
                "IPv6:", "192.0.2.1", "256", "xn--bcher-kva", "ffff", "@hop", "(", ")", "+", "_", "'");
        Arbitrary<String> noise = pieces.list().ofMinSize(0).ofMaxSize(14).map(l -> String.join("", l));
        Arbitrary<String> localPieces = Arbitraries.of("a", "b", "Z", "0", ".", "\\\"", "\\", " ", "é", "用", "%",
                "!", "+", "-", "'", "\"", "@", "\t").list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
        Arbitrary<String> domainPieces = Arbitraries.of("a", "b", "0", "-", ".", "bücher", "xn--bcher-kva",
                "[192.0.2.1]", "[IPv6:::1]", "[IPv6:", "]", " ", "@", "_").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> String.join("", l));
        Arbitrary<String> quotedLocal = localPieces.map(l -> "\"" + l + "\"");
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.oneOf(localPieces, quotedLocal), domainPieces)
                .as((l, d) -> l + "@" + d);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, noise), net.jqwik.api.Tuple.of(3, shaped));
    }

    @Provide
    Arbitrary<Character> badCharacters() {
        return Arbitraries.of(' ', '\t', '\r', '\n', '\u0000', '\u007f', '\u0085', '\u00a0', '(', ')', ',', ';', ':',
                '<', '>', '[', ']', '\\', '"');
    }

    @Provide
    Arbitrary<MailAddress> dotStringAddresses() {
        Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars(ATEXT_SPECIALS.toCharArray()).withChars('é', 'ß', '用')
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= 64);
        return Combinators.combine(local, domains()).as(MailAddress::of);
    }

    @Provide
    Arbitrary<String> anyLocalParts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', 'ü', '用', '\u00a0')
                .ofMinLength(1).ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> domains() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('-').ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
        Arbitrary<String> name = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> "[" + l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3) + "]");
        Arbitrary<String> ipv6 = Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                .map(MailAddressPropertiesTest::ipv6Literal);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, name),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("bücher.example", "例子.广告", "xn--bcher-kva.example")),
                net.jqwik.api.Tuple.of(1, ipv4),
                net.jqwik.api.Tuple.of(1, ipv6));
    }

    private static String ipv6Literal(List<Integer> groups) {
        StringBuilder sb = new StringBuilder("[IPv6:");
        for (int i = 0; i < groups.size(); i++) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(groups.get(i)));
        }
        return sb.append(']').toString();
    }
}
