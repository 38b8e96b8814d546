package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.ThreadingMode;
import io.otaprio.policy.PriorityPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otaprio stat} and {@code otaprio errors} reading an engine that runs in this process, through the command line
 * as an operator runs them.
 */
class StatusCommandsTest
{
    @TempDir
    Path journal;

    private Engine engine;

    @AfterEach
    void closeEngine()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldPrintTheRunningEnginesCountersByLabel()
    {
        launch();
        final CommandRun stat = CommandRun.of("stat", "--journal", journal.toString());
        assertEquals(0, stat.exit(), stat.err());
        assertTrue(stat.out().contains("engine pid " + ProcessHandle.current().pid() + " running"), stat.out());
        assertTrue(stat.out().matches("(?s).*\\s0 - accepted level=1\\R.*"), stat.out());
        assertTrue(stat.out().contains("gateway frames in"), stat.out());
    }

    @Test
    void shouldPrintEachDistinctErrorWithItsCount()
    {
        launch();
        for (int i = 0; i < 2; i++)
        {
            engine.context().errorHandler().onError(failure());
        }
        final CommandRun errors = CommandRun.of("errors", "--journal", journal.toString());
        assertEquals(0, errors.exit(), errors.err());
        assertTrue(errors.out().contains("2 observations from "), errors.out());
        assertTrue(errors.out().contains("java.lang.IllegalStateException: the dispatcher went away"), errors.out());
        assertTrue(errors.out().contains("1 distinct error"), errors.out());

        final CommandRun stat = CommandRun.of("stat", "--journal", journal.toString());
        assertTrue(stat.out().matches("(?s).*\\s2 - errors \\(\\./otaprio errors lists them\\)\\R.*"), stat.out());
    }

    @Test
    void shouldSayWhereItLookedWhenNoEngineHasRunThere()
    {
        final CommandRun stat = CommandRun.of("stat", "--journal", journal.toString());
        assertEquals(2, stat.exit());
        final String expected = "no engine status file at " + journal.resolve("otaprio-status.dat");
        assertTrue(stat.err().contains(expected), stat.err());
        assertEquals(1, stat.err().lines().count(), stat.err());
        assertEquals(2, CommandRun.of("errors", "--journal", journal.toString()).exit());
    }

    private void launch()
    {
        engine = Engine.launch(new EngineContext()
            .policy(PriorityPolicy.parse(
                "name: t\ndefaultLevel: 4\ntrt: { 1: 1s, 2: 1s, 3: 1s, 4: 1s }\nrules: []\n", "t.yaml"))
            .threadingMode(ThreadingMode.INVOKER)
            .gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .errorHandler(ex ->
            {
            })
            .journalDirectory(journal));
    }

    private static IllegalStateException failure()
    {
        return new IllegalStateException("the dispatcher went away");
    }

}
