package dev.mailcore.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {

    @Test
    void plusAddsSystemFlagsAndKeywords() {
        Flags a = new Flags(Set.of(Flag.SEEN), Set.of("$Label1"));
        Flags b = new Flags(Set.of(Flag.FLAGGED), Set.of("Work"));
        Flags sum = a.plus(b);
        assertThat(sum.system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
        assertThat(sum.keywords()).containsExactlyInAnyOrder("$Label1", "Work");
        assertThat(a.system()).containsExactly(Flag.SEEN); // immutable
    }

    @Test
    void plusKeepsTheSpellingFirstUsed() {
        Flags sum = new Flags(Set.of(), Set.of("Work")).plus(new Flags(Set.of(), Set.of("WORK")));
        assertThat(sum.keywords()).containsExactly("Work");
    }

    @Test
    void minusRemovesKeywordsCaseInsensitively() {
        Flags a = new Flags(EnumSet.of(Flag.SEEN, Flag.DELETED), Set.of("Work", "Home", "$Junk"));
        Flags diff = a.minus(new Flags(Set.of(Flag.DELETED), Set.of("WORK", "$junk", "Absent")));
        assertThat(diff.system()).containsExactly(Flag.SEEN);
        assertThat(diff.keywords()).containsExactly("Home");
        // the other branch of removeAll: fewer own keywords than removed ones
        Flags small = new Flags(Set.of(), Set.of("Work"));
        assertThat(small.minus(new Flags(Set.of(), Set.of("a", "b", "work"))).isEmpty()).isTrue();
    }

    @Test
    void equalityIgnoresKeywordCase() {
        Flags a = new Flags(Set.of(Flag.SEEN), Set.of("Work", "$Label1"));
        Flags b = new Flags(EnumSet.of(Flag.SEEN), Set.of("work", "$LABEL1"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Flags(Set.of(), Set.of("Work", "$Label1")));
        assertThat(a).isNotEqualTo(new Flags(Set.of(Flag.SEEN), Set.of("Work")));
        assertThat(a).isNotEqualTo(new Flags(Set.of(Flag.SEEN), Set.of("Work", "$Label2")));
        assertThat(a).isNotEqualTo("x");
    }

    @Test
    void containsKeywordIgnoresCase() {
        Flags a = new Flags(Set.of(), Set.of("$Forwarded"));
        assertThat(a.containsKeyword("$forwarded")).isTrue();
        assertThat(a.containsKeyword("$FORWARDED")).isTrue();
        assertThat(a.containsKeyword("Forwarded")).isFalse();
    }

    @Test
    void duplicateKeywordsDifferingInCaseCollapse() {
        Flags a = new Flags(Set.of(), new java.util.LinkedHashSet<>(List.of("Work", "WORK", "work")));
        assertThat(a.keywords()).containsExactly("Work");
    }

    @Test
    void ofWithoutFlagsIsNoneAndOfWithFlagsContainsThem() {
        assertThat(Flags.of()).isEqualTo(Flags.NONE);
        assertThat(Flags.NONE.isEmpty()).isTrue();
        Flags f = Flags.of(Flag.SEEN, Flag.ANSWERED);
        assertThat(f.contains(Flag.SEEN)).isTrue();
        assertThat(f.contains(Flag.DRAFT)).isFalse();
        assertThat(f.isEmpty()).isFalse();
    }

    @Test
    void isImmutableAndDetachedFromItsInput() {
        Set<Flag> system = EnumSet.of(Flag.SEEN);
        Set<String> keywords = new HashSet<>(Set.of("a"));
        Flags f = new Flags(system, keywords);
        system.add(Flag.DELETED);
        keywords.add("b");
        assertThat(f.system()).containsExactly(Flag.SEEN);
        assertThat(f.keywords()).containsExactly("a");
        assertThatThrownBy(() -> f.keywords().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.system().add(Flag.DRAFT)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\\Seen", "\\Custom", "two words", "a(b", "a)b", "a{b", "a%b", "a*b", "a\"b",
        "a]b", "a\\b", "a\rb", "a\u0000", "a\u007f", "ünï"})
    void rejectsKeywordsThatAreNotAtoms(String keyword) {
        assertThatThrownBy(() -> new Flags(Set.of(), Set.of(keyword))).as(keyword)
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$Forwarded", "$MDNSent", "Junk", "NonJunk", "$label-1", "a[b", "a.b+c_d"})
    void acceptsAtomKeywords(String keyword) {
        assertThat(new Flags(Set.of(), Set.of(keyword)).keywords()).containsExactly(keyword);
    }

    @Test
    void looksUpImapNamesCaseInsensitively() {
        for (Flag f : Flag.values()) {
            assertThat(Flag.fromImapName(f.imapName().toUpperCase())).isSameAs(f);
        }
        assertThat(Flag.fromImapName("\\Recent")).isNull();
    }

    @Property
    void plusThenMinusOfDisjointFlagsGivesTheOriginal(@ForAll("flags") Flags a, @ForAll("flags") Flags b) {
        Flags onlyB = b.minus(a);
        assertThat(a.plus(onlyB).minus(onlyB)).isEqualTo(a);
        assertThat(a.plus(b)).isEqualTo(b.plus(a));
        assertThat(a.plus(b).hashCode()).isEqualTo(b.plus(a).hashCode());
        assertThat(a.minus(a).isEmpty()).isTrue();
    }

    @Provide
    Arbitrary<Flags> flags() {
        Arbitrary<Set<Flag>> system = Arbitraries.of(Flag.class).set().ofMaxSize(5);
        Arbitrary<Set<String>> keywords = Arbitraries.of("Work", "work", "WORK", "$Junk", "$junk", "Home", "x")
                .set().ofMaxSize(4);
        return net.jqwik.api.Combinators.combine(system, keywords).as(Flags::new);
    }
}
