package io.otaprio.cli;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A development certificate authority: a self-signed CA that issues one TLS server certificate (for
 * {@code localhost} and {@code 127.0.0.1}) and client certificates named by their subject CN, all valid from a minute
 * before it was made (clock skew between two processes on one machine) for the same number of days. Certificates are
 * built with Bouncy Castle's PKIX module and signed through the JDK's own providers, so what is written is what the
 * JDK's TLS reads back. For trying TLS, not for production: the CA's key is an unencrypted file.
 */
final class DevelopmentCa
{
    /** The CA's subject, as the JDK shows it (RFC 2253: the most specific name first). */
    static final String CA_SUBJECT = "CN=otaprio development CA,O=otaprio";

    // In DER order, the least specific first: the reverse of how RFC 2253 (and CA_SUBJECT) write it.
    private static final X500Name CA_NAME = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "otaprio").addRDN(BCStyle.CN, "otaprio development CA").build();

    /** The server certificate's DNS name, also its CN. */
    static final String SERVER_DNS = "localhost";

    /** The server certificate's IP address. */
    static final String SERVER_IP = "127.0.0.1";

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final int SERIAL_BITS = 127;

    /** The kind of key every certificate of a CA gets, and how it signs. */
    enum KeyType
    {
        /** ECDSA on NIST P-256 (secp256r1), the default: small and fast. */
        EC("EC", "SHA256withECDSA", "EC P-256"),
        /** RSA of 2048 bits, for clients that cannot do ECDSA. */
        RSA("RSA", "SHA256withRSA", "RSA 2048");

        private final String algorithm;
        private final String signature;
        private final String label;

        KeyType(final String algorithm, final String signature, final String label)
        {
            this.algorithm = algorithm;
            this.signature = signature;
            this.label = label;
        }

        /**
         * @return how the key type is shown, e.g. {@code EC P-256}.
         */
        String label()
        {
            return label;
        }

        KeyPair generate(final SecureRandom random) throws GeneralSecurityException
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (this == EC)
            {
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            else
            {
                generator.initialize(2048, random);
            }
            return generator.generateKeyPair();
        }
    }

    /**
     * A certificate and its private key.
     *
     * @param certificate the certificate.
     * @param key         its private key.
     */
    record Issued(X509Certificate certificate, PrivateKey key)
    {
    }

    private final KeyType keyType;
    private final SecureRandom random;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Issued ca;
    private final JcaX509ExtensionUtils extensions;

    /**
     * Make a new CA: its key pair and self-signed certificate.
     *
     * @param keyType the key type of the CA and of everything it issues.
     * @param now     the time of making.
     * @param days    days of validity of the CA and of everything it issues.
     * @throws GeneralSecurityException when the JDK cannot make a key or sign.
     */
    DevelopmentCa(final KeyType keyType, final Instant now, final int days) throws GeneralSecurityException
    {
        this.keyType = keyType;
        this.random = new SecureRandom();
        this.notBefore = now.minus(CLOCK_SKEW);
        this.notAfter = now.plus(Duration.ofDays(days));
        this.extensions = new JcaX509ExtensionUtils();
        final KeyPair pair = keyType.generate(random);
        final X509v3CertificateBuilder builder = builder(CA_NAME, CA_NAME, pair.getPublic(), notBefore, notAfter);
        try
        {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()));
        }
        catch (final CertIOException ex)
        {
            throw new GeneralSecurityException("cannot encode the CA's extensions", ex);
        }
        this.ca = new Issued(sign(builder, pair.getPrivate()), pair.getPrivate());
    }

    /**
     * @return the CA's certificate and key.
     */
    Issued ca()
    {
        return ca;
    }

    /**
     * @return when every certificate of this CA starts being valid.
     */
    Instant notBefore()
    {
        return notBefore;
    }

    /**
     * @return when every certificate of this CA stops being valid.
     */
    Instant notAfter()
    {
        return notAfter;
    }

    /**
     * @return the key type of every certificate of this CA.
     */
    KeyType keyType()
    {
        return keyType;
    }

    /**
     * Issue the TLS server certificate: CN and DNS name {@code localhost}, IP address {@code 127.0.0.1}, extended key
     * usage serverAuth.
     *
     * @return the certificate and its key.
     * @throws GeneralSecurityException when the JDK cannot make a key or sign.
     */
    Issued issueServer() throws GeneralSecurityException
    {
        final GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, SERVER_DNS), new GeneralName(GeneralName.iPAddress, SERVER_IP) });
        return issue(SERVER_DNS, KeyPurposeId.id_kp_serverAuth, names);
    }

    /**
     * Issue a TLS client certificate: subject CN the client's name, extended key usage clientAuth.
     *
     * @param name the client's name.
     * @return the certificate and its key.
     * @throws GeneralSecurityException when the JDK cannot make a key or sign.
     */
    Issued issueClient(final String name) throws GeneralSecurityException
    {
        return issueClient(name, notBefore, notAfter);
    }

    /**
     * Issue a TLS client certificate valid for another period than the CA's: an expired one, to see it refused.
     *
     * @param name  the client's name.
     * @param from  the start of its validity.
     * @param until the end of its validity.
     * @return the certificate and its key.
     * @throws GeneralSecurityException when the JDK cannot make a key or sign.
     */
    Issued issueClient(final String name, final Instant from, final Instant until) throws GeneralSecurityException
    {
        return issue(name, KeyPurposeId.id_kp_clientAuth, null, from, until);
    }

    private Issued issue(final String commonName, final KeyPurposeId purpose, final GeneralNames names)
        throws GeneralSecurityException
    {
        return issue(commonName, purpose, names, notBefore, notAfter);
    }

    private Issued issue(
        final String commonName,
        final KeyPurposeId purpose,
        final GeneralNames names,
        final Instant from,
        final Instant until) throws GeneralSecurityException
    {
        final KeyPair pair = keyType.generate(random);
        // Built from its one RDN, not parsed: a name is never read as X.500 syntax.
        final X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        final X509v3CertificateBuilder builder = builder(CA_NAME, subject, pair.getPublic(), from, until);
        // RSA key exchange is gone in TLS 1.3, but a TLS 1.2 peer may still encipher to an RSA key.
        final int usage = keyType == KeyType.RSA ?
            KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
        try
        {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(ca.certificate()));
            if (null != names)
            {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
        }
        catch (final CertIOException ex)
        {
            throw new GeneralSecurityException("cannot encode the extensions of " + commonName, ex);
        }
        return new Issued(sign(builder, ca.key()), pair.getPrivate());
    }

    private X509v3CertificateBuilder builder(
        final X500Name issuer,
        final X500Name subject,
        final PublicKey key,
        final Instant from,
        final Instant until)
    {
        // A positive serial of 127 random bits: unique without state, within the 20 octets RFC 5280 allows.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(SERIAL_BITS, random).setBit(0),
            Date.from(from), Date.from(until), subject, key);
    }

    private X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey signer)
        throws GeneralSecurityException
    {
        try
        {
            final ContentSigner contentSigner = new JcaContentSignerBuilder(keyType.signature).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        }
        catch (final OperatorCreationException ex)
        {
            throw new GeneralSecurityException("cannot sign with " + keyType.signature, ex);
        }
    }
}
