package io.otaprio.cli;

import io.otaprio.journal.OwnerOnly;
import io.otaprio.server.StartupException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A directory of certificates and keys as {@code ./otaprio certs} writes them and the engine and the load generator
 * read them: {@code NAME.pem} (the certificate) and {@code NAME.key} (its unencrypted PKCS#8 key, 0600), in a directory
 * created owner-only.
 */
final class PemDirectory
{
    private final Path dir;
    private final String option;

    /**
     * @param dir    the directory (created 0700 on the first write if missing).
     * @param option the option that named it, for the message when it cannot be written.
     */
    PemDirectory(final Path dir, final String option)
    {
        this.dir = dir;
        this.option = option;
    }

    /**
     * Write {@code NAME.pem} and {@code NAME.key}.
     *
     * @param name   the files' name.
     * @param issued the certificate and its key.
     * @throws GeneralSecurityException if the certificate cannot be encoded.
     */
    void write(final String name, final DevelopmentCa.Issued issued) throws GeneralSecurityException
    {
        writeFile(name + ".pem", pem("CERTIFICATE", issued.certificate().getEncoded()), false);
        // The JDK encodes a private key as PKCS#8, the "PRIVATE KEY" that PKCS8EncodedKeySpec and openssl read.
        writeFile(name + ".key", pem("PRIVATE KEY", issued.key().getEncoded()), true);
    }

    /**
     * @param name   the file's name in the directory.
     * @param text   its content.
     * @param secret whether only the owner may read it (0600 from before anything is in it).
     */
    void writeFile(final String name, final String text, final boolean secret)
    {
        final Path file = dir.resolve(name);
        try
        {
            OwnerOnly.createDirectories(dir);
            if (secret)
            {
                // Made 0600 while still empty: the key is never readable by others, not even for a moment.
                Files.write(file, new byte[0]);
                OwnerOnly.restrict(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw StartupException.directory("cannot write " + file + ": " + ex.getMessage(), ex, option);
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        final StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text))
        {
            writer.writeObject(new PemObject(type, der));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("a StringWriter does not fail", ex);
        }
        return text.toString();
    }
}
