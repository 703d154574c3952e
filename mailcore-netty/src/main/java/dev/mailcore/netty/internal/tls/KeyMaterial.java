package dev.mailcore.netty.internal.tls;

import dev.mailcore.api.MailcoreException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A private key with its certificate chain (leaf first), loaded or generated. */
public record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new MailcoreException("certificate chain is empty");
        }
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Generates an EC P-256 key pair and a self-signed X.509 v3 certificate for {@code CN=localhost} with subject
     * alternative names {@code localhost}, the given host names, {@code 127.0.0.1} and {@code ::1}, valid from one
     * day ago for one year.
     */
    public static KeyMaterial selfSigned(List<String> hostNames) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keyPair = generator.generateKeyPair();

            Set<String> dnsNames = new LinkedHashSet<>();
            dnsNames.add("localhost");
            for (String host : hostNames) {
                if (host != null && !host.isBlank()) {
                    dnsNames.add(host.trim().toLowerCase(Locale.ROOT));
                }
            }
            List<GeneralName> names = new ArrayList<>();
            for (String dns : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));

            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost");
            BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                    keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new KeyMaterial(keyPair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new MailcoreException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted). */
    public static KeyMaterial fromPem(Path certificateChain, Path privateKeyFile) {
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKeyFile);
        KeyMaterial material = new KeyMaterial(key, chain);
        material.checkKeyMatchesLeaf("PEM files " + certificateChain + " and " + privateKeyFile);
        return material;
    }

    /** Reads the (single) private key entry of a PKCS#12 key store; the key password is the store password. */
    public static KeyMaterial fromPkcs12(Path file, char[] password) {
        return fromPkcs12(loadPkcs12(file, password), file, password);
    }

    /** Reads the first private key entry of a loaded PKCS#12 key store read from {@code file}. */
    public static KeyMaterial fromPkcs12(KeyStore store, Path file, char[] password) {
        try {
            List<String> aliases = Collections.list(store.aliases());
            for (String alias : aliases) {
                if (store.isKeyEntry(alias)) {
                    Certificate[] certificates = store.getCertificateChain(alias);
                    if (certificates == null || certificates.length == 0) {
                        continue;
                    }
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : certificates) {
                        chain.add((X509Certificate) c);
                    }
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    return new KeyMaterial(key, chain);
                }
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new MailcoreException("cannot read the private key in PKCS#12 key store " + file + ": "
                    + e.getMessage(), e);
        }
        throw new MailcoreException("PKCS#12 key store " + file + " holds no private key entry with a certificate");
    }

    /** Loads a PKCS#12 key store, failing with a clear {@link MailcoreException}. */
    public static KeyStore loadPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new MailcoreException("cannot read PKCS#12 key store " + file + ": wrong password", e);
            }
            throw new MailcoreException("cannot read PKCS#12 key store " + file + ": " + describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new MailcoreException("cannot read PKCS#12 key store " + file + ": " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new MailcoreException("cannot read PEM certificate chain " + file + ": " + describe(e), e);
        }
        if (chain.isEmpty()) {
            throw new MailcoreException("PEM file " + file + " holds no certificate");
        }
        return chain;
    }

    static PrivateKey readPrivateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // a SEC1 key may come without its public part: convert only the private key info
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new MailcoreException("private key " + file + " is encrypted; give an unencrypted key");
                }
                if (object instanceof ASN1ObjectIdentifier) {
                    continue; // "EC PARAMETERS" block in front of a SEC1 key
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MailcoreException me) {
                throw me;
            }
            throw new MailcoreException("cannot read PEM private key " + file + ": " + describe(e), e);
        }
        throw new MailcoreException("PEM file " + file + " holds no private key");
    }

    /** Fails unless the private key signs what the leaf certificate's public key verifies. */
    void checkKeyMatchesLeaf(String source) {
        PublicKey publicKey = leaf().getPublicKey();
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return; // unknown algorithm: let the TLS layer decide
        }
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
                && !("EdDSA".equals(publicKey.getAlgorithm()) || "EdDSA".equals(privateKey.getAlgorithm()))) {
            throw new MailcoreException(source + ": the private key (" + privateKey.getAlgorithm()
                    + ") does not match the certificate's public key (" + publicKey.getAlgorithm() + ")");
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new MailcoreException(source + ": the private key does not match the leaf certificate "
                        + leaf().getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new MailcoreException(source + ": cannot check the private key against the certificate: "
                    + e.getMessage(), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "access denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
