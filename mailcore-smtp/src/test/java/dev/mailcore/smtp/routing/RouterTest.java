package dev.mailcore.smtp.routing;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.Resolution;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    /** A user directory like InMemoryUsers: exact local part, normalised domain; records every lookup. */
    private final Map<String, String> users = new HashMap<>();
    private final List<MailAddress> lookups = new ArrayList<>();
    private final Function<MailAddress, Optional<String>> directory = a -> {
        lookups.add(a);
        return Optional.ofNullable(users.get(a.localPart() + "@" + a.normalizedDomain()));
    };

    private String user(String address) {
        MailAddress a = MailAddress.parse(address);
        String canonical = a.localPart() + "@" + a.normalizedDomain();
        users.put(canonical, canonical);
        return canonical;
    }

    private Router.Builder builder() {
        return Router.builder().mailboxes(directory).postmaster("admin@example.org");
    }

    private static Resolution local(String... users) {
        return new Resolution.Local(List.of(users));
    }

    private static Resolution expanded(List<String> users, String... forwards) {
        return new Resolution.Expanded(users, List.of(forwards).stream().map(MailAddress::parse).toList());
    }

    private static Resolution resolve(Router router, String address) {
        return router.resolve(MailAddress.parse(address));
    }

    @Nested
    class LocalUsers {
        @Test
        void deliversToTheMailboxOfALocalUser() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").build();
            assertThat(resolve(router, "bob@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void comparesLocalPartsCaseInsensitivelyByDefault() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").build();
            assertThat(resolve(router, "BoB@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void comparesLocalPartsExactlyWhenCaseSensitive() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").caseSensitiveLocalParts(true).build();
            assertThat(resolve(router, "BoB@example.org")).isEqualTo(Resolution.UNKNOWN);
            assertThat(resolve(router, "bob@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void rulesFollowTheCaseSetting() {
            user("bob@example.org");
            Router insensitive = builder().localDomain("example.org").alias("Sales", "bob").build();
            Router sensitive = builder().localDomain("example.org").alias("Sales", "bob")
                    .caseSensitiveLocalParts(true).build();
            assertThat(resolve(insensitive, "sales@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(sensitive, "sales@example.org")).isEqualTo(Resolution.UNKNOWN);
            assertThat(resolve(sensitive, "Sales@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void comparesDomainsCaseInsensitivelyAndIdnAware() {
            user("anna@xn--bcher-kva.example");
            user("bob@example.org");
            Router router = builder().localDomain("EXAMPLE.org", "bücher.example").build();
            assertThat(resolve(router, "bob@Example.ORG")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "anna@BÜCHER.example")).isEqualTo(local("anna@xn--bcher-kva.example"));
            assertThat(resolve(router, "anna@xn--bcher-kva.example")).isEqualTo(local("anna@xn--bcher-kva.example"));
        }

        @Test
        void acceptsAnAddressLiteralAsLocalDomain() {
            user("bob@[192.0.2.1]");
            Router router = builder().localDomain("[192.0.2.1]").build();
            assertThat(resolve(router, "bob@[192.0.2.1]")).isEqualTo(local("bob@[192.0.2.1]"));
            assertThat(resolve(router, "bob@[192.0.2.2]")).isEqualTo(Resolution.REMOTE);
        }

        @Test
        void aFailingDirectoryDoesNotBreakTheLenientBuild() {
            Router router = Router.builder().localDomain("example.org").mailboxes(a -> {
                throw new IllegalStateException("directory down");
            }).build();
            assertThat(resolve(router, "x@elsewhere.net")).isEqualTo(Resolution.REMOTE);
            assertThatThrownBy(() -> Router.builder().localDomain("example.org").requirePostmaster(true)
                    .mailboxes(a -> {
                        throw new IllegalStateException("directory down");
                    }).build())
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("directory down");
        }

        @Test
        void answersUnknownForAMissingMailboxInALocalDomain() {
            Router router = builder().localDomain("example.org").build();
            assertThat(resolve(router, "nobody@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void answersRemoteForOtherDomainsWithoutAskingTheDirectory() {
            user("bob@elsewhere.net");
            Router router = builder().localDomain("example.org").build();
            lookups.clear();
            assertThat(resolve(router, "bob@elsewhere.net")).isEqualTo(Resolution.REMOTE);
            assertThat(resolve(router, "bob@sub.example.org")).isEqualTo(Resolution.REMOTE);
            assertThat(lookups).isEmpty();
            assertThat(router.isOurDomain(MailAddress.parse("x@Example.Org"))).isTrue();
            assertThat(router.isOurDomain(MailAddress.parse("x@elsewhere.net"))).isFalse();
        }

        @Test
        void seesUsersAddedAfterBuild() {
            Router router = builder().localDomain("example.org").build();
            assertThat(resolve(router, "late@example.org")).isEqualTo(Resolution.UNKNOWN);
            user("late@example.org");
            assertThat(resolve(router, "late@example.org")).isEqualTo(local("late@example.org"));
        }
    }

    @Nested
    class VirtualMap {
        @Test
        void mapsAVirtualAddressToAMailbox() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").virtualDomain("shop.example")
                    .virtual("info@shop.example", "bob@example.org").build();
            assertThat(resolve(router, "INFO@shop.example")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void followsAVirtualAddressThroughOtherAddresses() {
            user("carol@example.org");
            Router router = builder().localDomain("example.org")
                    .virtual("info@shop.example", "sales@shop.example")
                    .virtual("sales@shop.example", "carol@example.org").build();
            assertThat(resolve(router, "info@shop.example")).isEqualTo(local("carol@example.org"));
        }

        @Test
        void forwardsToRemoteAddressesAsAnExpansion() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org")
                    .virtual("info@shop.example", "bob@example.org", "boss@partner.net").build();
            assertThat(resolve(router, "info@shop.example"))
                    .isEqualTo(expanded(List.of("bob@example.org"), "boss@partner.net"));
        }

        @Test
        void forwardsWithoutAnyLocalUser() {
            Router router = builder().localDomain("example.org")
                    .virtual("old@example.org", "new@partner.net").build();
            assertThat(resolve(router, "old@example.org")).isEqualTo(expanded(List.of(), "new@partner.net"));
        }

        @Test
        void doesNotLookUpMailboxesInAVirtualDomain() {
            user("bob@shop.example");
            Router router = builder().localDomain("example.org").virtualDomain("shop.example").build();
            assertThat(resolve(router, "bob@shop.example")).isEqualTo(Resolution.UNKNOWN);
            assertThat(lookups).noneMatch(a -> a.normalizedDomain().equals("shop.example"));
        }

        @Test
        void treatsTheDomainOfAVirtualEntryAsOurs() {
            Router router = builder().localDomain("example.org").virtual("a@shop.example", "x@partner.net").build();
            assertThat(resolve(router, "other@shop.example")).isEqualTo(Resolution.UNKNOWN);
            assertThat(resolve(router, "x@partner.net")).isEqualTo(Resolution.REMOTE);
        }

        @Test
        void resolvesABareTargetInTheFirstLocalDomain() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org", "example.com")
                    .virtual("info@shop.example", "bob").build();
            assertThat(resolve(router, "info@shop.example")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void anEntryShadowsTheMailboxOfTheSameAddress() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org").virtual("bob@example.org", "carol").build();
            assertThat(resolve(router, "bob@example.org")).isEqualTo(local("carol@example.org"));
        }
    }

    @Nested
    class CatchAllAndRewrite {
        @Test
        void sendsUnknownAddressesOfADomainToItsCatchAll() {
            user("bob@example.org");
            user("admin@example.org");
            Router router = builder().localDomain("example.org").catchAll("@shop.example", "bob@example.org")
                    .virtual("info@shop.example", "admin@example.org").build();
            assertThat(resolve(router, "anything@shop.example")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "info@shop.example")).isEqualTo(local("admin@example.org"));
        }

        @Test
        void aCatchAllNeverShadowsAnExistingMailbox() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org").catchAll("example.org", "carol").build();
            assertThat(resolve(router, "bob@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "whoever@example.org")).isEqualTo(local("carol@example.org"));
        }

        @Test
        void aCatchAllPointingIntoItsOwnDomainEndsAsUnknownWhenTheTargetIsMissing() {
            Router router = builder().localDomain("example.org").catchAll("example.org", "missing").build();
            assertThat(resolve(router, "x@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void rewritesTheDomainAndResolvesAgain() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").domainRewrite("old.example", "example.org")
                    .build();
            assertThat(resolve(router, "Bob@OLD.example")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "nobody@old.example")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void anExactEntryWinsOverTheDomainRewrite() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org").domainRewrite("old.example", "example.org")
                    .virtual("bob@old.example", "carol@example.org").build();
            assertThat(resolve(router, "bob@old.example")).isEqualTo(local("carol@example.org"));
        }

        @Test
        void rewritingToARemoteDomainForwards() {
            Router router = builder().localDomain("example.org").domainRewrite("old.example", "new.example").build();
            assertThat(resolve(router, "bob@old.example")).isEqualTo(expanded(List.of(), "bob@new.example"));
        }

        @Test
        void acceptsVirtualStyleCatchAllAndRewritePatterns() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org")
                    .virtual("@shop.example", "carol")
                    .virtual("@old.example", "@example.org").build();
            assertThat(resolve(router, "x@shop.example")).isEqualTo(local("carol@example.org"));
            assertThat(resolve(router, "bob@old.example")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void rejectsADomainRewriteLoopAtBuild() {
            Router.Builder b = builder().localDomain("example.org").domainRewrite("a.example", "b.example")
                    .domainRewrite("b.example", "a.example");
            assertThatThrownBy(b::build).isInstanceOf(MailcoreException.class)
                    .hasMessageContaining("a.example -> b.example -> a.example");
        }
    }

    @Nested
    class Aliases {
        @Test
        void expandsNestedAliasesIntoAGroup() {
            user("alice@example.org");
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org")
                    .alias("staff", "sales", "support")
                    .alias("sales", "alice", "bob")
                    .alias("support", "carol", "help@partner.net").build();
            assertThat(resolve(router, "staff@example.org")).isEqualTo(expanded(
                    List.of("alice@example.org", "bob@example.org", "carol@example.org"), "help@partner.net"));
            assertThat(resolve(router, "sales@example.org"))
                    .isEqualTo(local("alice@example.org", "bob@example.org"));
        }

        @Test
        void aBareAliasIsValidInEveryLocalDomainAndResolvesMembersThere() {
            user("bob@example.org");
            user("bob@example.com");
            Router router = builder().localDomain("example.org", "example.com").alias("team", "bob").build();
            assertThat(resolve(router, "team@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "team@example.com")).isEqualTo(local("bob@example.com"));
        }

        @Test
        void aBareAliasDoesNotApplyInVirtualDomains() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").virtualDomain("shop.example")
                    .alias("team", "bob").build();
            assertThat(resolve(router, "team@shop.example")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void aFullAddressAliasAppliesToThatAddressOnly() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org", "example.com")
                    .alias("info@example.com", "bob@example.org").build();
            assertThat(resolve(router, "info@example.com")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "info@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void deliversOneCopyToAUserReachedThroughSeveralPaths() {
            user("alice@example.org");
            user("bob@example.org");
            Router router = builder().localDomain("example.org")
                    .alias("all", "devs", "ops", "alice", "ALICE@example.org", "x@partner.net")
                    .alias("devs", "alice", "bob", "x@partner.net")
                    .alias("ops", "bob", "ops-lead")
                    .alias("ops-lead", "alice").build();
            assertThat(resolve(router, "all@example.org"))
                    .isEqualTo(expanded(List.of("alice@example.org", "bob@example.org"), "x@partner.net"));
        }

        @Test
        void skipsMembersThatResolveToNothing() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").alias("team", "bob", "gone", "gone2@example.org")
                    .build();
            assertThat(resolve(router, "team@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void answersUnknownWhenNoMemberResolves() {
            Router router = builder().localDomain("example.org").alias("team", "gone").build();
            assertThat(resolve(router, "team@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void rejectsAnAliasLoopAtBuildNamingThePath() {
            Router.Builder b = builder().localDomain("example.org")
                    .alias("a", "b").alias("b", "c").alias("c", "a");
            assertThatThrownBy(b::build).isInstanceOf(MailcoreException.class)
                    .hasMessageContaining("alias loop")
                    .hasMessageMatching("(?s).*(a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c).*");
        }

        @Test
        void rejectsALoopThroughVirtualEntriesAndRewrites() {
            Router.Builder b = builder().localDomain("example.org")
                    .virtual("x@shop.example", "y@old.example")
                    .domainRewrite("old.example", "shop.example")
                    .virtual("y@shop.example", "x@shop.example");
            assertThatThrownBy(b::build).isInstanceOf(MailcoreException.class)
                    .hasMessageContaining("alias loop")
                    .hasMessageContaining("y@old.example -> y@shop.example");
        }

        @Test
        void anAliasNamingItselfKeepsACopyInTheOwnMailbox() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org")
                    .alias("bob", "bob", "bob@partner.net")
                    .alias("carol", "carol@example.org", "team")
                    .alias("team", "\\bob")
                    .virtual("info@example.org", "info@example.org", "carol").build();
            assertThat(resolve(router, "bob@example.org"))
                    .isEqualTo(expanded(List.of("bob@example.org"), "bob@partner.net"));
            assertThat(resolve(router, "carol@example.org")).isEqualTo(local("carol@example.org", "bob@example.org"));
            assertThat(resolve(router, "team@example.org")).isEqualTo(local("bob@example.org"));
            user("info@example.org");
            assertThat(resolve(router, "info@example.org"))
                    .isEqualTo(local("info@example.org", "carol@example.org", "bob@example.org"));
        }

        @Test
        void rejectsAnIndirectSelfReferenceAsALoop() {
            assertThatThrownBy(() -> builder().localDomain("example.org").alias("me", "you")
                    .alias("you", "me@example.org").build())
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("alias loop")
                    .hasMessageMatching("(?s).*(me -> you -> me@example.org -> you.*|you -> me@example.org -> you)");
        }

        @Test
        void rejectsPipesFilesAndIncludes() {
            assertThatThrownBy(() -> builder().alias("x", "|/usr/bin/vacation"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("not supported");
            assertThatThrownBy(() -> builder().alias("x", "/var/mail/x"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("not supported");
            assertThatThrownBy(() -> builder().alias("x", ":include:/etc/list"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("not supported");
        }

        @Test
        void rejectsInvalidAddressesWhenTheRuleIsAdded() {
            assertThatThrownBy(() -> builder().virtual("not an address", "bob"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("not an address");
            assertThatThrownBy(() -> builder().virtual("a@example.org", "b@-bad-.example"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("b@-bad-.example");
            assertThatThrownBy(() -> builder().localDomain("bad..example"))
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("bad..example");
        }

        @Test
        void rejectsADomainThatIsBothLocalAndVirtual() {
            assertThatThrownBy(() -> builder().localDomain("example.org").virtualDomain("Example.org").build())
                    .isInstanceOf(MailcoreException.class).hasMessageContaining("both local and virtual");
        }
    }

    @Nested
    class SubAddressing {
        @Test
        void deliversUserPlusTagToTheUser() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").build();
            assertThat(resolve(router, "bob+lists@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "Bob+a+b@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void prefersTheOwnEntryOfTheFullAddress() {
            user("bob@example.org");
            user("carol@example.org");
            user("bob+spam@example.org");
            Router router = builder().localDomain("example.org").alias("bob+work", "carol").build();
            assertThat(resolve(router, "bob+work@example.org")).isEqualTo(local("carol@example.org"));
            assertThat(resolve(router, "bob+spam@example.org")).isEqualTo(local("bob+spam@example.org"));
        }

        @Test
        void appliesToAliasesAndVirtualEntries() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").alias("team", "bob")
                    .virtual("info@shop.example", "bob").build();
            assertThat(resolve(router, "team+x@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "info+x@shop.example")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void usesACustomSeparator() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").plusSeparator("-").build();
            assertThat(router.plusSeparator()).isEqualTo("-");
            assertThat(resolve(router, "bob-lists@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "bob+lists@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void treatsEveryCharacterOfTheSeparatorAsASeparator() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").plusSeparator("+-").build();
            assertThat(resolve(router, "bob-x@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "bob+x@example.org")).isEqualTo(local("bob@example.org"));
        }

        @Test
        void canBeDisabled() {
            user("bob@example.org");
            Router router = builder().localDomain("example.org").plusSeparator("").build();
            assertThat(resolve(router, "bob+lists@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void triesTheCatchAllAfterTheBaseAddress() {
            user("bob@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org").catchAll("example.org", "carol").build();
            assertThat(resolve(router, "bob+x@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "nobody+x@example.org")).isEqualTo(local("carol@example.org"));
        }

        @Test
        void exposesTheTag() {
            assertThat(Router.subaddressTag(MailAddress.parse("bob+lists@example.org"), "+")).contains("lists");
            assertThat(Router.subaddressTag(MailAddress.parse("bob+a+b@example.org"), "+")).contains("a+b");
            assertThat(Router.subaddressTag(MailAddress.parse("bob+@example.org"), "+")).contains("");
            assertThat(Router.subaddressTag(MailAddress.parse("bob-x@example.org"), "+-")).contains("x");
            assertThat(Router.subaddressTag(MailAddress.parse("bob@example.org"), "+")).isEmpty();
            assertThat(Router.subaddressTag(MailAddress.parse("+x@example.org"), "+")).isEmpty();
            assertThat(Router.subaddressTag(MailAddress.parse("bob+x@example.org"), "")).isEmpty();
        }

        @Test
        void rejectsUnusableSeparators() {
            assertThatThrownBy(() -> Router.builder().plusSeparator("@"))
                    .isInstanceOf(MailcoreException.class);
            assertThatThrownBy(() -> Router.builder().plusSeparator(" "))
                    .isInstanceOf(MailcoreException.class);
        }
    }

    @Nested
    class Postmaster {
        @Test
        void resolvesPostmasterOfEveryDomainToTheConfiguredTarget() {
            user("admin@example.org");
            Router router = builder().localDomain("example.org", "example.com").virtualDomain("shop.example")
                    .build();
            assertThat(resolve(router, "postmaster@example.com")).isEqualTo(local("admin@example.org"));
            assertThat(resolve(router, "PostMaster@shop.example")).isEqualTo(local("admin@example.org"));
        }

        @Test
        void prefersTheDomainsOwnPostmasterMailbox() {
            user("admin@example.org");
            user("postmaster@example.com");
            Router router = builder().localDomain("example.org", "example.com").build();
            assertThat(resolve(router, "postmaster@example.com")).isEqualTo(local("postmaster@example.com"));
        }

        @Test
        void fallsBackToAnAliasNamedPostmaster() {
            user("root@example.org");
            Router router = Router.builder().mailboxes(directory).localDomain("example.org")
                    .virtualDomain("shop.example").alias("postmaster", "root").build();
            assertThat(resolve(router, "postmaster@shop.example")).isEqualTo(local("root@example.org"));
        }

        @Test
        void fallsBackToThePostmasterMailboxOfAnotherLocalDomain() {
            user("postmaster@example.org");
            Router router = Router.builder().mailboxes(directory).localDomain("example.org", "example.com")
                    .build();
            assertThat(resolve(router, "postmaster@example.com")).isEqualTo(local("postmaster@example.org"));
        }

        @Test
        void fallsBackToTheFirstKnownUserOfThatDomain() {
            user("zed@example.org");
            user("anna@example.com");
            Router router = Router.builder().mailboxes(directory).localDomain("example.org", "example.com")
                    .knownUsers(() -> List.of("zed@example.org", "anna@example.com")).build();
            assertThat(resolve(router, "postmaster@example.com")).isEqualTo(local("anna@example.com"));
            assertThat(resolve(router, "postmaster@example.org")).isEqualTo(local("zed@example.org"));
        }

        @Test
        void isUnknownWithoutAnyFallbackInLenientMode() {
            Router router = Router.builder().mailboxes(directory).localDomain("example.org").build();
            assertThat(resolve(router, "postmaster@example.org")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void strictModeFailsTheBuildWhenPostmasterDoesNotResolve() {
            Router.Builder b = Router.builder().mailboxes(directory).localDomain("example.org")
                    .virtualDomain("shop.example").requirePostmaster(true);
            assertThatThrownBy(b::build).isInstanceOf(MailcoreException.class)
                    .hasMessageContaining("postmaster does not resolve in example.org, shop.example");
        }

        @Test
        void strictModeAcceptsAConfiguredPostmaster() {
            user("admin@example.org");
            Router router = builder().localDomain("example.org").virtualDomain("shop.example")
                    .requirePostmaster(true).build();
            assertThat(resolve(router, "postmaster@shop.example")).isEqualTo(local("admin@example.org"));
        }
    }

    @Nested
    class UnknownRecipients {
        @Test
        void deliversUnknownAddressesToTheAdminMailboxWhenConfigured() {
            user("bob@example.org");
            user("admin@example.org");
            Router router = builder().localDomain("example.org", "example.com")
                    .unknownRecipient("example.org", "admin@example.org").build();
            assertThat(resolve(router, "nobody@example.org")).isEqualTo(local("admin@example.org"));
            assertThat(resolve(router, "bob@example.org")).isEqualTo(local("bob@example.org"));
            assertThat(resolve(router, "nobody@example.com")).isEqualTo(Resolution.UNKNOWN);
        }

        @Test
        void theCatchAllTakesPrecedenceOverTheUnknownRecipientRule() {
            user("admin@example.org");
            user("carol@example.org");
            Router router = builder().localDomain("example.org")
                    .unknownRecipient("example.org", "admin").catchAll("example.org", "carol").build();
            assertThat(resolve(router, "nobody@example.org")).isEqualTo(local("carol@example.org"));
        }
    }

    @Test
    void returnsResultsThatDoNotDependOnPreviousCalls() {
        user("alice@example.org");
        user("bob@example.org");
        Router router = builder().localDomain("example.org").alias("team", "alice", "bob").build();
        Resolution first = resolve(router, "team@example.org");
        assertThat(resolve(router, "team@example.org")).isEqualTo(first);
        assertThat(resolve(router, "alice@example.org")).isEqualTo(local("alice@example.org"));
    }
}
