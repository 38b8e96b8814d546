package io.otaprio.identity;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The {@code clients:} section: every client the engine admits over TLS, in configuration order, the first whose
 * criteria all match a certificate being the one it names.
 * <p>
 * Threading: immutable; any thread.
 */
public final class ClientIdentities
{
    private final List<ClientIdentity> clients;

    /**
     * @param clients the entries, each with {@link ClientIdentity#index()} its position here.
     */
    public ClientIdentities(final List<ClientIdentity> clients)
    {
        for (int i = 0; i < clients.size(); i++)
        {
            if (clients.get(i).index() != i)
            {
                throw new IllegalArgumentException("client " + clients.get(i).name() + " has index " +
                    clients.get(i).index() + " at position " + i);
            }
        }
        this.clients = List.copyOf(clients);
    }

    /** @return the entries in configuration order. */
    public List<ClientIdentity> all()
    {
        return clients;
    }

    /** @return how many entries there are. */
    public int size()
    {
        return clients.size();
    }

    /**
     * @param certificate a client's end-entity certificate (its chain already validated).
     * @return the first entry that names it, or {@link ClientIdentity#NOBODY}.
     */
    public ClientIdentity match(final X509Certificate certificate)
    {
        final byte[] digest = sha256(certificate);
        for (final ClientIdentity client : clients)
        {
            if (client.matches(certificate, digest))
            {
                return client;
            }
        }
        return ClientIdentity.NOBODY;
    }

    /**
     * @param certificate a certificate.
     * @return the SHA-256 of its DER encoding: its fingerprint, as {@code ./otaprio certs} and openssl show it.
     */
    public static byte[] sha256(final X509Certificate certificate)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        }
        catch (final CertificateEncodingException ex)
        {
            throw new IllegalArgumentException("a certificate that cannot be encoded: " + ex.getMessage(), ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no SHA-256", ex);
        }
    }
}
