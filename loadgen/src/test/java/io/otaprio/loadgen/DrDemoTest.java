package io.otaprio.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DR demo scaled down for CI: a real engine child process, a burst over TCP, a real {@code kill -9}, a restart
 * on the same journal. Nothing acknowledged may be lost, and level 1 must have kept its TRT before the event.
 */
class DrDemoTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingAcrossKillNineAndKeepLevelOneWithinTrt() throws Exception
    {
        final Path config = dir.resolve("otaprio.yaml");
        Files.writeString(config, String.join("\n",
            "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath(),
            "rings: [4096, 4096, 8192, 32768]",
            "scheduler: { idle: yielding }",
            "dsp: { slots: 16, distribution: fixed, meanServiceTime: 2ms }",
            "gateway: { idle: backoff }",
            ""));
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final DrDemo.Outcome outcome = DrDemo.run(new DrDemo.Settings(dir.resolve("out"), config,
            Path.of("../conf/traffic-mix.yaml"), 8, 3, 0.5, 3, 2, 7, false,
            new PrintStream(text, true, StandardCharsets.UTF_8)));

        final String narrative = text.toString(StandardCharsets.UTF_8);
        final DrDemo.Ledger ledger = outcome.prioritised().ledger();
        assertTrue(ledger.acknowledged() > 1000, narrative);
        assertEquals(0, ledger.lost(), narrative);
        assertEquals(ledger.acknowledged(), ledger.completed(), narrative);
        assertTrue(ledger.pendingAtKill() > 0, "a backlog was queued at the kill\n" + narrative);
        final var levelOne = outcome.prioritised().beforeDr().get(0);
        assertTrue(levelOne.completed() > 0, narrative);
        assertTrue(levelOne.latency().p99Us() * 1000 < levelOne.trtNs(), "level-1 p99 within TRT\n" + narrative);
        assertTrue(narrative.contains("exit code 0"), "SIGTERM stops the engine cleanly\n" + narrative);
        final String json = Files.readString(dir.resolve("out/demo.json"));
        assertTrue(json.contains("\"recovery\":{\"acknowledged\":" + ledger.acknowledged()), json);
        assertTrue(json.contains("\"lost\":0"), json);
    }
}
