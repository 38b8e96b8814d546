package io.otaprio.engine;

import io.otaprio.admission.Admission;
import io.otaprio.admission.InProcessTransport;
import io.otaprio.admission.MessageSource;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's counters and error log as another process reads them: from the status file in its journal directory,
 * while it runs.
 */
class EngineStatusTest
{
    @TempDir
    Path journal;

    private final TestSubmitter submitter = new TestSubmitter();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private Engine engine;

    @AfterEach
    void closeEngine() throws InterruptedException
    {
        if (null != engine)
        {
            engine.close();
        }
        assertFalse(TestEngines.threadAlive("otaprio-"), () -> TestEngines.threads("otaprio-"));
    }

    @Test
    void shouldPublishTheEnginesCountersInTheJournalDirectory() throws Exception
    {
        engine = Engine.launch(TestEngines.context()
            .threadingMode(ThreadingMode.INVOKER)
            .journalDirectory(journal)
            .dispatcher(new ImmediateDispatcher(4))
            .addTransport(new InProcessTransport(submitter)));
        for (int counter = 1; counter <= 3; counter++)
        {
            final var answer = submitter.offer(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
                new RequestId(7, 8, counter), payload, 0, 16);
            engine.invoker().invoke();
            assertTrue(answer.get().accepted());
        }

        final StatusFileReader status = StatusFileReader.open(journal.resolve(StatusFileDescriptor.FILE_NAME));
        assertEquals(ProcessHandle.current().pid(), status.pid());
        assertEquals(3, value(status.counters(), "accepted level=1"));
        assertEquals(engine.context().metrics().accepted(1), value(status.counters(), "accepted level=1"));
        assertEquals(0, value(status.counters(), "accepted level=4"));
        assertEquals(0, value(status.counters(), "errors (./otaprio errors lists them)"));
    }

    @Test
    void shouldCountAndLogErrorsAndShowThemInTheMetrics()
    {
        final List<Throwable> told = new ArrayList<>();
        engine = Engine.launch(TestEngines.context()
            .threadingMode(ThreadingMode.INVOKER)
            .journalDirectory(journal)
            .dispatcher(new ImmediateDispatcher(4))
            .errorHandler(told::add)
            .addTransport(new InProcessTransport(new FailingSource())));
        // After an agent throws, a composite duty cycle resumes with the agent after it: a few invocations make three.
        for (int i = 0; i < 20 && told.size() < 3; i++)
        {
            engine.invoker().invoke();
        }

        assertEquals(3, told.size(), "the handler given is told of every error");
        final StatusFileReader status = StatusFileReader.open(journal.resolve(StatusFileDescriptor.FILE_NAME));
        assertEquals(3, value(status.counters(), "errors (./otaprio errors lists them)"));
        final int distinct = ErrorLogReader.read(status.errorLogBuffer(), (count, firstMs, lastMs, encoded) ->
        {
            assertEquals(3, count);
            assertTrue(encoded.startsWith("java.lang.IllegalStateException: the source broke"), encoded);
        });
        assertEquals(1, distinct);
        final String metrics = PrometheusEndpoint.collect(engine);
        assertTrue(metrics.contains(
            "otaprio_errors_total{error=\"java.lang.IllegalStateException: the source broke\"} 3"), metrics);
    }

    private static long value(final CountersReader counters, final String label)
    {
        final long[] found = { -1 };
        counters.forEach((value, id, counterLabel) ->
        {
            if (label.equals(counterLabel))
            {
                found[0] = value;
            }
        });
        return found[0];
    }

    private static final class FailingSource implements MessageSource
    {
        public int poll(final Admission admission, final long nowNs)
        {
            throw new IllegalStateException("the source broke");
        }

        public void onCompleted(final CompletedMessage completed)
        {
        }
    }
}
