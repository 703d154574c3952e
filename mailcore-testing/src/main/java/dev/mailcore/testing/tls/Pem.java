package dev.mailcore.testing.tls;

import dev.mailcore.api.MailcoreException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringWriter;

/** PEM encoding (package-private). */
final class Pem {
    private Pem() {
    }

    static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof java.security.PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new MailcoreException("cannot write PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
