package io.otaprio.identity;

import org.agrona.collections.LongHashSet;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * One client of the engine as its {@code clients:} entry names it: how its certificate is recognised (subject,
 * subject alternative name, SHA-256 fingerprint: every one given must match) and the originator EUI-64s it may
 * submit under. {@link #ANYONE} stands for a plaintext connection (loopback, no TLS: no identity to check);
 * {@link #NOBODY} for a certificate that matches no entry.
 * <p>
 * Threading: immutable once built; read by the gateway's and the DUIS endpoint's threads.
 */
public final class ClientIdentity
{
    /** A connection without TLS: every originator is its own, as before TLS existed. */
    public static final ClientIdentity ANYONE = new ClientIdentity(-1, "plaintext", "", "", new byte[0], true);

    /** A certificate no entry of {@code clients:} names: no originator is its own. */
    public static final ClientIdentity NOBODY = new ClientIdentity(-1, "unknown", "", "", new byte[0], false);

    private final int index;
    private final String name;
    private final String subjectText;
    private final X500Principal subject;
    private final String alternativeName;
    private final byte[] sha256;
    private final boolean anyOriginator;
    private final LongHashSet originators = new LongHashSet();

    private ClientIdentity(
        final int index,
        final String name,
        final String subject,
        final String alternativeName,
        final byte[] sha256,
        final boolean anyOriginator)
    {
        this.index = index;
        this.name = name;
        this.subjectText = subject;
        this.subject = subject.isEmpty() ? null : new X500Principal(subject);
        this.alternativeName = alternativeName;
        this.sha256 = sha256.clone();
        this.anyOriginator = anyOriginator;
    }

    /**
     * @param index           its position in {@code clients:}, from 0: where it is counted.
     * @param name            the name it is logged and counted by.
     * @param subject         the certificate's subject DN (RFC 2253, e.g. {@code CN=alice}), or empty.
     * @param alternativeName a subject alternative name the certificate must carry (DNS, e-mail, URI or IP), or
     *                        empty.
     * @param sha256          the certificate's SHA-256 fingerprint (32 bytes), or empty.
     * @param originators     the originator EUI-64s it may submit under.
     * @return the identity.
     * @throws IllegalArgumentException if it gives no way to recognise a certificate, or a malformed subject.
     */
    public static ClientIdentity of(
        final int index,
        final String name,
        final String subject,
        final String alternativeName,
        final byte[] sha256,
        final long[] originators)
    {
        if (subject.isEmpty() && alternativeName.isEmpty() && 0 == sha256.length)
        {
            throw new IllegalArgumentException("client " + name + " needs subject, san or sha256 to be recognised by");
        }
        if (0 != sha256.length && 32 != sha256.length)
        {
            throw new IllegalArgumentException("client " + name + ": sha256 must be 32 bytes, got " + sha256.length);
        }
        final ClientIdentity identity = new ClientIdentity(index, name, subject, alternativeName, sha256, false);
        for (final long originator : originators)
        {
            identity.originators.add(originator);
        }
        return identity;
    }

    /** @return its position in {@code clients:}, from 0; -1 for {@link #ANYONE} and {@link #NOBODY}. */
    public int index()
    {
        return index;
    }

    /** @return the name it is logged and counted by. */
    public String name()
    {
        return name;
    }

    /** @return the subject DN it is recognised by, as configured, or empty. */
    public String subject()
    {
        return subjectText;
    }

    /**
     * @param originator a Submit's originator EUI-64.
     * @return true when this client may submit under it. Allocation-free.
     */
    public boolean mayUse(final long originator)
    {
        return anyOriginator || originators.contains(originator);
    }

    /** @return how many originators are its own (0 for {@link #ANYONE}, which has them all). */
    public int originatorCount()
    {
        return originators.size();
    }

    /**
     * @param certificate a client's end-entity certificate.
     * @param digest      its SHA-256 fingerprint.
     * @return true when every criterion this entry gives matches it.
     */
    boolean matches(final X509Certificate certificate, final byte[] digest)
    {
        if (index < 0)
        {
            return false;
        }
        if (0 != sha256.length && !Arrays.equals(sha256, digest))
        {
            return false;
        }
        if (null != subject && !subject.equals(certificate.getSubjectX500Principal()))
        {
            return false;
        }
        return alternativeName.isEmpty() || hasAlternativeName(certificate, alternativeName);
    }

    private static boolean hasAlternativeName(final X509Certificate certificate, final String wanted)
    {
        try
        {
            final Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (null != names)
            {
                for (final List<?> name : names)
                {
                    if (name.size() >= 2 && name.get(1) instanceof String &&
                        wanted.equalsIgnoreCase((String)name.get(1)))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (final CertificateParsingException ex)
        {
            return false;
        }
    }

    public String toString()
    {
        return name;
    }
}
