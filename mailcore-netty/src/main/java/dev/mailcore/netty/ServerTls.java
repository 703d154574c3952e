package dev.mailcore.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server TLS context built once from a {@link TlsConfig}: TLS 1.2 and 1.3 only. Creating one for {@link
 * TlsConfig.SelfSigned} generates the key pair and certificate (Bouncy Castle).
 */
public final class ServerTls {

    private ServerTls() {
    }

    /** Builds the context; fails with {@link dev.mailcore.api.MailcoreException} on unreadable or bad key material. */
    public static ServerTls create(TlsConfig config) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A new server-side handler for one connection. {@code startTls} is true for STARTTLS upgrades. */
    public SslHandler newHandler(ByteBufAllocator allocator, boolean startTls) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The certificate chain presented to clients, leaf first (for clients' trust stores in tests). */
    public List<X509Certificate> certificateChain() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A PKCS#12 trust store holding the leaf certificate, for clients that should trust this server (tests). */
    public java.security.KeyStore trustStore() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A client {@link javax.net.ssl.SSLContext} that trusts exactly this server's certificate (tests, examples). */
    public javax.net.ssl.SSLContext clientContext() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
