package dev.mailcore.netty;

import dev.mailcore.api.MailcoreException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void selfSignedCertificateNamesLocalhostAndTheLoopbackAddresses() throws Exception {
        ServerTls tls = ServerTls.create(new TlsConfig.SelfSigned(List.of("mx.example.org")));
        X509Certificate leaf = tls.certificateChain().get(0);

        assertThat(tls.certificateChain()).hasSize(1);
        assertThat(leaf.getVersion()).isEqualTo(3);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        leaf.verify(leaf.getPublicKey());
        List<String> names = leaf.getSubjectAlternativeNames().stream()
                .map(entry -> entry.get(0) + ":" + entry.get(1)).collect(Collectors.toList());
        assertThat(names).contains("2:localhost", "2:mx.example.org", "7:127.0.0.1")
                .anyMatch(name -> name.startsWith("7:0:0:0:0:0:0:0:1"));
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void selfSignedCertificateIsValidFromYesterdayForAYear() {
        X509Certificate leaf = ServerTls.create(TlsConfig.selfSigned()).certificateChain().get(0);
        Instant now = Instant.now();
        assertThat(leaf.getNotBefore().toInstant()).isCloseTo(now.minus(Duration.ofDays(1)), within(
                Duration.ofMinutes(5).toMillis(), java.time.temporal.ChronoUnit.MILLIS));
        assertThat(leaf.getNotAfter().toInstant()).isCloseTo(now.plus(Duration.ofDays(365)), within(
                Duration.ofMinutes(5).toMillis(), java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void eachSelfSignedContextHasItsOwnKey() {
        X509Certificate a = ServerTls.create(TlsConfig.selfSigned()).certificateChain().get(0);
        X509Certificate b = ServerTls.create(TlsConfig.selfSigned()).certificateChain().get(0);
        assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
    }

    @Test
    void handlersEnableOnlyTls13AndTls12() {
        SslHandler handler = ServerTls.create(TlsConfig.selfSigned()).newHandler(ByteBufAllocator.DEFAULT, false);
        assertThat(handler.engine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(handler.engine().getUseClientMode()).isFalse();
    }

    @Test
    void trustStoreHoldsTheLeafAsTrustedCertificate() throws Exception {
        ServerTls tls = ServerTls.create(TlsConfig.selfSigned());
        KeyStore store = tls.trustStore();
        assertThat(store.getType()).isEqualToIgnoringCase("PKCS12");
        assertThat(store.size()).isEqualTo(1);
        String alias = store.aliases().nextElement();
        assertThat(store.isCertificateEntry(alias)).isTrue();
        assertThat(store.getCertificate(alias)).isEqualTo(tls.certificateChain().get(0));
    }

    @Test
    void clientContextSpeaksTls() {
        assertThat(ServerTls.create(TlsConfig.selfSigned()).clientContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void missingPemFileFailsWithAClearMessage() {
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(dir.resolve("nope.pem"), dir.resolve("key.pem"))))
                .isInstanceOf(MailcoreException.class)
                .hasMessageContaining("nope.pem").hasMessageContaining("no such file");
    }

    @Test
    void pemFileWithoutCertificateFails() throws Exception {
        Path garbage = Files.writeString(dir.resolve("cert.pem"), "hello, not a certificate\n");
        TestKeys keys = TestKeys.ec();
        Path key = keys.writePkcs8KeyPem(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(garbage, key)))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("no certificate");
    }

    @Test
    void corruptPemBlockFails() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        TestKeys keys = TestKeys.ec();
        Path key = keys.writePkcs8KeyPem(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(corrupt, key)))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("cert.pem");
    }

    @Test
    void keyFileWithoutKeyFails() throws Exception {
        TestKeys keys = TestKeys.ec();
        Path cert = keys.writeCertificatePem(dir.resolve("cert.pem"));
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(cert, cert)))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("no private key");
    }

    @Test
    void keyThatDoesNotMatchTheCertificateFails() throws Exception {
        Path cert = TestKeys.rsa().writeCertificatePem(dir.resolve("cert.pem"));
        Path otherKey = TestKeys.rsa().writePkcs8KeyPem(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(cert, otherKey)))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("does not match");
    }

    @Test
    void keyOfAnotherAlgorithmThanTheCertificateFails() throws Exception {
        Path cert = TestKeys.rsa().writeCertificatePem(dir.resolve("cert.pem"));
        Path otherKey = TestKeys.ec().writePkcs8KeyPem(dir.resolve("key.pem"));
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pem(cert, otherKey)))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("does not match");
    }

    @Test
    void pemFilesInAllKeyFormatsAreRead() throws Exception {
        TestKeys rsa = TestKeys.rsa();
        TestKeys ec = TestKeys.ec();
        Path rsaCert = rsa.writeCertificatePem(dir.resolve("rsa.pem"));
        Path ecCert = ec.writeCertificatePem(dir.resolve("ec.pem"));
        assertThat(ServerTls.create(TlsConfig.pem(rsaCert, rsa.writePkcs8KeyPem(dir.resolve("rsa8.key"))))
                .certificateChain()).containsExactly(rsa.certificate());
        assertThat(ServerTls.create(TlsConfig.pem(rsaCert, rsa.writeTraditionalKeyPem(dir.resolve("rsa1.key"))))
                .certificateChain()).containsExactly(rsa.certificate());
        assertThat(ServerTls.create(TlsConfig.pem(ecCert, ec.writeTraditionalKeyPem(dir.resolve("sec1.key"))))
                .certificateChain()).containsExactly(ec.certificate());
        assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("sec1.key"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("rsa8.key"))).contains("BEGIN PRIVATE KEY");
    }

    @Test
    void pkcs12WithWrongPasswordFailsWithAClearMessage() throws Exception {
        Path store = TestKeys.ec().writePkcs12(dir.resolve("server.p12"), "right".toCharArray());
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pkcs12(store, "wrong".toCharArray())))
                .isInstanceOf(MailcoreException.class)
                .hasMessageContaining("server.p12").hasMessageContaining("password");
    }

    @Test
    void pkcs12ThatIsNotAKeyStoreFails() throws Exception {
        Path store = Files.writeString(dir.resolve("server.p12"), "not a key store");
        assertThatThrownBy(() -> ServerTls.create(TlsConfig.pkcs12(store, "x".toCharArray())))
                .isInstanceOf(MailcoreException.class).hasMessageContaining("server.p12");
    }

    @Test
    void pkcs12IsRead() throws Exception {
        TestKeys keys = TestKeys.ec();
        Path store = keys.writePkcs12(dir.resolve("server.p12"), "pw".toCharArray());
        assertThat(ServerTls.create(TlsConfig.pkcs12(store, "pw".toCharArray())).certificateChain())
                .containsExactly(keys.certificate());
    }
}
