package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mailcore.smtp.policy.Sessions.from;
import static dev.mailcore.smtp.policy.Sessions.rcpt;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AccessRulesTest {
    static final String EXAMPLE = String.join("\n",
            "# clients",
            "Connect:192.0.2.1            REJECT",
            "Connect:198.51.100.0/24      RELAY",
            "Connect:IPv6:2001:db8::/32   OK",
            "Connect:dialup.example.net   ERROR:\"554 5.7.1 Dial-up clients must use their provider's relay\"",
            "",
            "# senders",
            "From:spammer@example.com     ERROR:\"550 5.7.1 Go away\"",
            "From:example.org             REJECT",
            "From:ceo@example.org         OK",
            "From:postmaster@             OK",
            "From:<>                      OK",
            "# recipients",
            "To:abuse@example.com         OK",
            "To:old.example.com           ERROR:\"550 5.1.6 Domain moved\"",
            "To:busy.example.com          DEFER",
            "To:backup.example            RELAY",
            "To:trap@example.com          DISCARD",
            "");

    static Decision reject(String wire) {
        return new Decision.Reject(SmtpReply.of(Integer.parseInt(wire.substring(0, 3)), wire.substring(4, 9),
                wire.substring(10)));
    }

    @Test
    void parsesTheReadmeExampleAndAppliesEachAction() {
        AccessRules rules = AccessRules.builder().reverseLookup(
                ip -> ip.getHostAddress().equals("203.0.113.5") ? Optional.of("ppp-5.dialup.example.net")
                        : Optional.empty()).parse(EXAMPLE, "access").build();
        assertThat(rules.size()).isEqualTo(14);
        assertThat(rules.onConnect(from("192.0.2.1"))).isEqualTo(reject("550 5.7.1 Access denied"));
        assertThat(rules.onConnect(from("198.51.100.9"))).isEqualTo(Decision.RELAY);
        assertThat(rules.onConnect(from("2001:db8::7"))).isEqualTo(Decision.ACCEPT);
        assertThat(rules.onConnect(from("203.0.113.5")))
                .isEqualTo(reject("554 5.7.1 Dial-up clients must use their provider's relay"));
        assertThat(rules.onConnect(from("203.0.113.6"))).isEqualTo(Decision.ACCEPT);

        MailParameters none = MailParameters.NONE;
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("Spammer@EXAMPLE.com"), none))
                .isEqualTo(reject("550 5.7.1 Go away"));
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("x@example.org"), none))
                .isEqualTo(reject("550 5.7.1 Access denied"));
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("x@sub.example.org"), none))
                .isEqualTo(reject("550 5.7.1 Access denied"));
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("ceo@example.org"), none)).isEqualTo(Decision.ACCEPT);
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("postmaster@example.org"), none))
                .isEqualTo(Decision.ACCEPT);
        assertThat(rules.onMailFrom(from("203.0.113.6"), sender("<>"), none)).isEqualTo(Decision.ACCEPT);

        var s = from("203.0.113.6");
        var f = sender("a@b.example");
        assertThat(rules.onRecipient(s, f, rcpt("abuse@example.com"))).isEqualTo(Decision.ACCEPT);
        assertThat(rules.onRecipient(s, f, rcpt("x@old.example.com"))).isEqualTo(reject("550 5.1.6 Domain moved"));
        assertThat(rules.onRecipient(s, f, rcpt("x@busy.example.com"))).isInstanceOf(Decision.Defer.class);
        assertThat(rules.onRecipient(s, f, rcpt("x@backup.example"))).isEqualTo(Decision.RELAY);
        assertThat(rules.onRecipient(s, f, rcpt("trap@example.com"))).isEqualTo(Decision.DISCARD);
        assertThat(rules.onRecipient(s, f, rcpt("other@example.com"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void addressRulesGoFromFullAddressToUserToDomainToParents() {
        AccessRules rules = AccessRules.builder()
                .from("com", AccessAction.DISCARD)
                .from("example.com", AccessAction.DEFER)
                .from("mail.example.com", AccessAction.RELAY)
                .from("bob@", AccessAction.REJECT)
                .from("bob@mail.example.com", AccessAction.OK)
                .build();
        assertThat(rules.lookupFrom(sender("bob@mail.example.com"))).contains(AccessAction.OK);
        assertThat(rules.lookupFrom(sender("bob@other.example.com"))).contains(AccessAction.REJECT);
        assertThat(rules.lookupFrom(sender("amy@mail.example.com"))).contains(AccessAction.RELAY);
        assertThat(rules.lookupFrom(sender("amy@x.mail.example.com"))).contains(AccessAction.RELAY);
        assertThat(rules.lookupFrom(sender("amy@other.example.com"))).contains(AccessAction.DEFER);
        assertThat(rules.lookupFrom(sender("amy@example.net.com"))).contains(AccessAction.DISCARD);
        assertThat(rules.lookupFrom(sender("amy@example.net"))).isEmpty();
        assertThat(rules.lookupFrom(sender("<>"))).isEmpty();
    }

    @Test
    void connectRulesGoFromExactIpToLongestNetworkToHostToDomainSuffixes() {
        List<InetAddress> lookedUp = new ArrayList<>();
        Map<String, String> ptr = Map.of("10.1.2.3", "a.b.example.net", "10.9.9.9", "c.example.net",
                "10.1.2.4", "a.b.example.net");
        AccessRules rules = AccessRules.builder()
                .reverseLookup(ip -> {
                    lookedUp.add(ip);
                    return Optional.ofNullable(ptr.get(ip.getHostAddress()));
                })
                .connect("10.0.0.0/8", AccessAction.DEFER)
                .connect("10.1.2.0/24", AccessAction.DISCARD)
                .connect("10.1.2.3", AccessAction.OK)
                .connect("example.net", AccessAction.REJECT)
                .connect("b.example.net", AccessAction.RELAY)
                .connect("172.16", AccessAction.RELAY)
                .build();
        assertThat(rules.lookupConnect(Sessions.ip("10.1.2.3"))).contains(AccessAction.OK);
        assertThat(rules.lookupConnect(Sessions.ip("10.1.2.4"))).contains(AccessAction.DISCARD);
        assertThat(rules.lookupConnect(Sessions.ip("10.200.0.1"))).contains(AccessAction.DEFER);
        assertThat(lookedUp).isEmpty(); // an IP rule matched each time: no reverse lookup needed
        assertThat(rules.lookupConnect(Sessions.ip("172.16.99.1"))).contains(AccessAction.RELAY);
        assertThat(rules.lookupConnect(Sessions.ip("172.17.0.1"))).isEmpty();

        AccessRules namesOnly = AccessRules.builder()
                .reverseLookup(ip -> Optional.ofNullable(ptr.get(ip.getHostAddress())))
                .connect("example.net", AccessAction.REJECT)
                .connect("b.example.net", AccessAction.RELAY)
                .connect("a.b.example.net", AccessAction.OK)
                .build();
        assertThat(namesOnly.lookupConnect(Sessions.ip("10.1.2.3"))).contains(AccessAction.OK);
        assertThat(namesOnly.lookupConnect(Sessions.ip("10.9.9.9"))).contains(AccessAction.REJECT);
        assertThat(namesOnly.lookupConnect(Sessions.ip("10.7.7.7"))).isEmpty();
    }

    @Test
    void hostRulesNeverMatchWithoutReverseLookup() {
        AccessRules rules = AccessRules.builder().connect("example.net", AccessAction.REJECT).build();
        assertThat(rules.onConnect(from("10.1.2.3"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void ipv4MappedClientsMatchIpv4Rules() {
        AccessRules rules = AccessRules.builder().connect("192.0.2.1", AccessAction.REJECT)
                .connect("198.51.100.0/24", AccessAction.DISCARD).build();
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        byte[] mapped2 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 198, 51, 100, 3};
        assertThat(rules.lookupConnect(dev.mailcore.smtp.internal.policy.IpLiterals.byAddress(mapped)))
                .contains(AccessAction.REJECT);
        assertThat(rules.lookupConnect(dev.mailcore.smtp.internal.policy.IpLiterals.byAddress(mapped2)))
                .contains(AccessAction.DISCARD);
    }

    @Test
    void ipv6ExactRulesMatchWhateverTheNotation() {
        AccessRules rules = AccessRules.builder().parse("Connect:IPv6:2001:DB8:0::1 REJECT", "t").build();
        assertThat(rules.onConnect(from("2001:db8::1"))).isInstanceOf(Decision.Reject.class);
        assertThat(rules.onConnect(from("2001:db8::2"))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void reportsEveryBadLineByNumber() {
        String text = String.join("\n",
                "# header",
                "Connect:192.0.2.1 REJECT",
                "Connect:192.0.2.300/24 REJECT",
                "From:someone@example.com",
                "To:x@example.com REJCT",
                "",
                "Spam:friend@example.com OK",
                "From:bad..domain OK",
                "To:user@example.com ERROR:\"250 2.0.0 nope\"",
                "connect:192.0.2.1 OK",
                "From:ok@example.com OK");
        AccessRulesException e = catchThrowableOfType(AccessRulesException.class,
                () -> AccessRules.builder().parse(text, "/etc/mail/access"));
        assertThat(e.problems()).hasSize(7);
        assertThat(e.problems().get(0)).startsWith("line 3: ");
        assertThat(e.problems().get(1)).startsWith("line 4: ").contains("missing action");
        assertThat(e.problems().get(2)).startsWith("line 5: ").contains("REJCT");
        assertThat(e.problems().get(3)).startsWith("line 7: ").contains("tag");
        assertThat(e.problems().get(4)).startsWith("line 8: ");
        assertThat(e.problems().get(5)).startsWith("line 9: ");
        assertThat(e.problems().get(6)).startsWith("line 10: ").contains("duplicate").contains("line 2");
        assertThat(e.getMessage()).contains("/etc/mail/access").contains("line 3:");
    }

    @Test
    void addsNothingFromTextWithErrors() {
        AccessRules.Builder b = AccessRules.builder().from("keep@example.com", AccessAction.OK);
        assertThatThrownBy(() -> b.parse("From:a@example.com REJECT\nFrom:b@example.com FOO", "t"))
                .isInstanceOf(AccessRulesException.class);
        AccessRules rules = b.build();
        assertThat(rules.size()).isEqualTo(1);
        assertThat(rules.lookupFrom(sender("a@example.com"))).isEmpty();
    }

    @Test
    void acceptsWindowsLineEndsTabsAndCaseInsensitiveTags() {
        AccessRules rules = AccessRules.builder()
                .parse("  # indented comment\r\nFROM:A@Example.COM\t\treject\r\nto:<b@example.com> discard\r\n", "t")
                .build();
        assertThat(rules.lookupFrom(sender("a@example.com"))).contains(AccessAction.REJECT);
        assertThat(rules.lookupTo(Sessions.rcpt("B@example.com").address())).contains(AccessAction.DISCARD);
    }

    @Test
    void nullSenderKeyIsOnlyForFrom() {
        assertThatThrownBy(() -> AccessRules.builder().parse("To:<> OK", "t"))
                .isInstanceOf(AccessRulesException.class).hasMessageContaining("line 1");
    }

    @Test
    void loadsFromAFileAndNamesItInErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("access");
        java.nio.file.Files.writeString(file, EXAMPLE);
        assertThat(AccessRules.load(file).size()).isEqualTo(14);
        assertThatThrownBy(() -> AccessRules.load(dir.resolve("missing")))
                .isInstanceOf(AccessRulesException.class).hasMessageContaining("missing");
    }
}
