package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final SessionInfo SESSION = new SessionInfo("s1", "smtp",
            InetSocketAddress.createUnresolved("client.example", 40000),
            InetSocketAddress.createUnresolved("mx.example", 25), "client.example", null, null);

    @Test
    void rejectNeedsAPermanentFailure() {
        assertThat(new Decision.Reject(SmtpReply.of(550, "5.7.1", "no")).reply().code()).isEqualTo(550);
        assertThatThrownBy(() -> new Decision.Reject(SmtpReply.of(450, "4.7.1", "later")))
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> new Decision.Reject(SmtpReply.of(250, "ok"))).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> Decision.reject(451, "4.0.0", "x")).isInstanceOf(MailcoreException.class);
        assertThat(Decision.reject(554, "5.7.1", "relay denied")).isInstanceOf(Decision.Reject.class);
    }

    @Test
    void deferNeedsATransientFailure() {
        assertThat(Decision.defer(451, "4.7.1", "greylisted")).isInstanceOf(Decision.Defer.class);
        assertThatThrownBy(() -> new Decision.Defer(SmtpReply.of(550, "no"))).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> new Decision.Defer(SmtpReply.of(354, "go"))).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> Decision.defer(550, "5.0.0", "x")).isInstanceOf(MailcoreException.class);
    }

    @Test
    void disconnectNeedsAFailure() {
        assertThat(new Decision.Disconnect(SmtpReply.of(421, "4.3.2", "bye")).reply().code()).isEqualTo(421);
        assertThat(new Decision.Disconnect(SmtpReply.of(554, "go away")).reply().code()).isEqualTo(554);
        assertThatThrownBy(() -> new Decision.Disconnect(SmtpReply.of(221, "bye")))
                .isInstanceOf(MailcoreException.class);
    }

    @Test
    void constructorsRejectANullReply() {
        assertThatThrownBy(() -> new Decision.Reject(null)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new Decision.Defer(null)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new Decision.Disconnect(null)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void acceptIsAPlainValue() {
        assertThat(Decision.ACCEPT).isEqualTo(new Decision.Accept());
    }

    // ---- DeliveryPolicy.allOf ----

    private static DeliveryPolicy answering(List<String> calls, String name, Decision d) {
        return new DeliveryPolicy() {
            @Override
            public Decision onConnect(SessionInfo session) {
                calls.add(name + ":connect");
                return d;
            }

            @Override
            public Decision onHelo(SessionInfo session) {
                calls.add(name + ":helo");
                return d;
            }

            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                calls.add(name + ":mail");
                return d;
            }

            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
                calls.add(name + ":rcpt");
                return d;
            }
        };
    }

    @Test
    void emptyChainAccepts() {
        DeliveryPolicy p = DeliveryPolicy.allOf();
        assertThat(p.onConnect(SESSION)).isInstanceOf(Decision.Accept.class);
        assertThat(DeliveryPolicy.allOf(List.of()).onHelo(SESSION)).isInstanceOf(Decision.Accept.class);
    }

    @Test
    void asksEveryPolicyInOrderWhenAllAccept() {
        List<String> calls = new ArrayList<>();
        DeliveryPolicy p = DeliveryPolicy.allOf(answering(calls, "a", Decision.ACCEPT),
                answering(calls, "b", new Decision.Accept()), answering(calls, "c", Decision.ACCEPT));
        assertThat(p.onConnect(SESSION)).isInstanceOf(Decision.Accept.class);
        assertThat(calls).containsExactly("a:connect", "b:connect", "c:connect");
    }

    @Test
    void firstNonAcceptWinsAndStopsTheChain() {
        List<String> calls = new ArrayList<>();
        Decision defer = Decision.defer(450, "4.7.1", "greylisted");
        Decision reject = Decision.reject(550, "5.7.1", "denied");
        DeliveryPolicy p = DeliveryPolicy.allOf(answering(calls, "a", Decision.ACCEPT),
                answering(calls, "b", defer), answering(calls, "c", reject));
        ReversePath from = ReversePath.parse("<a@b.example>");
        EnvelopeRecipient rcpt = EnvelopeRecipient.of(MailAddress.parse("r@c.example"));

        assertThat(p.onRecipient(SESSION, from, rcpt)).isSameAs(defer);
        assertThat(calls).containsExactly("a:rcpt", "b:rcpt");

        calls.clear();
        assertThat(p.onMailFrom(SESSION, from, MailParameters.NONE)).isSameAs(defer);
        assertThat(p.onHelo(SESSION)).isSameAs(defer);
        assertThat(calls).containsExactly("a:mail", "b:mail", "a:helo", "b:helo");
    }

    @Test
    void orderOfTheChainDecides() {
        List<String> calls = new ArrayList<>();
        Decision defer = Decision.defer(450, "4.7.1", "greylisted");
        Decision reject = Decision.reject(550, "5.7.1", "denied");
        DeliveryPolicy p = DeliveryPolicy.allOf(List.of(answering(calls, "r", reject), answering(calls, "d", defer)));
        assertThat(p.onConnect(SESSION)).isSameAs(reject);
        assertThat(calls).containsExactly("r:connect");
    }

    @Test
    void policiesThatOverrideNothingAccept() {
        DeliveryPolicy p = DeliveryPolicy.allOf(new DeliveryPolicy() {
        }, new DeliveryPolicy() {
        });
        assertThat(p.onMailFrom(SESSION, ReversePath.nullPath(), MailParameters.NONE))
                .isInstanceOf(Decision.Accept.class);
    }

    @Test
    void nestedChainsKeepTheirOrder() {
        List<String> calls = new ArrayList<>();
        Decision disconnect = new Decision.Disconnect(SmtpReply.of(421, "4.7.0", "too many"));
        DeliveryPolicy inner = DeliveryPolicy.allOf(answering(calls, "i1", Decision.ACCEPT),
                answering(calls, "i2", disconnect));
        DeliveryPolicy p = DeliveryPolicy.allOf(answering(calls, "o1", Decision.ACCEPT), inner,
                answering(calls, "o2", Decision.ACCEPT));
        assertThat(p.onConnect(SESSION)).isSameAs(disconnect);
        assertThat(calls).containsExactly("o1:connect", "i1:connect", "i2:connect");
    }

    @Test
    void chainIsNotChangedByLaterChangesToTheList() {
        List<DeliveryPolicy> list = new ArrayList<>();
        DeliveryPolicy p = DeliveryPolicy.allOf(list);
        list.add(answering(new ArrayList<>(), "x", Decision.reject(550, "5.0.0", "no")));
        assertThat(p.onConnect(SESSION)).isInstanceOf(Decision.Accept.class);
    }

    @Test
    void aPolicyAnsweringNullIsAProgrammingError() {
        DeliveryPolicy p = DeliveryPolicy.allOf(answering(new ArrayList<>(), "n", null));
        assertThatThrownBy(() -> p.onConnect(SESSION)).isInstanceOf(MailcoreException.class);
    }

    @Test
    void nullPoliciesAreRefused() {
        assertThatThrownBy(() -> DeliveryPolicy.allOf((DeliveryPolicy) null)).isInstanceOf(NullPointerException.class);
    }
}
