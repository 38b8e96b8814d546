package io.otaprio.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts and engines as otaprio uses them: TLS 1.3 only, and a server that requires a client certificate.
 * The files are those {@code ./otaprio certs} writes: {@code ca.pem}, and {@code NAME.pem}/{@code NAME.key} per
 * identity.
 */
public final class TlsContexts
{
    /** The only protocol version offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";

    /** The trust store file of a certificates directory: the CA that signed every certificate in it. */
    public static final String CA_FILE = "ca.pem";

    private static final char[] IN_MEMORY_PASSWORD = "otaprio".toCharArray();

    private TlsContexts()
    {
    }

    /**
     * A client's context from a certificates directory.
     *
     * @param directory where {@code ca.pem}, {@code NAME.pem} and {@code NAME.key} are.
     * @param name      the client's name.
     * @return a TLS 1.3 context presenting that client's certificate and trusting that CA.
     * @throws IOException if a file is missing or is not what it should be.
     */
    public static SSLContext client(final Path directory, final String name) throws IOException
    {
        return context(
            keyManagers(PemFiles.certificates(directory.resolve(name + ".pem")),
                PemFiles.privateKey(directory.resolve(name + ".key"))),
            trustManagers(PemFiles.certificates(directory.resolve(CA_FILE))));
    }

    /**
     * @param keyManagers   what this side presents.
     * @param trustManagers what this side accepts from its peer.
     * @return a TLS 1.3 context.
     */
    public static SSLContext context(final KeyManager[] keyManagers, final TrustManager[] trustManagers)
    {
        try
        {
            final SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers, trustManagers, null);
            return context;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no " + PROTOCOL + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param chain the certificate chain, end entity first.
     * @param key   its private key.
     * @return key managers presenting them.
     * @throws IOException if the key does not belong to the certificate's algorithm.
     */
    public static KeyManager[] keyManagers(final List<X509Certificate> chain, final PrivateKey key) throws IOException
    {
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
            return keyManagers(store, IN_MEMORY_PASSWORD);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("the key does not go with the certificate " +
                chain.get(0).getSubjectX500Principal() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param store    a key store with one key entry.
     * @param password the entry's password.
     * @return key managers presenting it.
     * @throws GeneralSecurityException if the store cannot be read with that password.
     */
    public static KeyManager[] keyManagers(final KeyStore store, final char[] password)
        throws GeneralSecurityException
    {
        final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /**
     * @param authorities the certificates a peer's chain must lead to.
     * @return PKIX trust managers of exactly those (not the JDK's default CAs).
     */
    public static TrustManager[] trustManagers(final List<X509Certificate> authorities)
    {
        try
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++)
            {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            final TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException("cannot build a trust store in memory: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param context the server's context.
     * @return an engine in server mode that requires a client certificate and speaks TLS 1.3 only.
     */
    public static SSLEngine serverEngine(final SSLContext context)
    {
        final SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        engine.setEnabledProtocols(new String[]{PROTOCOL});
        return engine;
    }

    /**
     * @param context the client's context.
     * @param host    the server's name or address, checked against its certificate.
     * @param port    the server's port.
     * @return an engine in client mode that speaks TLS 1.3 only and verifies the server's name.
     */
    public static SSLEngine clientEngine(final SSLContext context, final String host, final int port)
    {
        final SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[]{PROTOCOL});
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }
}
