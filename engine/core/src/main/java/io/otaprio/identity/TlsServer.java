package io.otaprio.identity;

import io.otaprio.tls.PemFiles;
import io.otaprio.tls.TlsContexts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The engine's side of mutual TLS, built once from the {@code tls:} and {@code clients:} sections: a TLS 1.3 context
 * that presents the engine's certificate and admits only clients whose certificates its trust store's CA signed and
 * {@code clients:} names; a new {@link SSLEngine} per accepted connection; and, once a handshake is done, who the
 * connection is. {@link #PLAINTEXT} is the engine without TLS (loopback only, unless a listener says insecure).
 * <p>
 * Threading: immutable once built; the gateway's and DUIS endpoint's threads create engines from it.
 */
public final class TlsServer
{
    /** How long a client has to complete its handshake unless configured. */
    public static final long HANDSHAKE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    /** No TLS: every connection is {@link ClientIdentity#ANYONE}. */
    public static final TlsServer PLAINTEXT = new TlsServer();

    private final SSLContext context;
    private final ClientIdentities clients;
    private final long handshakeTimeoutNs;
    private final String description;

    private TlsServer()
    {
        context = null;
        clients = new ClientIdentities(List.of());
        handshakeTimeoutNs = 0;
        description = "plaintext";
    }

    private TlsServer(
        final KeyManager[] keyManagers,
        final List<X509Certificate> authorities,
        final ClientIdentities clients,
        final long handshakeTimeoutNs,
        final String description)
    {
        if (0 == clients.size())
        {
            throw new IllegalArgumentException("tls needs at least one entry in clients: (a name, a certificate's " +
                "subject, san or sha256, and its originators); without one no client could connect");
        }
        if (handshakeTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("tls handshakeTimeout must be > 0, got " + handshakeTimeoutNs + " ns");
        }
        final X509TrustManager pkix = (X509TrustManager)TlsContexts.trustManagers(authorities)[0];
        this.context = TlsContexts.context(keyManagers,
            new TrustManager[]{new IdentityTrustManager(pkix, clients)});
        this.clients = clients;
        this.handshakeTimeoutNs = handshakeTimeoutNs;
        this.description = description;
    }

    /**
     * The engine's certificate and key as PEM files (what {@code ./otaprio certs} writes).
     *
     * @param certificate        PEM chain, the engine's certificate first.
     * @param key                its unencrypted PKCS#8 PEM key.
     * @param trustStore         PEM certificates of the CAs that sign client certificates.
     * @param clients            the clients admitted.
     * @param handshakeTimeoutNs a connection still handshaking after this long is closed.
     * @return the engine's TLS.
     * @throws IOException naming the file that cannot be read or is not what it should be.
     */
    public static TlsServer fromPem(
        final Path certificate,
        final Path key,
        final Path trustStore,
        final ClientIdentities clients,
        final long handshakeTimeoutNs) throws IOException
    {
        final List<X509Certificate> chain = PemFiles.certificates(certificate);
        return new TlsServer(TlsContexts.keyManagers(chain, PemFiles.privateKey(key)),
            PemFiles.certificates(trustStore), clients, handshakeTimeoutNs,
            "TLS 1.3, certificate " + chain.get(0).getSubjectX500Principal() + ", " + describe(clients));
    }

    /**
     * The engine's certificate and key in a PKCS#12 key store.
     *
     * @param keyStore           the PKCS#12 file, one key entry.
     * @param password           its password (read from a file or the environment, never the command line).
     * @param trustStore         PEM certificates of the CAs that sign client certificates.
     * @param clients            the clients admitted.
     * @param handshakeTimeoutNs a connection still handshaking after this long is closed.
     * @return the engine's TLS.
     * @throws IOException naming the file that cannot be read, or a wrong password.
     */
    public static TlsServer fromPkcs12(
        final Path keyStore,
        final char[] password,
        final Path trustStore,
        final ClientIdentities clients,
        final long handshakeTimeoutNs) throws IOException
    {
        final KeyStore store;
        final KeyManager[] keyManagers;
        try (InputStream in = Files.newInputStream(keyStore))
        {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            keyManagers = TlsContexts.keyManagers(store, password);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(keyStore + ": not a PKCS#12 key store this password opens: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new IOException(keyStore + ": " + ex.getMessage(), ex);
        }
        return new TlsServer(keyManagers, PemFiles.certificates(trustStore), clients, handshakeTimeoutNs,
            "TLS 1.3, key store " + keyStore.getFileName() + ", " + describe(clients));
    }

    private static String describe(final ClientIdentities clients)
    {
        final StringBuilder text = new StringBuilder().append(clients.size())
            .append(1 == clients.size() ? " client: " : " clients: ");
        for (int i = 0; i < clients.size(); i++)
        {
            text.append(0 == i ? "" : ", ").append(clients.all().get(i).name());
        }
        return text.toString();
    }

    /** @return true when connections are TLS; false for {@link #PLAINTEXT}. */
    public boolean enabled()
    {
        return null != context;
    }

    /** @return the clients admitted (none for {@link #PLAINTEXT}). */
    public ClientIdentities clients()
    {
        return clients;
    }

    /** @return a connection still handshaking after this long is closed. */
    public long handshakeTimeoutNs()
    {
        return handshakeTimeoutNs;
    }

    /** @return one line for the start-up log. */
    public String description()
    {
        return description;
    }

    /** @return an engine for one accepted connection: server mode, client certificate required, TLS 1.3 only. */
    public SSLEngine newEngine()
    {
        return TlsContexts.serverEngine(context);
    }

    /** @return a session of this context, for the sizes of a connection's TLS buffers. */
    public SSLSession sizes()
    {
        return newEngine().getSession();
    }

    /**
     * @param session a connection's session, its handshake done.
     * @return the client it is; {@link ClientIdentity#NOBODY} if its certificate is no longer one (cannot happen after
     *         the trust manager admitted it, but a connection is never trusted by default).
     */
    public ClientIdentity identify(final SSLSession session)
    {
        try
        {
            final Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate ?
                clients.match((X509Certificate)chain[0]) : ClientIdentity.NOBODY;
        }
        catch (final SSLPeerUnverifiedException ex)
        {
            return ClientIdentity.NOBODY;
        }
    }
}
