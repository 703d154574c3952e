package dev.mailcore.netty;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where a server's TLS key and certificate come from. */
public sealed interface TlsConfig {

    /** A key pair and self-signed certificate generated at start for localhost, 127.0.0.1 and ::1. */
    record SelfSigned(List<String> hostNames) implements TlsConfig {
        public SelfSigned {
            hostNames = List.copyOf(hostNames);
        }
    }

    /** PEM files: a certificate chain and a PKCS#8 (or PKCS#1/SEC1) private key. */
    record Pem(Path certificateChain, Path privateKey) implements TlsConfig {
        public Pem {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /** A PKCS#12 key store holding one private key entry. */
    record Pkcs12(Path keyStore, char[] password) implements TlsConfig {
        public Pkcs12 {
            Objects.requireNonNull(keyStore, "keyStore");
            password = password == null ? new char[0] : password.clone();
        }
    }

    /** A runtime certificate for localhost, 127.0.0.1 and ::1. */
    static TlsConfig selfSigned() {
        return new SelfSigned(List.of("localhost"));
    }

    static TlsConfig pem(Path certificateChain, Path privateKey) {
        return new Pem(certificateChain, privateKey);
    }

    static TlsConfig pkcs12(Path keyStore, char[] password) {
        return new Pkcs12(keyStore, password);
    }
}
