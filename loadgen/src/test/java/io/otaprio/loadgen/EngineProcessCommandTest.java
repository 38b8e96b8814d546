package io.otaprio.loadgen;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineProcessCommandTest
{
    @Test
    void shouldStartAChildEngineWithoutThePeriodicSafepointAndTheArgumentsAfterTheMainClass()
    {
        final List<String> command = EngineProcess.command(List.of("--listen", "127.0.0.1:0", "--metrics", "off"));

        final int main = command.indexOf("io.otaprio.server.OtaprioServer");
        assertTrue(main > 0, command.toString());
        final int unlock = command.indexOf("-XX:+UnlockDiagnosticVMOptions");
        final int interval = command.indexOf("-XX:GuaranteedSafepointInterval=0");
        assertTrue(unlock > 0 && unlock < interval && interval < main, "a diagnostic flag needs its unlock first, " +
            "both before the main class: " + command);
        assertEquals(List.of("engine", "--duis", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--listen", "127.0.0.1:0",
            "--metrics", "off"), command.subList(main + 1, command.size()));
    }

    @Test
    void shouldGiveTheLaunchersProcessesTheSameLatencyFlags() throws Exception
    {
        final String launcher = Files.readString(Path.of("../otaprio"));
        final int block = launcher.indexOf("LATENCY_FLAGS=(");
        assertTrue(block > 0, "the launcher has a LATENCY_FLAGS array");
        final String flags = launcher.substring(block, launcher.indexOf(')', block));
        final String[] names = flags.substring(flags.indexOf('(') + 1).trim().split("\\s+");
        assertEquals(EngineProcess.LATENCY_FLAGS, List.of(names));
        assertTrue(launcher.contains("exec \"$JAVA\" \"${JVM_FLAGS[@]}\" \"${LATENCY_FLAGS[@]}\""),
            "and passes them to every command");
    }
}
