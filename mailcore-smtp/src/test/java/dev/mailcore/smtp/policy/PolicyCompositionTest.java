package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.MailParameters;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.mailcore.smtp.policy.Sessions.from;
import static dev.mailcore.smtp.policy.Sessions.rcpt;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static org.assertj.core.api.Assertions.assertThat;

/** The policies combined with {@link DeliveryPolicy#allOf}, in the order the package documentation recommends. */
class PolicyCompositionTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SizeLimits size = SizeLimits.builder().limit("small.example", 100).build();
    final RateLimits rate = RateLimits.builder().messagesPerMinutePerIp(2).clock(clock).build();
    final AccessRules access = AccessRules.builder()
            .connect("192.0.2.66", AccessAction.REJECT)
            .from("spam.example", AccessAction.REJECT)
            .to("trap@backup.example", AccessAction.DISCARD)
            .build();
    final SenderChecks senders = SenderChecks.builder()
            .requireResolvableSenderDomain(d -> d.equals("nowhere.example")
                    ? DomainResolver.Status.NOT_FOUND : DomainResolver.Status.FOUND)
            .requireFqdnHelo().build();
    final RelayControl relay = RelayControl.builder().trustNetwork("192.0.2.0/24").relayDomain("backup.example")
            .build();
    final DeliveryPolicy chain = DeliveryPolicy.allOf(size, rate, access, senders, relay);

    @Test
    void refusingRulesBeforeRelayControlStillRefuseTrustedClients() {
        assertThat(chain.onConnect(from("192.0.2.66"))).isInstanceOf(Decision.Reject.class);
        assertThat(chain.onConnect(from("192.0.2.7"))).isEqualTo(Decision.RELAY);
        assertThat(chain.onConnect(from("203.0.113.7"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void firstNonAcceptDecisionWinsAtEachPhase() {
        var s = from("203.0.113.7");
        assertThat(chain.onHelo(Sessions.withHelo("localhost"))).isInstanceOf(Decision.Reject.class);
        assertThat(chain.onMailFrom(s, sender("x@spam.example"), MailParameters.NONE))
                .isInstanceOfSatisfying(Decision.Reject.class,
                        r -> assertThat(r.reply().lines().get(0)).isEqualTo("Access denied"));
        assertThat(chain.onMailFrom(s, sender("x@nowhere.example"), MailParameters.NONE))
                .isInstanceOfSatisfying(Decision.Reject.class,
                        r -> assertThat(r.reply().enhancedStatus()).isEqualTo("5.1.8"));
        assertThat(chain.onMailFrom(s, sender("x@fine.example"), MailParameters.NONE))
                .isInstanceOf(Decision.Defer.class); // the third MAIL from this IP within a minute
        var f = sender("x@fine.example");
        assertThat(chain.onRecipient(s, f, rcpt("trap@backup.example"))).isEqualTo(Decision.DISCARD);
        assertThat(chain.onRecipient(s, f, rcpt("other@backup.example"))).isEqualTo(Decision.RELAY);
        assertThat(chain.onRecipient(s, f, rcpt("other@elsewhere.example"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void sizeCheckComesBeforeRelayGrant() {
        var s = from("203.0.113.8");
        var f = sender("x@fine.example");
        assertThat(chain.onMailFrom(s, f, Sessions.size(500))).isEqualTo(Decision.ACCEPT);
        assertThat(chain.onRecipient(s, f, rcpt("x@small.example"))).isInstanceOf(Decision.Reject.class);
        assertThat(chain.onRecipient(s, f, rcpt("x@backup.example"))).isEqualTo(Decision.RELAY);
    }
}
