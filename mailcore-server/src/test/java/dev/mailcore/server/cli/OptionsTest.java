package dev.mailcore.server.cli;

import dev.mailcore.delivery.smtp.Route;
import dev.mailcore.delivery.smtp.Routes;
import dev.mailcore.delivery.smtp.SmarthostAuth;
import dev.mailcore.delivery.smtp.TlsPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void parsesTheBenchmarkFlagSet() {
        Options o = Options.parse(new String[] {"--smtp-port", "24025", "--imap-port", "24143", "--pop3-port",
                "24110", "--user", "user@example.com:secret"});
        assertThat(o.ports()).containsExactly(Map.entry("smtp", 24025), Map.entry("imap", 24143),
                Map.entry("pop3", 24110));
        assertThat(o.notices()).isEmpty();
        assertThat(o.users()).singleElement().satisfies(u -> assertThat(u).containsExactly("user@example.com", "secret"));
    }

    @Test
    void passwordMayContainColonsButAddressIsUpToTheLastOne() {
        Options o = Options.parse(new String[] {"--user=a@example.com:pa:ss"});
        assertThat(o.users().get(0)).containsExactly("a@example.com:pa", "ss");
    }

    @Test
    void storeSettingsCarryQuotaAndFolders() {
        Options o = Options.parse(new String[] {"--store", "maildir:/var/mail", "--quota-bytes", "1000",
                "--folder", "Sent=\\Sent", "--folder", "Notes"});
        StoreSettings s = o.storeSettings();
        assertThat(s.spec()).isEqualTo("maildir:/var/mail");
        assertThat(s.quotaBytes()).isEqualTo(1000);
        assertThat(s.quotaMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.defaultFolders()).isTrue();
        assertThat(s.folders()).containsExactly("Sent=\\Sent", "Notes");
        assertThat(Options.parse(new String[] {"--no-default-folders"}).storeSettings().defaultFolders()).isFalse();
        assertThat(Options.parse(new String[] {"--store", "jdbc:h2:file:/tmp/x/mail"}).storeSettings().spec())
                .isEqualTo("jdbc:h2:file:/tmp/x/mail");
    }

    @Test
    void routingPolicyAndLimitSettingsBuildAServer(@TempDir Path dir) throws Exception {
        Path aliases = dir.resolve("aliases");
        Files.writeString(aliases, "sales: a\n");
        Path access = dir.resolve("access");
        Files.writeString(access, "Connect:192.0.2.1 REJECT\n");
        Options o = Options.parse(new String[] {"--user", "a@example.com:x", "--alias-file", aliases.toString(),
                "--access-file", access.toString(), "--relay-network", "192.168.0.0/16", "--relay-domain",
                "backup.example", "--require-fqdn-helo", "--sender-deny", "spam.example", "--rate-per-ip", "60",
                "--rate-per-user", "100", "--domain-size-limit", "small.example=1000", "--max-recipients", "10",
                "--max-transactions", "5", "--command-timeout", "60", "--data-timeout", "30",
                "--max-connections", "50", "--max-connections-per-ip", "5", "--plus-separator", "-"});
        assertThat(o.toBuilder().build()).isNotNull();
        assertThat(o.accessRules()).isNotNull();
        assertThatThrownBy(() -> Options.parse(new String[] {"--domain-size-limit", "nolimit"}).toBuilder())
                .hasMessageContaining("DOMAIN=BYTES");
        assertThatThrownBy(() -> Options.parse(new String[] {"--command-timeout", "soon"}))
                .hasMessageContaining("number");
    }

    @Test
    void theReadmeExampleConfigFileParses(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("# /etc/mailcore/mailcore.conf");
        String block = readme.substring(start, readme.indexOf("```", start));
        Path conf = dir.resolve("mailcore.conf");
        Files.writeString(conf, block);
        Options o = Options.parse(new String[] {"--config", conf.toString()});
        assertThat(o.ports()).containsEntry("smtp", 25).containsEntry("submission", 587).containsEntry("smtps", 465);
        assertThat(o.storeSettings().spec()).isEqualTo("maildir:/var/mail");
        assertThat(o.users()).hasSize(2);
    }

    @Test
    void demoAddsAllListenersAndTheDemoUser() {
        Options o = Options.parse(new String[] {"--demo"});
        assertThat(o.ports()).containsExactly(Map.entry("smtp", 2525), Map.entry("submission", 2587),
                Map.entry("smtps", 2465), Map.entry("imap", 2143), Map.entry("imaps", 2993), Map.entry("pop3", 2110),
                Map.entry("pop3s", 2995));
        assertThat(o.users()).anySatisfy(u -> assertThat(u[0]).isEqualTo(Options.DEMO_USER));
    }

    @Test
    void demoPortsGiveWayToExplicitOnes() {
        Options o = Options.parse(new String[] {"--demo", "--pop3-port", "3110", "--pop3s-port", "3995"});
        assertThat(o.ports()).containsEntry("pop3", 3110).containsEntry("pop3s", 3995).containsEntry("imap", 2143);
    }

    @Test
    void parsesThePop3sPortAloneAndRejectsABadOne() {
        Options o = Options.parse(new String[] {"--pop3s-port", "24995"});
        assertThat(o.ports()).containsExactly(Map.entry("pop3s", 24995));
        assertThat(Options.parse(new String[] {"--pop3s-port=995"}).ports()).containsExactly(Map.entry("pop3s", 995));
        assertThat(o.toBuilder().build()).isNotNull();
        assertThatThrownBy(() -> Options.parse(new String[] {"--pop3s-port", "99999"}))
                .hasMessageContaining("--pop3s-port").hasMessageContaining("0-65535");
        assertThatThrownBy(() -> Options.parse(new String[] {"--pop3s-port", "pop"}))
                .hasMessageContaining("--pop3s-port");
        assertThatThrownBy(() -> Options.parse(new String[] {"--pop3s-port"})).hasMessageContaining("needs a value");
    }

    @Test
    void defaultsToSmtpOn2525() {
        assertThat(Options.parse(new String[0]).ports()).containsExactlyEntriesOf(java.util.Map.of("smtp", 2525));
    }

    @Test
    void rejectsBadInputWithClearMessages() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--smtp-port", "70000"})).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> Options.parse(new String[] {"--smtp-port"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"--user", "nopassword"})).hasMessageContaining("ADDRESS:PASSWORD");
        assertThatThrownBy(() -> Options.parse(new String[] {"--bogus"})).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> Options.parse(new String[] {"--store", "bogus"})).hasMessageContaining("maildir:DIR");
        assertThatThrownBy(() -> Options.parse(new String[] {"--store", "maildir:"})).hasMessageContaining("maildir:DIR");
        assertThatThrownBy(() -> Options.parse(new String[] {"--quota-bytes", "lots"})).hasMessageContaining("number");
        assertThatThrownBy(() -> Options.parse(new String[] {"--tls-cert", "a.pem"})).hasMessageContaining("go together");
    }

    @Test
    void configFileHoldsTheSameSettingsAndLaterFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("mailcore.conf");
        Files.writeString(conf, """
                # a comment
                smtp-port = 2626
                submission-port = 2627
                user = a@example.com:one
                user = b@example.com:two
                allow-insecure-auth = yes
                """);
        Options o = Options.parse(new String[] {"--config", conf.toString(), "--smtp-port", "2727"});
        assertThat(o.ports()).containsEntry("smtp", 2727).containsEntry("submission", 2627);
        assertThat(o.users()).hasSize(2);
    }

    @Test
    void configFileErrorsNameFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "smtp-port = 25\nno-such-setting = 1\n");
        assertThatThrownBy(() -> Options.parse(new String[] {"--config=" + conf}))
                .hasMessageContaining("bad.conf:2").hasMessageContaining("no-such-setting");
        Files.writeString(conf, "smtp-port = banana\n");
        assertThatThrownBy(() -> Options.parse(new String[] {"--config", conf.toString()}))
                .hasMessageContaining("port number");
        assertThatThrownBy(() -> Options.parse(new String[] {"--config", dir.resolve("missing").toString()}))
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void helpListsEveryContractFlag() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        for (String flag : new String[] {"--smtp-port", "--submission-port", "--smtps-port", "--imap-port",
                "--pop3-port", "--pop3s-port", "--imaps-port", "--user", "--store", "--demo", "--bind"}) {
            assertThat(help).contains(flag);
        }
    }

    @Test
    void usageErrorExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--nope"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --nope");
    }

    @Test
    void outboundFlagsGiveTheQueueDirectoryAndTlsPolicy() {
        Options o = Options.parse(new String[] {"--queue-dir", "/var/spool/mailcore", "--relayhost",
                "[relay.example.net]:587", "--smtp-tls-policy", "encrypt"});
        Options.Outbound out = o.outbound();
        assertThat(out.queueDirectory()).isEqualTo(Path.of("/var/spool/mailcore"));
        assertThat(out.tlsPolicy()).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(out.routes()).as("the relay host alone is MailServer's relayHost").isNull();
        assertThat(o.notices()).isEmpty();
        assertThat(Options.parse(new String[] {"--smtp-tls-policy", "verify"}).outbound().tlsPolicy())
                .isEqualTo(TlsPolicy.VERIFY);
        assertThat(Options.parse(new String[0]).outbound())
                .isEqualTo(new Options.Outbound(null, null, null));
    }

    @Test
    void transportFileRoutesComeFirstAndTheRelayHostTakesTheRest(@TempDir Path dir) throws Exception {
        Path transport = dir.resolve("transport");
        Files.writeString(transport, """
                example.com   smtp:[mx.example.com]:25
                old.example   error:5.1.1 gone
                """);
        Routes routes = Options.parse(new String[] {"--queue-dir", dir.toString(), "--transport-file",
                transport.toString(), "--relayhost", "[relay.example.net]:587"}).outbound().routes();
        assertThat(routes.routeFor("example.com")).isInstanceOfSatisfying(Route.Smarthost.class, s -> {
            assertThat(s.host()).isEqualTo("mx.example.com");
            assertThat(s.port()).isEqualTo(25);
        });
        assertThat(routes.routeFor("old.example")).isInstanceOf(Route.Refuse.class);
        assertThat(routes.routeFor("elsewhere.test")).isInstanceOfSatisfying(Route.Smarthost.class,
                s -> assertThat(s.host()).isEqualTo("relay.example.net"));
        assertThat(Options.parse(new String[] {"--queue-dir", dir.toString(), "--transport-file",
                transport.toString()}).outbound().routes().routeFor("elsewhere.test")).isInstanceOf(Route.Mx.class);
    }

    @Test
    void relayHostCredentialsFromTheCommandLineSplitAtTheFirstColonWithAWarning() {
        Options o = Options.parse(new String[] {"--queue-dir", "/q", "--relayhost", "[relay.example.net]:587",
                "--relayhost-auth", "user@example.com:pa:ss"});
        Route route = o.outbound().routes().routeFor("anywhere.test");
        assertThat(route).isInstanceOfSatisfying(Route.Smarthost.class, s -> {
            assertThat(s.host()).isEqualTo("relay.example.net");
            assertThat(s.port()).isEqualTo(587);
            assertThat(s.auth()).isEqualTo(new SmarthostAuth("user@example.com", "pa:ss"));
        });
        assertThat(o.notices()).anyMatch(n -> n.contains("--relayhost-auth-file"));
    }

    @Test
    void relayHostCredentialsFromAFileStayOffTheCommandLine(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("relay-secret");
        Files.writeString(secret, "# relay credentials\n\nrelay-user:s3cret\n");
        Options o = Options.parse(new String[] {"--queue-dir", dir.toString(), "--relayhost", "[127.0.0.1]:2525",
                "--relayhost-auth-file", secret.toString()});
        assertThat(((Route.Smarthost) o.outbound().routes().routeFor("x.test")).auth())
                .isEqualTo(new SmarthostAuth("relay-user", "s3cret"));
        assertThat(o.notices()).isEmpty();
    }

    @Test
    void everyOutboundSettingHasAConfigFileForm(@TempDir Path dir) throws Exception {
        Path transport = dir.resolve("transport");
        Files.writeString(transport, "example.com smtp:[mx.example.com]:25\n");
        Path conf = dir.resolve("mailcore.conf");
        Files.writeString(conf, "queue-dir = " + dir.resolve("queue") + "\n"
                + "relayhost = [relay.example.net]:587\n"
                + "relayhost-auth = user:secret\n"
                + "transport-file = " + transport + "\n"
                + "smtp-tls-policy = may\n");
        Options o = Options.parse(new String[] {"--config", conf.toString()});
        Options.Outbound out = o.outbound();
        assertThat(out.queueDirectory()).isEqualTo(dir.resolve("queue"));
        assertThat(out.tlsPolicy()).isEqualTo(TlsPolicy.OPPORTUNISTIC);
        assertThat(((Route.Smarthost) out.routes().routeFor("example.com")).host()).isEqualTo("mx.example.com");
        assertThat(((Route.Smarthost) out.routes().routeFor("other.test")).auth())
                .isEqualTo(new SmarthostAuth("user", "secret"));
        assertThat(o.notices()).as("a config file is no command line").isEmpty();
        Path authFile = dir.resolve("auth");
        Files.writeString(authFile, "u:p\n");
        Files.writeString(conf, "relayhost = [relay.example.net]\nrelayhost-auth-file = " + authFile + "\n");
        assertThat(((Route.Smarthost) Options.parse(new String[] {"--config", conf.toString()}).outbound().routes()
                .routeFor("x.test")).auth()).isEqualTo(new SmarthostAuth("u", "p"));
    }

    @Test
    void rejectsBadOutboundSettingsWithoutEchoingPasswords(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Options.parse(new String[] {"--relayhost-auth", "u:p"}))
                .hasMessageContaining("needs --relayhost");
        assertThatThrownBy(() -> Options.parse(new String[] {"--relayhost", "[r.example]", "--relayhost-auth",
                "no-colon-secret"})).hasMessageContaining("USER:PASSWORD").hasMessageNotContaining("no-colon-secret");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "u:p\n");
        assertThatThrownBy(() -> Options.parse(new String[] {"--relayhost", "[r.example]", "--relayhost-auth", "u:p",
                "--relayhost-auth-file", secret.toString()})).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> Options.parse(new String[] {"--relayhost", "[r.example]", "--relayhost-auth-file",
                dir.resolve("missing").toString()})).hasMessageContaining("cannot read --relayhost-auth-file");
        assertThatThrownBy(() -> Options.parse(new String[] {"--smtp-tls-policy", "sometimes"}))
                .hasMessageContaining("--smtp-tls-policy");
        assertThatThrownBy(() -> Options.parse(new String[] {"--queue-dir", "/q", "--transport-file",
                dir.resolve("missing").toString()})).hasMessageContaining("--transport-file");
        assertThatThrownBy(() -> Options.parse(new String[] {"--relayhost", "error:5.1.1 no"}))
                .hasMessageContaining("--relayhost");
    }

    @Test
    void relayHostWithoutAQueueIsNoticed() {
        assertThat(Options.parse(new String[] {"--relayhost", "[relay.example.net]"}).notices())
                .anyMatch(n -> n.contains("--queue-dir"));
    }
}
