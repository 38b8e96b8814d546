package io.otaprio.loadgen;

import io.otaprio.server.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

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
}
