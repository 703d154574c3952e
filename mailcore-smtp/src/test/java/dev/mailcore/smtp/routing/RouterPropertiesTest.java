package dev.mailcore.smtp.routing;

import dev.mailcore.api.AddressException;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.Resolution;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouterPropertiesTest {

    private static final Set<String> USERS = Set.of("bob@example.org", "carol@example.org", "admin@example.org",
            "anna@xn--bcher-kva.example");

    private static final Router ROUTER = Router.builder()
            .mailboxes(a -> {
                String key = a.localPart().toLowerCase() + "@" + a.normalizedDomain();
                return USERS.contains(key) ? Optional.of(key) : Optional.empty();
            })
            .localDomain("example.org", "bücher.example")
            .virtualDomain("shop.example")
            .virtual("info@shop.example", "bob", "team", "x@partner.net")
            .virtual("loop@shop.example", "y@shop.example")
            .catchAll("shop.example", "loop@shop.example")
            .catchAll("example.org", "nobody+x@example.org")
            .domainRewrite("old.example", "example.org")
            .alias("team", "bob", "carol", "ghost", "team2")
            .alias("team2", "bob@example.org", "carol@old.example")
            .unknownRecipient("bücher.example", "admin@example.org")
            .plusSeparator("+-.")
            .postmaster("admin")
            .build();

    @Provide
    Arbitrary<MailAddress> addresses() {
        Arbitrary<String> local = Arbitraries.oneOf(
                Arbitraries.of("bob", "BOB", "team", "Team+x", "postmaster", "PostMaster-a", "info", "info+tag",
                        "loop", "y", "ghost", "carol.x", "nobody", "-", "+", "a+", "\"quoted local\""),
                Arbitraries.strings().withChars("abcXYZ019+-._!#'\" @\\").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(70));
        Arbitrary<String> domain = Arbitraries.oneOf(
                Arbitraries.of("example.org", "EXAMPLE.ORG", "shop.example", "old.example", "bücher.example",
                        "xn--bcher-kva.example", "partner.net", "[192.0.2.1]", "[IPv6:2001:db8::1]"),
                Arbitraries.strings().withChars("abcdefghij-.").ofMinLength(1).ofMaxLength(30));
        return Combinators.combine(local, domain).as((l, d) -> {
            try {
                return MailAddress.of(l, d);
            } catch (AddressException e) {
                return null;
            }
        }).filter(a -> a != null);
    }

    @Property(tries = 2000)
    void resolveNeverThrowsForAValidAddress(@ForAll("addresses") MailAddress address) {
        Resolution resolution = ROUTER.resolve(address);
        assertThat(resolution).isNotNull();
        if (!ROUTER.isOurDomain(address)) {
            assertThat(resolution).isEqualTo(Resolution.REMOTE);
        }
    }

    @Property(tries = 500)
    void postmasterOfEveryOwnDomainResolves(@ForAll("addresses") MailAddress address) {
        Assume.that(ROUTER.isOurDomain(address));
        MailAddress postmaster = MailAddress.of("postmaster", address.domain());
        assertThat(ROUTER.resolve(postmaster)).isInstanceOfAny(Resolution.Local.class, Resolution.Expanded.class);
    }
}
