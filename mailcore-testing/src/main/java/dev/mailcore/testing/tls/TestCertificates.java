package dev.mailcore.testing.tls;

import java.time.Duration;
import java.time.Instant;

/**
 * Entry point for runtime test certificates.
 *
 * <pre>{@code
 * CertificateAuthority ca = TestCertificates.authority();
 * ServerCertificate good = ca.server();            // localhost, 127.0.0.1, ::1
 * ServerCertificate expired = ca.expired();
 * MailServer.builder().tls(good.tlsConfig());
 * Properties props = ca.trust().mailProperties("smtp");   // a verifying client that trusts only this CA
 * }</pre>
 *
 * <p>Keys are EC P-256 (fast to generate) unless a certificate is deliberately weak. Nothing is cached or static:
 * every call generates new keys.
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A new certificate authority, valid from a day ago for a year. */
    public static CertificateAuthority authority() {
        return CertificateAuthority.create("CN=mailcore test CA " + Long.toHexString(System.nanoTime()),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    /**
     * A new self-signed server certificate (no authority) for these host names and IP addresses; default localhost,
     * 127.0.0.1 and ::1. Clients trust it only through {@link ServerCertificate#trust()}.
     */
    public static ServerCertificate selfSigned(String... hosts) {
        return CertificateFactory.selfSigned(hosts);
    }
}
