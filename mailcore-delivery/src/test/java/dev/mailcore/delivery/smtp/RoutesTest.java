package dev.mailcore.delivery.smtp;

import dev.mailcore.api.MailcoreException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutesTest {

    @Test
    void looksUpExactDomainThenParentsThenWildcard() {
        Route relay = Route.smarthost("relay.test", 587);
        Route sub = Route.smarthost("sub.relay", 0);
        Routes routes = Routes.builder()
                .route("example.com", relay)
                .route(".example.com", sub)
                .route("*", Route.DISCARD)
                .build();

        assertThat(routes.routeFor("example.com")).isEqualTo(relay);
        assertThat(routes.routeFor("EXAMPLE.com.")).isEqualTo(relay);
        assertThat(routes.routeFor("a.b.example.com")).isEqualTo(sub);
        assertThat(routes.routeFor("other.org")).isEqualTo(Route.DISCARD);
        assertThat(Routes.mxOnly().routeFor("other.org")).isEqualTo(Route.MX);
    }

    @Test
    void aDomainEntryDoesNotMatchItsSubdomains() {
        Routes routes = Routes.builder().route("example.com", Route.DISCARD).build();

        assertThat(routes.routeFor("mail.example.com")).isEqualTo(Route.MX);
    }

    @Test
    void matchesInternationalDomainsInEitherForm() {
        Routes routes = Routes.builder().route("bücher.example", Route.DISCARD).build();

        assertThat(routes.routeFor("xn--bcher-kva.example")).isEqualTo(Route.DISCARD);
        assertThat(routes.routeFor("BÜCHER.example")).isEqualTo(Route.DISCARD);
    }

    @Test
    void parsesAPostfixLikeTransportTable() {
        Routes routes = Routes.parse(new StringReader(String.join("\n",
                "# comment",
                "",
                "example.com      smtp:[relay.example.net]:587",
                "example.org      smtp:mx-relay.example.net",
                ".corp.example    relay:[10.0.0.5]",
                "v6.example       smtp:[ipv6:2001:db8::1]:2525",
                "gone.example     error:5.1.1 no such domain here",
                "slow.example     retry:",
                "   4.4.0 later on",
                "void.example     discard:",
                "plain.example    :",
                "*                smtp:[smarthost.example]")));

        assertThat(routes.routeFor("example.com"))
                .isEqualTo(new Route.Smarthost("relay.example.net", 587, false, null, null));
        assertThat(routes.routeFor("example.org"))
                .isEqualTo(new Route.Smarthost("mx-relay.example.net", 0, true, null, null));
        assertThat(routes.routeFor("a.corp.example")).isEqualTo(Route.smarthost("10.0.0.5", 0));
        assertThat(routes.routeFor("v6.example")).isEqualTo(Route.smarthost("2001:db8::1", 2525));
        Route.Refuse gone = (Route.Refuse) routes.routeFor("gone.example");
        assertThat(gone.reply().code()).isEqualTo(550);
        assertThat(gone.reply().enhancedStatus()).isEqualTo("5.1.1");
        assertThat(gone.reply().lines()).containsExactly("no such domain here");
        Route.Refuse slow = (Route.Refuse) routes.routeFor("slow.example");
        assertThat(slow.reply().code()).isEqualTo(450);
        assertThat(slow.reply().enhancedStatus()).isEqualTo("4.4.0");
        assertThat(routes.routeFor("void.example")).isEqualTo(Route.DISCARD);
        assertThat(routes.routeFor("plain.example")).isEqualTo(Route.MX);
        assertThat(routes.routeFor("anything.else")).isEqualTo(Route.smarthost("smarthost.example", 0));
    }

    @Test
    void parsesARelayhostValue() {
        assertThat(Routes.parseRoute("[relay.example]:587")).isEqualTo(Route.smarthost("relay.example", 587));
        assertThat(Routes.parseRoute("relay.example")).isEqualTo(new Route.Smarthost("relay.example", 0, true, null,
                null));
        assertThat(Routes.parseRoute("relay.example:2525")).isEqualTo(new Route.Smarthost("relay.example", 2525,
                true, null, null));
    }

    @Test
    void parsesLmtpNextHops() {
        assertThat(Routes.parseRoute("lmtp:inet:127.0.0.1:24")).isEqualTo(new Route.Lmtp("127.0.0.1", 24));
        assertThat(Routes.parseRoute("lmtp:[store.internal]:2424")).isEqualTo(new Route.Lmtp("store.internal", 2424));
        assertThat(Routes.parseRoute("lmtp:store.internal:24")).isEqualTo(new Route.Lmtp("store.internal", 24));
        assertThatThrownBy(() -> Routes.parseRoute("lmtp:store.internal"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsSyntaxErrorsWithTheLineNumber() {
        assertThatThrownBy(() -> Routes.parse(new StringReader("ok.example smtp:\nbad.example\n")))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> Routes.parse(new StringReader("x.example lmtp:unix:/run/lmtp\n")))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("line 1")
                .hasMessageContaining("lmtp");
        assertThatThrownBy(() -> Routes.parse(new StringReader("x.example smtp:[relay:25\n")))
                .isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> Routes.parse(new StringReader("x.example smtp:[relay]:99999999\n")))
                .isInstanceOf(MailcoreException.class);
    }

    @Test
    void hidesSmarthostPasswords() {
        assertThat(new SmarthostAuth("user", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void parsesTlsPolicyNamesAndPostfixLevels() {
        assertThat(TlsPolicy.parse("may")).isEqualTo(TlsPolicy.OPPORTUNISTIC);
        assertThat(TlsPolicy.parse("ENCRYPT")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(TlsPolicy.parse("secure")).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicy.parse("none")).isEqualTo(TlsPolicy.NONE);
        assertThatThrownBy(() -> TlsPolicy.parse("maybe")).isInstanceOf(IllegalArgumentException.class);
    }
}
