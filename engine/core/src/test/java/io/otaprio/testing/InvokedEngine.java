package io.otaprio.testing;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.ThreadingMode;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The real engine driven by hand for the scheduling model tests: {@link ThreadingMode#INVOKER}, so no thread of its
 * own; each {@link #invoke()} is one duty cycle of admission then scheduler, against a {@link ManualDispatcher} the
 * test completes messages of. Rings of 512 per lane, so that they never fill in those tests.
 */
public final class InvokedEngine implements AutoCloseable
{
    private final ManualDispatcher dispatcher;
    private final TestSubmitter submitter = new TestSubmitter();
    private final Engine engine;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private long counter;

    /**
     * @param policy   the policy (classed or fifo).
     * @param slots    K.
     * @param settings further settings of the engine's context (a reservation, say).
     */
    public InvokedEngine(final PriorityPolicy policy, final int slots, final UnaryOperator<EngineContext> settings)
    {
        dispatcher = new ManualDispatcher(slots);
        engine = Engine.launch(settings.apply(TestEngines.context()
            .threadingMode(ThreadingMode.INVOKER)
            .policy(policy)
            .dispatcher(dispatcher)
            .ringSizes(512, 512, 512, 512)
            .maxPayloadBytes(8)
            .completionRelayCapacity(1024)
            .addTransport(new InProcessTransport(submitter))));
    }

    /**
     * @param policy the policy (classed or fifo).
     * @param slots  K.
     */
    public InvokedEngine(final PriorityPolicy policy, final int slots)
    {
        this(policy, slots, UnaryOperator.identity());
    }

    /**
     * Offer a service request of the test policy's level; admitted on the next {@link #invoke()}.
     *
     * @param level 1..4.
     * @return its answer, once admitted.
     */
    public CompletableFuture<TestSubmitter.Answer> offer(final int level)
    {
        return submitter.offer(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(1, 2, counter++), payload, 0, 8);
    }

    /** One duty cycle of every agent. */
    public void invoke()
    {
        engine.invoker().invoke();
    }

    /** @return the downstream the test completes messages of. */
    public ManualDispatcher dispatcher()
    {
        return dispatcher;
    }

    /** @return the engine. */
    public Engine engine()
    {
        return engine;
    }

    public void close()
    {
        engine.close();
    }
}
