package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailcoreException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.mailcore.smtp.policy.Sessions.from;
import static dev.mailcore.smtp.policy.Sessions.ip;
import static dev.mailcore.smtp.policy.Sessions.rcpt;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayControlTest {

    @Test
    void trustsClientsInConfiguredNetworksAtConnect() {
        RelayControl relay = RelayControl.builder().trustNetwork("192.0.2.0/24").trustNetwork("2001:db8::/32").build();
        assertThat(relay.onConnect(from("192.0.2.44"))).isEqualTo(Decision.RELAY);
        assertThat(relay.onConnect(from("2001:db8::5"))).isEqualTo(Decision.RELAY);
        assertThat(relay.onConnect(from("203.0.113.1"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void leavesRemoteRecipientsOfUntrustedClientsToTheBuiltInCheck() {
        RelayControl relay = RelayControl.builder().trustNetwork("192.0.2.0/24").relayDomain("backup.example").build();
        assertThat(relay.onRecipient(from("203.0.113.1"), sender("a@b.example"), rcpt("x@elsewhere.example")))
                .isEqualTo(Decision.ACCEPT);
    }

    @Test
    void relaysRecipientsOfRelayDomainsAndTheirSubdomains() {
        RelayControl relay = RelayControl.builder().relayDomain("Backup.Example").build();
        assertThat(relay.onRecipient(from("203.0.113.1"), sender("a@b.example"), rcpt("x@backup.example")))
                .isEqualTo(Decision.RELAY);
        assertThat(relay.onRecipient(from("203.0.113.1"), sender("a@b.example"), rcpt("x@mx.backup.example")))
                .isEqualTo(Decision.RELAY);
        assertThat(relay.onRecipient(from("203.0.113.1"), sender("a@b.example"), rcpt("x@notbackup.example")))
                .isEqualTo(Decision.ACCEPT);
    }

    @Test
    void leadingDotRelayDomainCoversOnlySubdomains() {
        RelayControl relay = RelayControl.builder().relayDomain(".backup.example").build();
        assertThat(relay.isRelayDomain("backup.example")).isFalse();
        assertThat(relay.isRelayDomain("a.backup.example")).isTrue();
    }

    @Test
    void trustsIpv4MappedClientsOfIpv4Networks() {
        RelayControl relay = RelayControl.builder().trustNetwork("127.0.0.0/8").build();
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertThat(relay.isTrusted(dev.mailcore.smtp.internal.policy.IpLiterals.byAddress(mapped))).isTrue();
    }

    @Test
    void resolvesTrustedHostNamesAtBuildAndAgainAtReload() {
        AtomicReference<List<InetAddress>> dns = new AtomicReference<>(List.of(ip("198.51.100.7")));
        List<String> asked = new ArrayList<>();
        RelayControl relay = RelayControl.builder().trustNetwork("Relay.Example.Net").hostResolver(h -> {
            asked.add(h);
            return dns.get();
        }).build();
        assertThat(asked).containsExactly("relay.example.net");
        assertThat(relay.onConnect(from("198.51.100.7"))).isEqualTo(Decision.RELAY);

        dns.set(List.of(ip("198.51.100.8")));
        assertThat(relay.onConnect(from("198.51.100.8"))).isEqualTo(Decision.ACCEPT);
        relay.reload();
        assertThat(relay.onConnect(from("198.51.100.8"))).isEqualTo(Decision.RELAY);
        assertThat(relay.onConnect(from("198.51.100.7"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void keepsPreviousAddressesWhenAHostStopsResolving() {
        AtomicReference<List<InetAddress>> dns = new AtomicReference<>(List.of(ip("198.51.100.7")));
        RelayControl relay = RelayControl.builder().trustNetwork("relay.example.net").hostResolver(h -> {
            if (dns.get() == null) {
                throw new MailcoreException("SERVFAIL");
            }
            return dns.get();
        }).build();
        dns.set(null);
        relay.reload();
        assertThat(relay.onConnect(from("198.51.100.7"))).isEqualTo(Decision.RELAY);
    }

    @Test
    void aHostThatNeverResolvedTrustsNobody() {
        RelayControl relay = RelayControl.builder().trustNetwork("relay.example.net")
                .hostResolver(h -> List.of()).build();
        assertThat(relay.trustedHosts()).containsEntry("relay.example.net", List.of());
        assertThat(relay.onConnect(from("198.51.100.7"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void rejectsInvalidNetworksAndDomains() {
        assertThatThrownBy(() -> RelayControl.builder().trustNetwork("192.0.2.0/40"))
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> RelayControl.builder().trustNetwork("not a host"))
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> RelayControl.builder().trustNetwork("192.0.2"))
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> RelayControl.builder().relayDomain("bad..example"))
                .isInstanceOf(MailcoreException.class);
    }
}
