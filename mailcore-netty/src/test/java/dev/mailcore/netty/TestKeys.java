package dev.mailcore.netty;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Key pairs and certificates made at test time, and writers for the PEM and PKCS#12 files a user would have. */
record TestKeys(KeyPair keyPair, X509Certificate certificate) {

    static TestKeys rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return issue(generator.generateKeyPair(), "SHA256withRSA");
    }

    static TestKeys ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return issue(generator.generateKeyPair(), "SHA256withECDSA");
    }

    private static TestKeys issue(KeyPair keyPair, String signatureAlgorithm) throws Exception {
        X500Name name = new X500Name("CN=localhost, O=mailcore tests");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), name, keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keyPair.getPrivate())));
        return new TestKeys(keyPair, certificate);
    }

    Path writeCertificatePem(Path file) throws Exception {
        return writePem(file, certificate);
    }

    /** Traditional format: PKCS#1 for RSA, SEC1 for EC (with curve and public key, as OpenSSL writes it). */
    Path writeTraditionalKeyPem(Path file) throws Exception {
        if (keyPair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ecKey) {
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
                    org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ecKey.getEncoded());
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicInfo =
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ecKey.getParams().getOrder().bitLength(), ecKey.getS(), publicInfo.getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return writePem(file, new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return writePem(file, keyPair.getPrivate());
    }

    Path writePkcs8KeyPem(Path file) throws Exception {
        return writePem(file, new JcaPKCS8Generator(keyPair.getPrivate(), null));
    }

    Path writePkcs12(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keyPair.getPrivate(), password, new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return file;
    }

    private static Path writePem(Path file, Object object) throws Exception {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
        return file;
    }
}
