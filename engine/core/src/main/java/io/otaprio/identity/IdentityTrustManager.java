package io.otaprio.identity;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The engine's judge of client certificates: a chain must first pass PKIX validation against the trust store (signed
 * by its CA, within its validity, usable for client authentication), and its end entity must then be named by an
 * entry of {@code clients:}. Either failure fails the handshake, so a connection that cannot say who it is never
 * gets to send a frame. The engine is never a TLS client: the server-side checks are the only ones it answers.
 * <p>
 * Threading: stateless; called by the thread that runs a handshake's delegated tasks.
 */
final class IdentityTrustManager extends X509ExtendedTrustManager
{
    private static final HexFormat FINGERPRINT = HexFormat.ofDelimiter(":").withUpperCase();

    private final X509ExtendedTrustManager pkix;
    private final ClientIdentities clients;

    IdentityTrustManager(final X509TrustManager pkix, final ClientIdentities clients)
    {
        if (!(pkix instanceof X509ExtendedTrustManager))
        {
            throw new IllegalStateException("this JDK's trust manager " + pkix.getClass().getName() +
                " cannot check a TLS 1.3 engine's peer");
        }
        this.pkix = (X509ExtendedTrustManager)pkix;
        this.clients = clients;
    }

    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        pkix.checkClientTrusted(chain, authType, engine);
        requireClient(chain);
    }

    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        pkix.checkClientTrusted(chain, authType, socket);
        requireClient(chain);
    }

    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        pkix.checkClientTrusted(chain, authType);
        requireClient(chain);
    }

    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        throw new CertificateException("the engine does not connect to TLS servers");
    }

    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        throw new CertificateException("the engine does not connect to TLS servers");
    }

    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        throw new CertificateException("the engine does not connect to TLS servers");
    }

    public X509Certificate[] getAcceptedIssuers()
    {
        return pkix.getAcceptedIssuers();
    }

    private void requireClient(final X509Certificate[] chain) throws CertificateException
    {
        if (ClientIdentity.NOBODY == clients.match(chain[0]))
        {
            throw new CertificateException("client certificate " + chain[0].getSubjectX500Principal() +
                " (SHA-256 " + FINGERPRINT.formatHex(ClientIdentities.sha256(chain[0])) + ") is signed by a " +
                "trusted CA but named by no entry of clients:");
        }
    }
}
