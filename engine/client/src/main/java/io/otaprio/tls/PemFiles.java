package io.otaprio.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and private keys read from PEM files with the JDK alone: what {@code ./otaprio certs} and
 * {@code openssl} write. A file that is not what it should be is refused with its path and what to do about it.
 */
public final class PemFiles
{
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String[] KEY_ALGORITHMS = {"EC", "RSA", "Ed25519", "Ed448"};

    private PemFiles()
    {
    }

    /**
     * @param file PEM with one or more {@code CERTIFICATE} blocks (a chain: the end entity first).
     * @return the certificates in file order.
     * @throws IOException if the file cannot be read or holds no certificate.
     */
    public static List<X509Certificate> certificates(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final List<X509Certificate> certificates = new ArrayList<>();
        try
        {
            for (final Certificate certificate :
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)))
            {
                certificates.add((X509Certificate)certificate);
            }
        }
        catch (final CertificateException ex)
        {
            throw new IOException(file + ": not PEM certificates: " + ex.getMessage(), ex);
        }
        if (certificates.isEmpty())
        {
            throw new IOException(file + ": holds no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /**
     * @param file PEM with one unencrypted PKCS#8 {@code PRIVATE KEY} block (EC, RSA, Ed25519 or Ed448).
     * @return the key.
     * @throws IOException if the file cannot be read or holds another kind of key.
     */
    public static PrivateKey privateKey(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        {
            throw new IOException(file + ": an encrypted key; use a PKCS#12 key store with passwordFile or " +
                "passwordEnv instead");
        }
        final String begin = "-----BEGIN " + PRIVATE_KEY + "-----";
        final int start = text.indexOf(begin);
        final int end = text.indexOf("-----END " + PRIVATE_KEY + "-----");
        if (start < 0 || end < start)
        {
            throw new IOException(file + ": no unencrypted PKCS#8 key (expected -----BEGIN PRIVATE KEY-----; " +
                "convert one with openssl pkcs8 -topk8 -nocrypt)");
        }
        final byte[] der;
        try
        {
            der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": the key is not valid base64: " + ex.getMessage(), ex);
        }
        for (final String algorithm : KEY_ALGORITHMS)
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (final GeneralSecurityException ignore)
            {
                // Not this algorithm's key: try the next.
            }
        }
        throw new IOException(file + ": not an EC, RSA, Ed25519 or Ed448 PKCS#8 key");
    }
}
