package dev.mailcore.testing.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.X509TrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PKIX validation of the generated chains by a JDK trust manager, without sockets. */
class CertificatesTest {
    final CertificateAuthority ca = TestCertificates.authority();
    final X509TrustManager trust = ca.trust().trustManager();

    static X509Certificate[] chain(ServerCertificate c) {
        return c.chain().toArray(new X509Certificate[0]);
    }

    static String authType(ServerCertificate c) {
        return c.certificate().getPublicKey().getAlgorithm().equals("EC") ? "ECDHE_ECDSA" : "ECDHE_RSA";
    }

    @Test
    void theServerCertificateIsTrustedAndNamesLocalhost() throws Exception {
        ServerCertificate good = ca.server();
        trust.checkServerTrusted(chain(good), authType(good));
        Collection<List<?>> names = good.certificate().getSubjectAlternativeNames();
        assertThat(names).extracting(n -> (Object) n.get(1)).contains((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(good.certificate().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        good.certificate().checkValidity(new Date());
        assertThat(good.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(good.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anExpiredCertificateIsRefused() {
        ServerCertificate expired = ca.expired();
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(expired), authType(expired)))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aNotYetValidCertificateIsRefused() {
        ServerCertificate future = ca.notYetValid();
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(future), authType(future)))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aSelfSignedCertificateIsRefusedUnlessTrustedItself() throws Exception {
        ServerCertificate self = ca.selfSigned();
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(self), authType(self)))
                .isInstanceOf(CertificateException.class);
        self.trust().trustManager().checkServerTrusted(chain(self), authType(self));
    }

    @Test
    void aWeakKeyIsRefusedByTheDefaultAlgorithmConstraints() {
        ServerCertificate weak = ca.weakKey();
        assertThat(((RSAPublicKey) weak.certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(768);
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(weak), authType(weak)))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aWrongHostCertificateIsValidButNamesAnotherHost() throws Exception {
        ServerCertificate wrong = ca.wrongHost();
        trust.checkServerTrusted(chain(wrong), authType(wrong)); // the chain is fine; only the name is wrong
        assertThat(wrong.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly((Object) "wrong-host.invalid");
    }

    @Test
    void anotherAuthorityIsNotTrusted() {
        ServerCertificate foreign = TestCertificates.authority().server();
        assertThatThrownBy(() -> trust.checkServerTrusted(chain(foreign), authType(foreign)))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void pemAndKeyStoreFormsHoldTheSameMaterial() throws Exception {
        ServerCertificate good = ca.server("mail.example.test");
        assertThat(good.certificateChainPem()).startsWith("-----BEGIN CERTIFICATE-----")
                .contains("-----END CERTIFICATE-----");
        assertThat(good.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        char[] password = "pw".toCharArray();
        assertThat(good.keyStore(password).getCertificateChain("server")).hasSize(2);
        assertThat(good.keyStore(password).getKey("server", password)).isEqualTo(good.privateKey());
        assertThat(good.tlsConfig()).isSameAs(good.tlsConfig());
        assertThat(ca.trust().trustStore().size()).isEqualTo(1);
        assertThat(ca.trust().mailProperties("imaps")).containsKeys("mail.imaps.ssl.socketFactory",
                "mail.imaps.ssl.checkserveridentity");
    }
}
