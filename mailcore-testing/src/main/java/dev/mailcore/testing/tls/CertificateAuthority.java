package dev.mailcore.testing.tls;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A certificate authority created at runtime that issues server certificates, good and deliberately bad. Its
 * {@link #trust()} is what a correctly configured client trusts: the good certificate passes, every bad one fails
 * for the reason its name says. Thread-safe (immutable).
 */
public final class CertificateAuthority {
    private final String name;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private CertificateAuthority(String name, PrivateKey key, X509Certificate certificate) {
        this.name = name;
        this.key = key;
        this.certificate = certificate;
    }

    static CertificateAuthority create(String name, Instant notBefore, Instant notAfter) {
        KeyPair pair = CertificateFactory.ecKey();
        X509Certificate cert = CertificateFactory.certificate(name, pair.getPublic(), name, pair.getPrivate(),
                notBefore, notAfter, true, new String[0]);
        return new CertificateAuthority(name, pair.getPrivate(), cert);
    }

    /** The authority's own (root) certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The root certificate in PEM form, for clients configured with files. */
    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** Trust material that trusts this authority and nothing else. */
    public ClientTrust trust() {
        return new ClientTrust(List.of(certificate));
    }

    /** A valid server certificate for these host names / IP addresses; default localhost, 127.0.0.1, ::1. */
    public ServerCertificate server(String... hosts) {
        Instant now = Instant.now();
        return issue(hosts, CertificateFactory.ecKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                "valid");
    }

    /** A server certificate whose validity ended yesterday (issued by this authority, right host names). */
    public ServerCertificate expired(String... hosts) {
        Instant now = Instant.now();
        return issue(hosts, CertificateFactory.ecKey(), now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)),
                "expired");
    }

    /** A server certificate that becomes valid only tomorrow. */
    public ServerCertificate notYetValid(String... hosts) {
        Instant now = Instant.now();
        return issue(hosts, CertificateFactory.ecKey(), now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                "not yet valid");
    }

    /** A valid certificate issued by this authority, but for {@code wrong-host.invalid} only. */
    public ServerCertificate wrongHost() {
        return server("wrong-host.invalid");
    }

    /**
     * A certificate with a 768-bit RSA key: issued by this authority for the right host names, but refused by a
     * default JDK client ({@code jdk.certpath.disabledAlgorithms} forbids RSA keys under 1024 bits).
     */
    public ServerCertificate weakKey(String... hosts) {
        Instant now = Instant.now();
        return issue(hosts, CertificateFactory.rsaKey(768), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), "weak key");
    }

    /** A self-signed certificate for the right host names that this authority did not issue (so it is untrusted). */
    public ServerCertificate selfSigned(String... hosts) {
        return CertificateFactory.selfSigned(hosts);
    }

    private ServerCertificate issue(String[] hosts, KeyPair pair, Instant notBefore, Instant notAfter,
                                    String description) {
        String[] names = CertificateFactory.hostsOrLocalhost(hosts);
        X509Certificate leaf = CertificateFactory.certificate(CertificateFactory.commonName(names), pair.getPublic(),
                name, key, notBefore, notAfter, false, names);
        return new ServerCertificate(pair.getPrivate(), List.of(leaf, certificate),
                description + " " + String.join(",", names));
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + name + "]";
    }
}
