package dev.mailcore.netty.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

class SaslPrepTest {

    // RFC 4013 §3 examples

    @Test
    void mapsSoftHyphenToNothing() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
    }

    @Test
    void leavesPlainUserNameUnchanged() {
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
    }

    @Test
    void preservesCase() {
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER").isNotEqualTo(SaslPrep.prepare("user"));
    }

    @Test
    void normalisesFeminineOrdinalIndicatorToLetterA() {
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
    }

    @Test
    void normalisesRomanNumeralNineToIX() {
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX").isEqualTo(SaslPrep.prepare("I\u00ADX"));
    }

    @Test
    void rejectsBellCharacter() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007"))
                .isInstanceOf(SaslPrepException.class)
                .hasMessageContaining("U+0007");
    }

    @Test
    void rejectsArabicLetterFollowedByEuropeanDigit() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0031"))
                .isInstanceOf(SaslPrepException.class)
                .hasMessageContaining("right-to-left");
    }

    // further cases

    @Test
    void mapsNonAsciiSpacesToSpace() {
        assertThat(SaslPrep.prepare("a\u00A0b\u3000c\u2003d")).isEqualTo("a b c d");
    }

    @Test
    void removesZeroWidthJoinersAndVariationSelectors() {
        assertThat(SaslPrep.prepare("a\u200Db\uFE0Fc\u034Fd\uFEFF")).isEqualTo("abcd");
    }

    @Test
    void acceptsRightToLeftStringThatStartsAndEndsWithRightToLeftCharacters() {
        assertThat(SaslPrep.prepare("\u0627\u0031\u0628")).isEqualTo("\u0627\u0031\u0628");
    }

    @Test
    void rejectsStringMixingRightToLeftAndLeftToRightLetters() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627x\u0628")).isInstanceOf(SaslPrepException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a\u0000b", "a\u001Fb", "a\u007Fb", "a\u0085b", "a\u2028b", "\uE000", "\uFDD0", "\uFFFE",
            "\uDB80\uDC00", "\uFFFD", "\u2FF0", "a\u200Eb", "a\u202Eb", "\uDB40\uDC01", "\uD834\uDD73"})
    void rejectsProhibitedOutput(String input) {
        assertThatThrownBy(() -> SaslPrep.prepare(input)).isInstanceOf(SaslPrepException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "\uDC00a", "\uDC00\uD800"})
    void rejectsUnpairedSurrogates(String input) {
        assertThatThrownBy(() -> SaslPrep.prepare(input))
                .isInstanceOf(SaslPrepException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void keepsSupplementaryCharactersThatAreAllowed() {
        String emoji = "pass\uD83D\uDE00word";
        assertThat(SaslPrep.prepare(emoji)).isEqualTo(emoji);
    }

    @Test
    void allowsUnassignedCodePointsInQueriesButNotInStoredStrings() {
        String unassigned = "a\u0378b"; // unassigned in every Unicode version so far
        assertThat(SaslPrep.prepare(unassigned)).isEqualTo(unassigned);
        assertThatThrownBy(() -> SaslPrep.prepareStored(unassigned))
                .isInstanceOf(SaslPrepException.class)
                .hasMessageContaining("U+0378");
    }

    @Test
    void preparesEmptyStringToEmptyString() {
        assertThat(SaslPrep.prepare("")).isEmpty();
        assertThat(SaslPrep.prepare("\u00AD")).isEmpty();
    }

    @Test
    void isIdempotentAndNeverThrowsAnythingButSaslPrepExceptionOnRandomStrings() {
        Random random = new Random(4013);
        int prepared = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                int cp = random.nextBoolean() ? random.nextInt(0x3100) : random.nextInt(0x110000);
                sb.appendCodePoint(cp);
            }
            String input = sb.toString();
            String once;
            try {
                once = SaslPrep.prepare(input);
            } catch (SaslPrepException e) {
                continue;
            }
            prepared++;
            assertThat(SaslPrep.prepare(once)).as("prepare(prepare(%s))", input).isEqualTo(once);
        }
        assertThat(prepared).isGreaterThan(1000);
    }
}
