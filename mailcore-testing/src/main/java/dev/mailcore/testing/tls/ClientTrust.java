package dev.mailcore.testing.tls;

import dev.mailcore.api.MailcoreException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

/**
 * What a client trusts: a set of anchors (an authority or one certificate) and nothing else, with full PKIX
 * validation (dates, key sizes, usages). Host names are checked by the client: Jakarta Mail does it with
 * {@code mail.<protocol>.ssl.checkserveridentity}, which {@link #mailProperties} turns on.
 */
public final class ClientTrust {
    private final List<X509Certificate> anchors;

    ClientTrust(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    /** The trusted certificates. */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    /** A PKCS#12 trust store holding the anchors. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("trusted-" + i, anchors.get(i));
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new MailcoreException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** A PKIX trust manager over {@link #trustStore()}. */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore());
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new MailcoreException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    /** A client TLS context that trusts the anchors only. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new MailcoreException("cannot build a client TLS context: " + e.getMessage(), e);
        }
    }

    public SSLSocketFactory socketFactory() {
        return sslContext().getSocketFactory();
    }

    /**
     * Jakarta Mail properties for {@code protocol} ({@code smtp}, {@code smtps}, {@code imap}, {@code imaps},
     * {@code pop3}, {@code pop3s}): this trust as the SSL socket factory (used for implicit TLS and STARTTLS) and
     * server identity checks on.
     */
    public Properties mailProperties(String protocol) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".ssl.socketFactory", socketFactory());
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        return p;
    }
}
