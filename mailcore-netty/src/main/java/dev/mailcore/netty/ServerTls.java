package dev.mailcore.netty;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.netty.internal.tls.KeyMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server TLS context built once from a {@link TlsConfig}: TLS 1.2 and 1.3 only. Creating one for {@link
 * TlsConfig.SelfSigned} generates the key pair and certificate (Bouncy Castle).
 *
 * <p>Instances are immutable and thread-safe; one may serve any number of listeners and servers.
 */
public final class ServerTls {

    /** The only protocols a server context enables, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SslContext sslContext;
    private final List<X509Certificate> chain;

    private ServerTls(SslContext sslContext, List<X509Certificate> chain) {
        this.sslContext = sslContext;
        this.chain = List.copyOf(chain);
    }

    /** Builds the context; fails with {@link dev.mailcore.api.MailcoreException} on unreadable or bad key material. */
    public static ServerTls create(TlsConfig config) {
        if (config == null) {
            throw new MailcoreException("TLS configuration is missing");
        }
        if (config instanceof TlsConfig.SelfSigned selfSigned) {
            return fromKeyMaterial(KeyMaterial.selfSigned(selfSigned.hostNames()), "self-signed certificate");
        }
        if (config instanceof TlsConfig.Pem pem) {
            return fromKeyMaterial(KeyMaterial.fromPem(pem.certificateChain(), pem.privateKey()),
                    "PEM files " + pem.certificateChain() + " and " + pem.privateKey());
        }
        TlsConfig.Pkcs12 pkcs12 = (TlsConfig.Pkcs12) config;
        char[] password = pkcs12.password();
        KeyStore store = KeyMaterial.loadPkcs12(pkcs12.keyStore(), password);
        KeyMaterial material = KeyMaterial.fromPkcs12(store, pkcs12.keyStore(), password);
        return build(store, password, material, "PKCS#12 key store " + pkcs12.keyStore());
    }

    private static ServerTls fromKeyMaterial(KeyMaterial material, String source) {
        char[] password = new char[0];
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", material.privateKey(), password,
                    material.chain().toArray(new X509Certificate[0]));
            return build(store, password, material, source);
        } catch (GeneralSecurityException | IOException e) {
            throw new MailcoreException("cannot build a TLS context from " + source + ": " + e.getMessage(), e);
        }
    }

    /*
     * The JDK context is built here and wrapped, rather than through SslContextBuilder.forServer: Netty's server
     * context class runs a one-time self-test in its static initialiser (parsing an RSA key, which loads the whole
     * Bouncy Castle provider when it is on the class path) that costs about a second of CPU at start.
     */
    private static ServerTls build(KeyStore store, char[] password, KeyMaterial material, String source) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            SslContext sslContext = new JdkSslContext(context, false, null, IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, PROTOCOLS.toArray(new String[0]), false);
            return new ServerTls(sslContext, material.chain());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MailcoreException("cannot build a TLS context from " + source + ": " + e.getMessage(), e);
        }
    }

    /** A new server-side handler for one connection. {@code startTls} is true for STARTTLS upgrades. */
    public SslHandler newHandler(ByteBufAllocator allocator, boolean startTls) {
        return new SslHandler(sslContext.newEngine(allocator), startTls);
    }

    /** The underlying Netty context, for protocols that need more than {@link #newHandler}. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** The certificate chain presented to clients, leaf first (for clients' trust stores in tests). */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** A PKCS#12 trust store holding the leaf certificate, for clients that should trust this server (tests). */
    public java.security.KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("mailcore-server", chain.get(0));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new MailcoreException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** A client {@link javax.net.ssl.SSLContext} that trusts exactly this server's certificate (tests, examples). */
    public javax.net.ssl.SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new MailcoreException("cannot build a client TLS context: " + e.getMessage(), e);
        }
    }
}
