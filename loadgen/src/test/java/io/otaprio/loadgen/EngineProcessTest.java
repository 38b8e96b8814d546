package io.otaprio.loadgen;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.server.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSayAtOnceWhyAChildEngineExitedBeforeListening() throws Exception
    {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final String address = "127.0.0.1:" + busy.getLocalPort();
            final long startNs = System.nanoTime();

            final StartupException ex = assertThrows(StartupException.class, () -> EngineProcess.start(List.of(
                "--config", "../conf/otaprio.yaml", "--journal", dir.resolve("journal").toString(), "--listen",
                address, "--status-interval", "0"), dir.resolve("engine.log"), 60_000));

            final long elapsedNs = System.nanoTime() - startNs;
            assertTrue(elapsedNs < 30_000_000_000L, "not the 60 s wait for a line that never comes: " + elapsedNs);
            assertTrue(ex.getMessage().startsWith("the engine exited with code 2 before listening: otaprio engine: " +
                "error: gateway: cannot listen on " + address + ": "), ex.getMessage());
            assertTrue(ex.getMessage().endsWith("(its output: " + dir.resolve("engine.log") + ")"), ex.getMessage());
        }
    }

    @Test
    void shouldReloadThePolicyFileOnSighupAndRefuseABadOneKeepingTheRunningPolicy() throws Exception
    {
        final Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        for (final String file : new String[]{ "otaprio.yaml", "priority-policy.yaml", "duis-srvs.yaml" })
        {
            Files.copy(Path.of("../conf", file), conf.resolve(file));
        }
        final Path policy = conf.resolve("priority-policy.yaml");
        final String shipped = Files.readString(policy);
        final String disableSupply = "  - { srv: \"7.2\", level: 1 }";
        assertTrue(shipped.contains(disableSupply));
        final Path log = dir.resolve("engine.log");
        final Path journal = dir.resolve("journal");
        try (EngineProcess engine = EngineProcess.start(List.of("--config", conf.resolve("otaprio.yaml").toString(),
            "--journal", journal.toString(), "--listen", "127.0.0.1:0", "--status-interval", "0"), log, 120_000))
        {
            Files.writeString(policy, shipped.replace(disableSupply, "  - { srv: \"7.2\", level: 2 }"));
            hangUp(engine.pid());
            final String applied = awaitLine(log, "policy reload: ");
            assertTrue(applied.contains("policy reload: generation 2 in force from message id 0: " + policy +
                " (sha256 "), applied);
            assertTrue(applied.endsWith("1 SRVs of " + conf.resolve("duis-srvs.yaml") + " and 0 alerts change level: " +
                "7.2 1->2"), applied);

            Files.writeString(policy, shipped.replace(disableSupply, "  - { srv: \"7.2.9\", level: 2 }"));
            hangUp(engine.pid());
            final String refused = awaitLine(log, "policy reload refused: ");
            assertTrue(refused.contains("policy reload refused: " + policy + ":" + lineOf(shipped, disableSupply) +
                ": rules["), "file:line:rule first: " + refused);
            assertTrue(refused.endsWith("; generation 2 (" + policy + ", sha256 " + PolicyJournal.read(
                new JournalConfig(journal)).get(1).sha256() + ") stays in force"), refused);
            assertEquals(0, engine.stop(), "still running, and stops cleanly");
        }
        assertEquals(2, PolicyJournal.read(new JournalConfig(journal)).size());
    }

    private static void hangUp(final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static String awaitLine(final Path log, final String text) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            for (final String line : Files.readAllLines(log))
            {
                if (line.contains(text))
                {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with \"" + text + "\" in " + log + ":\n" + Files.readString(log));
    }

    private static int lineOf(final String text, final String line)
    {
        return text.substring(0, text.indexOf(line)).split("\n", -1).length;
    }
}
