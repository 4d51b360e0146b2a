package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads RSA keys from PEM files with Bouncy Castle: private keys as PKCS#1 ({@code BEGIN RSA
 * PRIVATE KEY}, what {@code openssl genrsa} and U-Boot's key directory hold) or PKCS#8 ({@code
 * BEGIN PRIVATE KEY}); public keys as X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), PKCS#1
 * ({@code BEGIN RSA PUBLIC KEY}), a certificate ({@code BEGIN CERTIFICATE}, the {@code .crt} that
 * mkimage's key directory holds) or the public half of a private key. Every failure is an {@link
 * ImageException} whose one-line message names the file.
 */
public final class RsaKeys {
    private RsaKeys() {
    }

    /** The RSA private key in {@code file}. */
    public static RSAPrivateCrtKeyParameters readPrivate(Path file) throws ImageException {
        Object pem = readPem(file);
        try {
            PrivateKeyInfo info;
            if (pem instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (pem instanceof PrivateKeyInfo pki) {
                info = pki;
            } else {
                throw new ImageException(file + ": holds " + describe(pem)
                        + "; expected an RSA private key (PEM 'RSA PRIVATE KEY' or 'PRIVATE KEY')");
            }
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(info);
            if (key instanceof RSAPrivateCrtKeyParameters rsa) {
                return checked(file, rsa);
            }
            throw new ImageException(file + ": not an RSA key (algorithm "
                    + info.getPrivateKeyAlgorithm().getAlgorithm() + "); expected an RSA private key");
        } catch (IOException | RuntimeException e) {
            throw new ImageException(file + ": cannot decode the private key: " + e.getMessage(), e);
        }
    }

    /** The RSA public key in {@code file}, which may also hold a certificate or a private key. */
    public static RSAKeyParameters readPublic(Path file) throws ImageException {
        Object pem = readPem(file);
        if (pem instanceof PEMKeyPair || pem instanceof PrivateKeyInfo) {
            RSAPrivateCrtKeyParameters priv = readPrivate(file);
            return new RSAKeyParameters(false, priv.getModulus(), priv.getPublicExponent());
        }
        try {
            SubjectPublicKeyInfo info;
            if (pem instanceof SubjectPublicKeyInfo spki) {
                info = spki;
            } else if (pem instanceof X509CertificateHolder cert) {
                info = cert.getSubjectPublicKeyInfo();
            } else {
                throw new ImageException(file + ": holds " + describe(pem) + "; expected an RSA public key"
                        + " (PEM 'PUBLIC KEY', 'RSA PUBLIC KEY' or 'CERTIFICATE') or private key");
            }
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(info);
            if (key instanceof RSAKeyParameters rsa && !rsa.isPrivate()) {
                return checked(file, rsa);
            }
            throw new ImageException(file + ": not an RSA key (algorithm " + info.getAlgorithm().getAlgorithm()
                    + "); expected an RSA public key");
        } catch (IOException | RuntimeException e) {
            throw new ImageException(file + ": cannot decode the public key: " + e.getMessage(), e);
        }
    }

    /** The size of the key's modulus in bits, as U-Boot's {@code rsa,num-bits} holds it. */
    public static int bits(RSAKeyParameters key) {
        return key.getModulus().bitLength();
    }

    private static <K extends RSAKeyParameters> K checked(Path file, K key) throws ImageException {
        int bits = bits(key);
        if (!FitAlgorithms.rsaSizes().contains(bits)) {
            throw new ImageException(file + ": a " + bits + "-bit RSA key; expected one of "
                    + FitAlgorithms.rsaSizes() + " bits (U-Boot's rsa2048, rsa3072, rsa4096)");
        }
        return key;
    }

    private static Object readPem(Path file) throws ImageException {
        try (Reader in = Files.newBufferedReader(file); PEMParser parser = new PEMParser(in)) {
            Object pem = parser.readObject();
            if (pem == null) {
                throw new ImageException(file + ": no PEM object found; expected a key in PEM form (-----BEGIN ...-----)");
            }
            if (pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new ImageException(file + ": the key is encrypted; expected an unencrypted key"
                        + " (openssl pkey -in KEY -out PLAIN.pem)");
            }
            return pem;
        } catch (NoSuchFileException e) {
            throw new ImageException(file + ": no such file; expected a PEM key");
        } catch (IOException | RuntimeException e) {
            throw new ImageException(file + ": not a readable PEM key: " + oneLine(e.getMessage()), e);
        }
    }

    private static String describe(Object pem) {
        return pem.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String oneLine(String s) {
        return s == null ? "(no detail)" : s.replaceAll("\\s+", " ").trim();
    }
}
