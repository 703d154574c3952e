package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mailcore.smtp.policy.Sessions.from;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static dev.mailcore.smtp.policy.Sessions.withHelo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SenderChecksTest {
    static final Map<String, DomainResolver.Status> ZONE = Map.of(
            "example.com", DomainResolver.Status.FOUND,
            "nowhere.example", DomainResolver.Status.NOT_FOUND,
            "slow.example", DomainResolver.Status.TEMPORARY_FAILURE,
            "nomail.example", DomainResolver.Status.NULL_MX);
    final List<String> asked = new ArrayList<>();
    final DomainResolver fake = d -> {
        asked.add(d);
        return ZONE.getOrDefault(d, DomainResolver.Status.NOT_FOUND);
    };

    Decision mail(SenderChecks checks, String address) {
        return checks.onMailFrom(from("203.0.113.1"), sender(address), MailParameters.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "mx1.example.co.uk.", "[192.0.2.1]", "[IPv6:2001:db8::1]",
            "xn--bcher-kva.example", "bücher.example"})
    void acceptsFullyQualifiedHelos(String helo) {
        SenderChecks checks = SenderChecks.builder().requireFqdnHelo().build();
        assertThat(checks.onHelo(withHelo(helo))).isEqualTo(Decision.ACCEPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "192.0.2.1", "2001:db8::1", "[192.0.2.300]", "bad..example",
            "-bad.example", "under_score.example", "with space.example", "[garbage", ".example.com"})
    void rejectsHelosThatAreNotFullyQualified(String helo) {
        SenderChecks checks = SenderChecks.builder().requireFqdnHelo().build();
        assertThat(checks.onHelo(withHelo(helo))).isEqualTo(new Decision.Reject(SmtpReply.of(504, "5.5.2",
                "<" + helo + ">: Helo command rejected: need fully-qualified hostname")));
    }

    @Test
    void leavesHeloAloneWhenTheCheckIsOff() {
        assertThat(SenderChecks.builder().build().onHelo(withHelo("localhost"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void acceptsSendersWhoseDomainResolves() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake).build();
        assertThat(mail(checks, "a@EXAMPLE.com")).isEqualTo(Decision.ACCEPT);
        assertThat(asked).containsExactly("example.com");
    }

    @Test
    void rejectsSendersWhoseDomainDoesNotExist() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake).build();
        assertThat(mail(checks, "a@nowhere.example")).isEqualTo(new Decision.Reject(SmtpReply.of(550, "5.1.8",
                "<a@nowhere.example>: Sender address rejected: Domain not found")));
    }

    @Test
    void defersSendersWhenTheLookupTimesOut() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake).build();
        assertThat(mail(checks, "a@slow.example")).isEqualTo(new Decision.Defer(SmtpReply.of(451, "4.4.3",
                "<a@slow.example>: Sender address rejected: Domain lookup failed, try again later")));
    }

    @Test
    void rejectsSendersFromNullMxDomains() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake).build();
        assertThat(mail(checks, "a@nomail.example")).isInstanceOfSatisfying(Decision.Reject.class,
                r -> assertThat(r.reply().toWire()).startsWith("550 5.7.27 "));
    }

    @Test
    void exemptsTheNullSenderAndAddressLiteralsFromDomainChecks() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake).deny("example.com").build();
        assertThat(mail(checks, "<>")).isEqualTo(Decision.ACCEPT);
        assertThat(mail(checks, "a@[192.0.2.1]")).isEqualTo(Decision.ACCEPT);
        assertThat(asked).isEmpty();
    }

    @Test
    void deniesListedAddressesAndDomainsWithSubdomains() {
        SenderChecks checks = SenderChecks.builder().deny("Bad@example.com").deny("spam.example").build();
        Decision denied = new Decision.Reject(SmtpReply.of(550, "5.7.1",
                "<bad@example.com>: Sender address rejected: Access denied"));
        assertThat(mail(checks, "bad@example.com")).isEqualTo(denied);
        assertThat(mail(checks, "BAD@Example.COM")).isInstanceOf(Decision.Reject.class);
        assertThat(mail(checks, "good@example.com")).isEqualTo(Decision.ACCEPT);
        assertThat(mail(checks, "x@spam.example")).isInstanceOf(Decision.Reject.class);
        assertThat(mail(checks, "x@mx.spam.example")).isInstanceOf(Decision.Reject.class);
        assertThat(mail(checks, "x@notspam.example")).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void allowListWinsOverDenyListAndSkipsTheDomainCheck() {
        SenderChecks checks = SenderChecks.builder().requireResolvableSenderDomain(fake)
                .deny("nowhere.example").allow("friend@nowhere.example").build();
        assertThat(mail(checks, "friend@nowhere.example")).isEqualTo(Decision.ACCEPT);
        assertThat(mail(checks, "other@nowhere.example")).isInstanceOfSatisfying(Decision.Reject.class,
                r -> assertThat(r.reply().enhancedStatus()).isEqualTo("5.7.1"));
        assertThat(asked).isEmpty();

        SenderChecks byDomain = SenderChecks.builder().deny("x@partner.example").allow("partner.example").build();
        assertThat(mail(byDomain, "x@partner.example")).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void rejectsBadListEntries() {
        assertThatThrownBy(() -> SenderChecks.builder().deny("not an address@")).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> SenderChecks.builder().allow("bad..example")).isInstanceOf(MailcoreException.class);
    }
}
