package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.IdleStrategySpec;
import io.otaprio.policy.PolicyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otaprio policy show} and {@code policy diff} over the shipped policy, its catalogue and edited copies;
 * {@code policy reload} against an engine's admin endpoint on 127.0.0.1.
 */
class PolicyCommandTest
{
    private static final String POLICY = "../../conf/priority-policy.yaml";
    private static final String HEADER = "defaultLevel: 4\ntrt: {1: 1s, 2: 5s, 3: 10s, 4: 30s}\n";

    @TempDir
    Path dir;

    @Test
    void shouldShowEverySrvWithItsLevelTrtAndDecidingRuleAsCsv() throws IOException
    {
        final CommandRun run = CommandRun.of("policy", "show", "--policy", POLICY, "--format", "csv");

        assertEquals(0, run.exit(), run.err());
        final String[] lines = run.out().split("\n");
        assertEquals("srv,name,level,trtMs,rule", lines[0]);
        assertEquals(1 + 129, lines.length);
        final int topUpLine = lineOf(POLICY, "- { srv: \"2.2\", level: 1 }");
        assertTrue(run.out().contains("\n2.2,Top Up Device,1,1000," + POLICY + ":" + topUpLine + "\n"), run.out());
        assertTrue(run.out().contains("\n6.15.1,Update Security Credentials (KRP),4,30000," + POLICY + ":"),
            run.out());
        assertTrue(run.out().contains("\n8.7.2,Join Service (Non-Critical),2,5000," + POLICY + ":"), run.out());
    }

    @Test
    void shouldShowATableWithDefaultForUnmatchedSrvsAndAFooter() throws IOException
    {
        final Path policy = dir.resolve("small.yaml");
        Files.writeString(policy, HEADER + "rules:\n  - { srv: \"2.2\", level: 1, trt: 250ms }\n");

        final CommandRun run = CommandRun.of("policy", "show", "--policy", policy.toString(), "--catalogue",
            "../../conf/duis-srvs.yaml");

        assertEquals(0, run.exit(), run.err());
        final String[] lines = run.out().split("\n");
        assertTrue(lines[0].startsWith("srv      name"), lines[0]);
        assertTrue(run.out().contains("\n2.2      Top Up Device"), run.out());
        assertTrue(run.out().contains("1     250  " + policy + ":4\n"), run.out());
        assertTrue(run.out().contains("4   30000  default\n"), run.out());
        assertTrue(lines[lines.length - 1].endsWith("level 1 1, level 2 0, level 3 0, level 4 128; 128 by default"),
            lines[lines.length - 1]);
    }

    @Test
    void shouldRefuseARuleForAnSrvTheCatalogueDoesNotList() throws IOException
    {
        final Path policy = dir.resolve("typo.yaml");
        Files.writeString(policy, HEADER + "rules:\n  - { srv: \"8.7.3\", level: 2 }\n");

        final CommandRun run = CommandRun.of("policy", "show", "--policy", policy.toString(), "--catalogue",
            "../../conf/duis-srvs.yaml");

        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertTrue(run.err().contains(policy + ":4: rules[0].srv \"8.7.3\": rule srv 8.7.3 -> level 2 matches no " +
            "SRV of the catalogue ../../conf/duis-srvs.yaml"), run.err());
        assertTrue(run.err().contains("nearest: 8.7.2, 8.7.1, 8.6"), run.err());
    }

    @Test
    void shouldListTheSrvsAndAlertsWhoseLevelChanges() throws IOException
    {
        final String shipped = Files.readString(Path.of(POLICY));
        final Path edited = dir.resolve("edited.yaml");
        Files.writeString(edited, shipped
            .replace("catalogue: duis-srvs.yaml", "catalogue: " + Path.of("../../conf/duis-srvs.yaml").toAbsolutePath())
            .replace("- { srv: \"7.2\", level: 1 }", "- { srv: \"7.2\", level: 3 }")
            .replace("      - 0x8F57   # Supply interrupted\n", ""));

        final CommandRun run = CommandRun.of("policy", "diff", POLICY, edited.toString());

        assertEquals(PolicyCommand.EXIT_DIFFERENT, run.exit(), run.err());
        final String[] lines = run.out().split("\n");
        assertEquals(3, lines.length, run.out());
        assertTrue(lines[0].matches("srv {4}7\\.2 +Disable Supply +1 -> 3"), lines[0]);
        assertTrue(lines[1].matches("alert  0x8F57 +- +1 -> 4"), lines[1]);
        assertTrue(lines[2].startsWith("1 SRVs of "), lines[2]);

        final CommandRun same = CommandRun.of("policy", "diff", POLICY, POLICY);
        assertEquals(0, same.exit(), same.err());
    }

    @Test
    void shouldReloadARunningEnginesPolicyThroughItsAdminEndpoint() throws IOException
    {
        final Path policy = dir.resolve("live.yaml");
        Files.writeString(policy, HEADER + "rules:\n  - { srv: \"2.2\", level: 1 }\n");
        final List<String> reported = new java.util.ArrayList<>();
        try (Engine engine = Engine.launch(new EngineContext()
            .policyFile(PolicyFile.load(policy))
            .gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .adminListen("127.0.0.1:0")
            .journal(null)
            .reloadReport(reported::add)
            .schedulerIdleStrategy(IdleStrategySpec.parse("backoff"))))
        {
            final String admin = "127.0.0.1:" + engine.adminEndpoint().port();
            Files.writeString(policy, HEADER + "rules:\n  - { srv: \"2.2\", level: 2 }\n");

            final CommandRun applied = CommandRun.of("policy", "reload", "--admin", admin);
            assertEquals(0, applied.exit(), applied.err());
            assertTrue(applied.out().startsWith("policy reload: generation 2 in force from message id 0: " + policy +
                " (sha256 "), applied.out());
            assertEquals(List.of(applied.out().trim()), reported, "the engine logs the line it answers");

            Files.writeString(policy, HEADER + "rules:\n  - { srv: \"2.2\", level: 2, trt: soon }\n");
            // Found through the configuration, which names the broken policy: read for its admin address only.
            final Path config = dir.resolve("otaprio.yaml");
            Files.writeString(config, "policy: live.yaml\nadmin:\n  listen: " + admin + "\n");
            final CommandRun refused = CommandRun.of("policy", "reload", "--config", config.toString());
            assertEquals(PolicyCommand.EXIT_REFUSED, refused.exit(), refused.err());
            assertTrue(refused.out().startsWith("policy reload refused: " + policy + ":4: rules[0].trt \"soon\""),
                refused.out());
            assertTrue(refused.out().endsWith("; generation 2 (" + policy + ", sha256 " +
                engine.context().policyReloader().current().sha256() + ") stays in force\n"), refused.out());
        }
    }

    @Test
    void shouldSayWhenNoEngineAnswersOnTheAdminAddress() throws IOException
    {
        final int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        final CommandRun run = CommandRun.of("policy", "reload", "--admin", "127.0.0.1:" + closedPort);

        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertTrue(run.err().startsWith("otaprio policy reload: error: cannot reach an engine's admin endpoint at " +
            "http://127.0.0.1:" + closedPort + "/policy/reload: "), run.err());
    }

    private static int lineOf(final String file, final String text) throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of(file));
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).contains(text))
            {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }
}
