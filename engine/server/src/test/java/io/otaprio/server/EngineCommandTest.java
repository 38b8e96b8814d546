package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.engine.IdleStrategySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otaprio engine} refusing to start on what an operator can fix: one line on standard error saying what
 * failed, where and what to do, and exit code 2, never a stack trace.
 */
class EngineCommandTest
{
    private static final Path CONFIG = Path.of("../../conf/otaprio.yaml");

    @TempDir
    Path dir;

    @AfterEach
    void shouldLeaveNoEngineThreadRunning() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        List<String> running = engineThreads();
        while (!running.isEmpty() && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
            running = engineThreads();
        }
        assertEquals(List.of(), running, "a refused start stops every thread it started");
    }

    @Test
    void shouldRefuseAGatewayBeyondLoopbackWithoutTlsNamingTheOptionAndTheSetting()
    {
        final String err = errorOf("--listen", "0.0.0.0:0", "--metrics", "off");

        assertTrue(err.startsWith("otaprio engine: error: engine: gateway.listen 0.0.0.0:0 is not a loopback address " +
            "and gateway has no TLS (no tls: section): anyone who can reach it could submit messages as any " +
            "originator. Bind it to 127.0.0.1 (--listen 127.0.0.1:PORT), configure tls: and clients:, or set " +
            "gateway.insecure: true"), err);
    }

    @Test
    void shouldRefuseAGatewayPortInUseWithOneLineNamingTheAddressAndTheOption() throws IOException
    {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final String address = "127.0.0.1:" + busy.getLocalPort();

            final String err = errorOf("--listen", address, "--metrics", "off");

            assertEquals("otaprio engine: error: gateway: cannot listen on " + address + ": Address already in use; " +
                "choose another address with --listen HOST:PORT, or stop the process using it", err);
        }
    }

    @Test
    void shouldRefuseAMetricsPortInUseWithOneLineNamingTheAddressAndTheOption() throws IOException
    {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final String address = "127.0.0.1:" + busy.getLocalPort();

            final String err = errorOf("--listen", "127.0.0.1:0", "--metrics", address);

            assertEquals("otaprio engine: error: metrics endpoint: cannot listen on " + address + ": Address already " +
                "in use; choose another address with --metrics HOST:PORT (or off), or stop the process using it", err);
        }
    }

    @Test
    void shouldRefuseAJournalAnotherEngineHoldsNamingItsPid()
    {
        final Path journal = dir.resolve("journal");
        final Engine holder = Engine.launch(ConfigurationFile.read(CONFIG)
            .journalDirectory(journal)
            .gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .schedulerIdleStrategy(IdleStrategySpec.parse("backoff")));
        try
        {
            final String err = errorOf("--listen", "127.0.0.1:0", "--metrics", "off", "--journal", journal.toString());

            assertTrue(err.startsWith("otaprio engine: error: " + journal + " is in use by a running engine (pid " +
                ProcessHandle.current().pid() + ", started "), err);
            assertTrue(err.endsWith("): stop it, or give this engine another --journal"), err);
        }
        finally
        {
            holder.close();
        }
    }

    @Test
    void shouldRefuseAJournalDirectoryItCannotCreateNamingThePathAndTheOption() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        final Path journal = file.resolve("journal");

        final String err = errorOf("--listen", "127.0.0.1:0", "--metrics", "off", "--journal", journal.toString());

        assertTrue(err.startsWith("otaprio engine: error: cannot create journal directory " + journal + ": "), err);
        assertTrue(err.endsWith("; choose a writable directory with --journal DIR"), err);
    }

    private static List<String> engineThreads()
    {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith("otaprio"))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /**
     * Run {@code otaprio engine} with these options (and a test configuration and journal unless given) as the
     * server jar's main would, expect exit code 2 and return standard error, which must be one line.
     */
    private String errorOf(final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("engine", "--config", CONFIG.toString(), "--idle", "backoff",
            "--status-interval", "0"));
        if (!Arrays.asList(options).contains("--journal"))
        {
            args.addAll(List.of("--journal", dir.resolve("journal").toString()));
        }
        args.addAll(Arrays.asList(options));

        final CommandRun run = CommandRun.of(args.toArray(new String[0]));
        final String text = run.err();
        assertEquals(2, run.exit(), text);
        assertEquals("", run.out(), "nothing on standard output before the failure");
        final String[] lines = text.split(System.lineSeparator(), -1);
        assertEquals(2, lines.length, "one line: " + text);
        assertEquals("", lines[1], text);
        return lines[0];
    }
}
