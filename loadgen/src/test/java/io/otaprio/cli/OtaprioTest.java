package io.otaprio.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as a user meets it: help, a clear error for bad input, and a short real run writing JSON.
 */
class OtaprioTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListSubcommandsInHelp()
    {
        final String out = captureOut(() -> assertEquals(0, Otaprio.execute("--help")));
        assertTrue(out.contains("simulate"), out);
        assertTrue(out.contains("peer-rabbitmq"), out);
        assertTrue(out.contains("Usage: otaprio"), out);
    }

    @Test
    void shouldExplainABadScenarioAndExitTwo()
    {
        final String err = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario", "storm",
            "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(err.contains("--scenario must be steady, burst, alert-storm, outage-restoration or " +
            "slow-downstream, got storm"), err);
    }

    @Test
    void shouldExplainWhatOutageRestorationCannotBeRunWith() throws Exception
    {
        final String withFifo = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario",
            "outage-restoration", "--compare-fifo", "--config", "../conf/otaprio.yaml", "--mix",
            "../conf/traffic-mix.yaml")));
        assertTrue(withFifo.contains("runs the same traffic with the level-1 alert guard and without it"), withFifo);

        final String tooShort = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario",
            "outage-restoration", "--duration", "30", "--config", "../conf/otaprio.yaml", "--mix",
            "../conf/traffic-mix.yaml")));
        assertTrue(tooShort.contains("outage-restoration needs a duration of at least 70 s"), tooShort);

        final Path config = dir.resolve("no-guard.yaml");
        Files.writeString(config, "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath() + "\n" +
            "alerts: { guard: { perSecond: 0 } }\n");
        final String noGuard = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario",
            "outage-restoration", "--config", config.toString(), "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(noGuard.contains("alerts.guard.perSecond is 0 (off)"), noGuard);
    }

    @Test
    void shouldExplainABadConfigFileWithItsLineAndExitTwo() throws Exception
    {
        final Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "rings: [8, 8, 8, 12]\n");
        final String err = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--config",
            config.toString(), "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(err.contains("bad.yaml:1:"), err);
        assertTrue(err.contains("power of two"), err);
    }

    @Test
    void shouldRunAShortSteadySimulationWithItsFifoBaselineAndWriteJson() throws Exception
    {
        final Path config = dir.resolve("otaprio.yaml");
        Files.writeString(config, String.join("\n",
            "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath(),
            "rings: [256, 256, 1024, 4096]",
            "scheduler: { idle: yielding }",
            "dsp: { slots: 8, meanServiceTime: 1ms }",
            ""));
        final Path json = dir.resolve("out/result.json");

        final String out = captureOut(() -> assertEquals(0, Otaprio.execute("simulate", "--scenario", "steady",
            "--duration", "1", "--rate", "2000", "--config", config.toString(), "--mix",
            "../conf/traffic-mix.yaml", "--compare-fifo", "--json", json.toString())));

        assertTrue(out.contains("within TRT"), out);
        assertTrue(out.contains("offered"), "progress lines: " + out);
        final String text = Files.readString(json);
        assertTrue(text.startsWith("{\"scenario\":\"steady\",\"policy\":\"default\",\"offered\":"), text);
        assertTrue(text.contains("\"levels\":[{\"level\":1,"), text);
        assertTrue(text.contains("{\"level\":4,"), text);
        assertTrue(text.contains(",\"fifo\":{\"scenario\":\"steady\",\"policy\":\"fifo\""), text);
        assertTrue(out.contains("fifo/prio"), out);
    }

    @Test
    void shouldRunTheSlowDownstreamScenarioWithTheReservationAndWithoutInOneTable() throws Exception
    {
        final Path config = dir.resolve("otaprio.yaml");
        Files.writeString(config, String.join("\n",
            "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath(),
            "rings: [256, 256, 1024, 4096]",
            "scheduler: { idle: yielding }",
            "dsp: { slots: 8, meanServiceTime: 1ms, reserved: { slots: 2, levels: 2 } }",
            ""));
        final Path json = dir.resolve("slow.json");

        final String out = captureOut(() -> assertEquals(0, Otaprio.execute("simulate", "--scenario",
            "slow-downstream", "--duration", "1", "--drain-timeout", "0", "--config", config.toString(), "--mix",
            "../conf/traffic-mix.yaml", "--json", json.toString())));

        assertTrue(out.contains("mix ../conf/traffic-mix.yaml, SRV 11.1 at 5.0%: level 1"), out);
        assertTrue(out.contains("firmware campaign: SRV 11.1 takes 2.0 s at the DSP; run 1 of 2: dsp.reserved 2 " +
            "slots for levels 1-2, run 2 of 2: none"), out);
        assertTrue(out.contains("run 2 of 2: the same traffic with no reservation"), out);
        assertTrue(out.contains("none (dsp.reserved off)"), out);
        assertTrue(out.contains("completed/s during load"), out);
        assertFalse(out.contains("within TRT"), "one table, not one per run: " + out);
        final String text = Files.readString(json);
        assertTrue(text.startsWith("{\"scenario\":\"slow-downstream\",\"setting\":\"dsp.reserved\",\"on\":" +
            "{\"label\":\"dsp.reserved 2 slots for levels 1-2\""), text);
        assertTrue(text.contains("\"off\":{\"label\":\"none\""), text);
        assertTrue(text.contains("\"throughputRatio\":"), text);

        final String unreserved = dir.resolve("unreserved.yaml").toString();
        Files.writeString(Path.of(unreserved), Files.readString(config).replace("reserved: { slots: 2, levels: 2 }",
            "reserved: { slots: 0 }"));
        String err = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario", "slow-downstream",
            "--config", unreserved, "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(err.contains("compares dsp.reserved with none, and " + unreserved + " reserves no slots: set " +
            "dsp.reserved.slots (and levels) there"), err);
        err = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario", "slow-downstream",
            "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml", "--policy", "fifo")));
        assertTrue(err.contains("under --policy fifo there is one lane and no reservation"), err);
        err = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario", "slow-downstream",
            "--config", config.toString(), "--mix", "../conf/traffic-mix.yaml", "--compare-fifo")));
        assertTrue(err.contains("it does not combine with --compare-fifo"), err);
        err = captureErr(() -> assertEquals(2, Otaprio.execute("loadgen", "--scenario", "slow-downstream",
            "--config", config.toString(), "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(err.contains("--scenario slow-downstream runs in process only (./otaprio simulate)"), err);
    }

    @Test
    void shouldKeepAJournalGivenOnTheCommandLineAndDumpAndSummariseIt() throws Exception
    {
        final Path config = dir.resolve("otaprio.yaml");
        Files.writeString(config, String.join("\n",
            "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath(),
            "rings: [256, 256, 1024, 4096]",
            "scheduler: { idle: yielding }",
            "dsp: { slots: 8, meanServiceTime: 1ms }",
            ""));
        final Path journal = dir.resolve("journal");
        captureOut(() -> assertEquals(0, Otaprio.execute("simulate", "--scenario", "steady", "--duration", "0.5",
            "--rate", "1000", "--quiet", "--config", config.toString(), "--mix", "../conf/traffic-mix.yaml",
            "--journal", journal.toString())));
        assertTrue(Files.isDirectory(journal), "kept");

        final String dump = captureOut(() -> assertEquals(0, Otaprio.execute("journal", "dump", "--journal",
            journal.toString())));
        final String[] rows = dump.split("\n");
        assertEquals("messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs," +
            "completions", rows[0]);
        assertTrue(rows.length > 100, "one row per accepted message: " + rows.length);
        assertTrue(rows[1].startsWith("0,"), rows[1]);
        assertTrue(rows[1].endsWith(",1"), "completed once: " + rows[1]);

        final String stats = captureOut(() -> assertEquals(0, Otaprio.execute("journal", "stats", "--journal",
            journal.toString())));
        assertTrue(stats.contains("pending"), stats);

        final String err = captureErr(() -> assertEquals(2, Otaprio.execute("journal", "stats", "--journal",
            dir.resolve("nowhere").toString())));
        assertTrue(err.contains("no journal directory at"), err);
    }

    @Test
    void shouldSayInOneLineThatAJournalOrOutputDirectoryCannotBeCreatedAndExitTwo() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        final String simulate = captureErr(() -> assertEquals(2, Otaprio.execute("simulate", "--scenario", "steady",
            "--duration", "0.5", "--quiet", "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml",
            "--journal", file.resolve("journal").toString())));
        assertEquals(1, simulate.lines().count(), simulate);
        assertTrue(simulate.startsWith("otaprio simulate: error: cannot create journal directory " +
            file.resolve("journal") + ": "), simulate);
        assertTrue(simulate.strip().endsWith("; choose a writable directory with --journal DIR"), simulate);

        final String demo = captureErr(() -> assertEquals(2, Otaprio.execute("demo", "--out",
            file.resolve("demo").toString())));
        assertEquals(1, demo.lines().count(), demo);
        assertTrue(demo.startsWith("otaprio demo: error: cannot create " + file.resolve("demo") + ": "), demo);
        assertTrue(demo.strip().endsWith("; choose a writable directory with --out DIR"), demo);
    }

    @Test
    void shouldRefuseABenchSectionItDoesNotKnowAndAFolderWithAnEarlierRun() throws Exception
    {
        String err = captureErr(() -> assertEquals(2, Otaprio.execute("bench", "--only", "jmh,disk",
            "--out", dir.resolve("run").toString())));
        assertTrue(err.contains("--only: unknown section 'disk', expected some of jmh,latency,tcp"), err);

        Files.writeString(dir.resolve("summary.md"), "an earlier run");
        err = captureErr(() -> assertEquals(2, Otaprio.execute("bench", "--quick", "--out", dir.toString())));
        assertTrue(err.contains("exists and is not an empty directory: choose another --out"), err);

        err = captureErr(() -> assertEquals(2, Otaprio.execute("bench", "--tcp-idle", "spinning",
            "--out", dir.resolve("run").toString())));
        assertTrue(err.contains("spinning"), err);
    }

    @Test
    void shouldSayTheLoadGeneratorCannotConnectEndAtTheDurationAndExitOne() throws Exception
    {
        final int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        final String[] err = new String[1];
        final long startNs = System.nanoTime();
        final String out = captureOut(() -> err[0] = captureErr(() -> assertEquals(1, Otaprio.execute("loadgen",
            "--connect", "127.0.0.1:" + port, "--duration", "1", "--scenario", "steady", "--rate", "500",
            "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml"))));
        final long elapsedNs = System.nanoTime() - startNs;

        assertTrue(elapsedNs < 5_000_000_000L, "returns soon after the 1 s load: " + elapsedNs + " ns");
        assertTrue(err[0].contains("otaprio loadgen: error: could not connect to 127.0.0.1:" + port +
            " (Connection refused), so nothing was sent. Is the engine running? Start it with ./otaprio engine in " +
            "another terminal"), err[0]);
        assertTrue(out.contains("cannot connect to 127.0.0.1:" + port + " (Connection refused)"), out);
        assertFalse(out.contains("level  completed"), "no table of nothing: " + out);

        final String help = captureOut(() -> assertEquals(0, Otaprio.execute("loadgen", "--help")));
        assertTrue(help.contains("Exit codes: 0 done; 1 never connected to the engine (nothing was sent);" +
            System.lineSeparator() + "2 a bad option or configuration."), help);
    }

    @Test
    void shouldSayTheDuisLoadGeneratorCannotConnectAndExitOne() throws Exception
    {
        final int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        final String[] err = new String[1];
        final String out = captureOut(() -> err[0] = captureErr(() -> assertEquals(1, Otaprio.execute("loadgen",
            "--duis", "--connect", "127.0.0.1:" + port, "--duration", "1", "--scenario", "steady", "--rate", "200",
            "--config", "../conf/otaprio.yaml", "--mix", "../conf/duis-mix.yaml"))));

        assertTrue(err[0].contains("otaprio loadgen: error: cannot connect to 127.0.0.1:" + port +
            " (Connection refused), so nothing was sent."), err[0]);
        assertTrue(out.contains("DUIS over HTTP to http://127.0.0.1:" + port + "/duis"), out);
        assertFalse(out.contains("level  completed"), "no table of nothing: " + out);
    }

    @Test
    void shouldExplainTheRabbitMqPeerAndSayClearlyWhenNoBrokerAnswers()
    {
        final String help = captureOut(() -> assertEquals(0, Otaprio.execute("peer-rabbitmq", "--help")));
        assertTrue(help.contains("x-max-priority 4"), help);
        assertTrue(help.contains("--uri"), help);
        assertTrue(help.contains("--burst-multiplier"), "the load options of loadgen: " + help);

        final String unreachable = captureErr(() -> assertEquals(1, Otaprio.execute("peer-rabbitmq", "--quiet",
            "--uri", "amqp://guest:guest@127.0.0.1:1", "--duration", "1", "--config", "../conf/otaprio.yaml",
            "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(unreachable.contains("peer-rabbitmq: error: cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:1"),
            unreachable);

        final String badUri = captureErr(() -> assertEquals(2, Otaprio.execute("peer-rabbitmq", "--uri",
            "http://127.0.0.1", "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(badUri.contains("--uri must be amqp://"), badUri);

        final String badScenario = captureErr(() -> assertEquals(2, Otaprio.execute("peer-rabbitmq", "--scenario",
            "storm", "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(badScenario.contains("--scenario must be steady, burst, alert-storm, outage-restoration or " +
            "slow-downstream, got storm"), badScenario);

        final String badQueue = captureErr(() -> assertEquals(2, Otaprio.execute("peer-rabbitmq", "--queue",
            "amq.mine", "--config", "../conf/otaprio.yaml", "--mix", "../conf/traffic-mix.yaml")));
        assertTrue(badQueue.contains("--queue must be"), badQueue);
    }

    @Test
    void shouldPlotIntervalLogsAndExplainAMissingOne() throws Exception
    {
        final Path hlog = Files.createDirectories(dir.resolve("hlog"));
        try (java.io.PrintStream out = new java.io.PrintStream(hlog.resolve("level-1.hlog").toFile(), "UTF-8"))
        {
            final org.HdrHistogram.HistogramLogWriter writer = new org.HdrHistogram.HistogramLogWriter(out);
            writer.outputStartTime(1_000_000L);
            writer.setBaseTime(1_000_000L);
            writer.outputLegend();
            for (int i = 0; i < 3; i++)
            {
                final org.HdrHistogram.Histogram interval = new org.HdrHistogram.Histogram(3);
                interval.recordValue(1_000 * (i + 1));
                interval.setStartTimeStamp(1_000_000L + i * 1_000L);
                interval.setEndTimeStamp(1_001_000L + i * 1_000L);
                writer.outputIntervalHistogram(interval);
            }
        }
        final String report = captureOut(() -> assertEquals(0, Otaprio.execute("report", "--hlog", hlog.toString(),
            "--out", dir.resolve("plots").toString())));
        assertTrue(report.contains("level-1         3         3"), report);
        assertTrue(Files.size(dir.resolve("plots").resolve("latency-over-time.png")) > 1000);

        final String err = captureErr(() -> assertEquals(2, Otaprio.execute("report", "--hlog",
            dir.resolve("nothing").toString())));
        assertTrue(err.contains("no level-N.hlog in"), err);
    }

    private static String captureOut(final Runnable action)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String captureErr(final Runnable action)
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
