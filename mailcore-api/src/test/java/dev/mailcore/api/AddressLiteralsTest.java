package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class AddressLiteralsTest {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    @Property(tries = 2000)
    void ipv4AgreesWithAReferenceGrammar(@ForAll("dottedNumbers") String s) {
        assertThat(AddressLiterals.isIpv4(s)).as(s).isEqualTo(IPV4.matcher(s).matches());
    }

    @Property
    void everyDottedQuadIsIpv4(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
                               @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) {
        assertThat(AddressLiterals.isIpv4(a + "." + b + "." + c + "." + d)).isTrue();
        assertThat(AddressLiterals.isIpv6("::ffff:" + a + "." + b + "." + c + "." + d)).isTrue();
    }

    @Property
    void fullAndCompressedIpv6FormsAreAccepted(@ForAll("ipv6Groups") List<Integer> groups) {
        assertThat(AddressLiterals.isIpv6(full(groups))).as(full(groups)).isTrue();
        assertThat(AddressLiterals.isIpv6(compressed(groups))).as(compressed(groups)).isTrue();
        assertThat(AddressLiterals.isIpv6(full(groups) + ":0")).isFalse();
        assertThat(AddressLiterals.isIpv6(full(groups.subList(0, 7)))).isFalse();
        assertThat(AddressLiterals.isIpv6(compressed(groups) + "::1")).isFalse();
    }

    @Property
    void ipv6WithTrailingIpv4IsAcceptedWithSixGroups(@ForAll("ipv6Groups") List<Integer> groups) {
        String six = full(groups.subList(0, 6));
        assertThat(AddressLiterals.isIpv6(six + ":192.0.2.1")).isTrue();
        assertThat(AddressLiterals.isIpv6(full(groups.subList(0, 7)) + ":192.0.2.1")).isFalse();
        assertThat(AddressLiterals.isIpv6(six + ":192.0.2.256")).isFalse();
    }

    @Provide
    Arbitrary<String> dottedNumbers() {
        Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.integers().between(0, 999).map(String::valueOf),
                Arbitraries.of("", "00", "01", "007", "0", "255", "256", "1000", "-1", "+1", "a", "\u0661"));
        return part.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<List<Integer>> ipv6Groups() {
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xffff)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)));
        return group.list().ofSize(8);
    }

    private static String full(List<Integer> groups) {
        StringBuilder sb = new StringBuilder();
        for (int g : groups) {
            sb.append(sb.length() == 0 ? "" : ":").append(Integer.toHexString(g));
        }
        return sb.toString();
    }

    /** Replaces the longest run of zero groups (if any, length 1 or more) by "::". */
    private static String compressed(List<Integer> groups) {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.size(); ) {
            if (groups.get(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.size() && groups.get(j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full(groups);
        }
        return full(groups.subList(0, bestStart)) + "::" + full(groups.subList(bestStart + bestLen, groups.size()));
    }
}
