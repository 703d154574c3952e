package dev.mailcore.testing.tls;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.netty.TlsConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server key and certificate chain (leaf first) made at runtime, for a mailcore server ({@link #tlsConfig()}) or
 * any other TLS server ({@link #keyStore}, PEM). Thread-safe.
 */
public final class ServerCertificate {
    private static final char[] PASSWORD = "mailcore-test".toCharArray();

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final String description;
    private TlsConfig tlsConfig;

    ServerCertificate(PrivateKey privateKey, List<X509Certificate> chain, String description) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.description = description;
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf first, then the issuing authority (a self-signed certificate's chain is just itself). */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The server configuration for {@code MailServer.Builder.tls(...)}: a PKCS#12 file written once to a temporary
     * file (deleted when the JVM exits).
     */
    public synchronized TlsConfig tlsConfig() {
        if (tlsConfig == null) {
            try {
                Path file = Files.createTempFile("mailcore-test-cert", ".p12");
                file.toFile().deleteOnExit();
                try (OutputStream out = Files.newOutputStream(file)) {
                    keyStore(PASSWORD).store(out, PASSWORD);
                }
                tlsConfig = TlsConfig.pkcs12(file, PASSWORD);
            } catch (IOException | GeneralSecurityException e) {
                throw new MailcoreException("cannot write the key store: " + e.getMessage(), e);
            }
        }
        return tlsConfig;
    }

    /** A PKCS#12 key store with the key and chain under the alias {@code server}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new MailcoreException("cannot build the key store: " + e.getMessage(), e);
        }
    }

    /** The chain in PEM form. */
    public String certificateChainPem() {
        StringBuilder sb = new StringBuilder();
        chain.forEach(c -> sb.append(Pem.encode(c)));
        return sb.toString();
    }

    /** The private key in PKCS#8 PEM form. */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    /** Trust material that trusts exactly this leaf certificate (for self-signed certificates). */
    public ClientTrust trust() {
        return new ClientTrust(List.of(certificate()));
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + description + ", " + certificate().getSubjectX500Principal() + "]";
    }
}
