package io.otaprio.testing;

import io.otaprio.tls.PemFiles;
import io.otaprio.tls.TlsContexts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Self-signed certificates made with the JDK's own {@code keytool} (the engine module carries no certificate
 * library): a server key store ({@code server.p12}, CN and SAN localhost/127.0.0.1) and one client ({@code client.p12},
 * CN {@code client}), each certificate exported as PEM, so that each side trusts the other's certificate directly.
 */
public final class TestCertificates
{
    /** The password of both PKCS#12 stores. */
    public static final String PASSWORD = "otaprio-test";

    private final Path dir;

    private TestCertificates(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * @param dir where to write {@code server.p12}, {@code server.pem}, {@code client.p12}, {@code client.pem}.
     * @return the certificates.
     * @throws IOException if keytool fails.
     */
    public static TestCertificates make(final Path dir) throws IOException
    {
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12");
        keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-file", "server.pem");
        keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=client", "-validity", "2", "-keystore", "client.p12");
        keytool(dir, "-exportcert", "-rfc", "-alias", "client", "-keystore", "client.p12", "-file", "client.pem");
        return new TestCertificates(dir);
    }

    /** @return the server's PKCS#12 key store. */
    public Path serverKeyStore()
    {
        return dir.resolve("server.p12");
    }

    /** @return the client's certificate, PEM: the engine's trust store. */
    public Path clientCertificate()
    {
        return dir.resolve("client.pem");
    }

    /**
     * @return the client's context: its key store, trusting the server's certificate.
     * @throws IOException if a file cannot be read.
     */
    public SSLContext client() throws IOException
    {
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12")))
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return TlsContexts.context(TlsContexts.keyManagers(store, PASSWORD.toCharArray()),
                TlsContexts.trustManagers(PemFiles.certificates(dir.resolve("server.pem"))));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(ex);
        }
    }

    private static void keytool(final Path dir, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try
        {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }
}
