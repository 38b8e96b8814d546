package io.otaprio.engine;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionAgent;
import io.otaprio.admission.Transport;
import io.otaprio.config.HostPort;
import io.otaprio.http.DuisEndpoint;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.Scheduler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The engine: three agents (four with the DUIS endpoint on) built from one concluded {@link EngineContext} and run on
 * threads as its {@link ThreadingMode} says.
 * <pre>
 *   transports ──► AdmissionAgent ──► ring[lane] ──► Scheduler ──dispatch──► Dispatcher
 *   (TCP gateway,   (admission, replay,                 │  ▲                     │
 *    in-process)     completions to                     │  └── CompletionQueue ◄─┘ complete (any thread)
 *        ▲           resend detection)                  │
 *        └──────────── CompletionRelay ◄────────────────┘  accounted: latency, TRT, outcome journal
 *   Reporter: latency intervals (and hlog files) once a second; the Prometheus endpoint reads the same figures
 * </pre>
 * With a journal, the context's conclusion recovers first: pending = accepted - completed; message ids continue above
 * the highest seen; the admission agent feeds the backlog back into the rings, level 1 first, alongside live traffic.
 * <p>
 * {@link #close()} stops every agent and waits for every thread it started, so no thread outlives the engine, then
 * closes the journals.
 */
public final class Engine implements AutoCloseable
{
    private final EngineContext ctx;
    private final AdmissionAgent admissionAgent;
    private final Scheduler scheduler;
    private final Reporter reporter;
    private final DuisEndpoint duis;
    private final AgentRunner[] runners;
    private final AgentInvoker invoker;
    private PrometheusEndpoint metricsEndpoint;
    private AdminEndpoint adminEndpoint;
    private boolean closed;

    private Engine(final EngineContext ctx)
    {
        this.ctx = ctx;
        admissionAgent = new AdmissionAgent(ctx);
        scheduler = new Scheduler(ctx);
        reporter = new Reporter(ctx, this::snapshot);
        duis = ctx.duisEndpoint();
        switch (ctx.threadingMode())
        {
            case DEDICATED:
                runners = null == duis ?
                    new AgentRunner[]{
                        new AgentRunner(ctx.admissionIdleStrategy(), ctx.errorHandler(), null, admissionAgent),
                        new AgentRunner(ctx.schedulerIdleStrategy(), ctx.errorHandler(), null, scheduler),
                        new AgentRunner(reporterIdleStrategy(), ctx.errorHandler(), null, reporter) } :
                    new AgentRunner[]{
                        new AgentRunner(ctx.admissionIdleStrategy(), ctx.errorHandler(), null, admissionAgent),
                        new AgentRunner(ctx.schedulerIdleStrategy(), ctx.errorHandler(), null, scheduler),
                        new AgentRunner(ctx.duisIdleStrategy(), ctx.errorHandler(), null, duis),
                        new AgentRunner(reporterIdleStrategy(), ctx.errorHandler(), null, reporter) };
                invoker = null;
                break;

            case SHARED:
                runners = new AgentRunner[]{ new AgentRunner(ctx.sharedIdleStrategy(), ctx.errorHandler(), null,
                    new CompositeAgent(agents())
                    {
                        public String roleName()
                        {
                            return "otaprio-shared";
                        }
                    }) };
                invoker = null;
                break;

            default:
                runners = new AgentRunner[0];
                invoker = new AgentInvoker(ctx.errorHandler(), null, new CompositeAgent(agents()));
                break;
        }
    }

    private Agent[] agents()
    {
        // The DUIS endpoint, when on, parses before admission admits: the order of a duty cycle's work.
        return null == duis ? new Agent[]{ admissionAgent, scheduler, reporter } :
            new Agent[]{ duis, admissionAgent, scheduler, reporter };
    }

    /**
     * Conclude the context, build the agents and start them (in {@link ThreadingMode#INVOKER}, start them on the
     * calling thread: drive them with {@link #invoker()}), then the metrics and admin endpoints. If any of it fails,
     * what was opened is closed before the error is thrown.
     *
     * @param ctx the configuration; concluded here.
     * @return the running engine.
     */
    public static Engine launch(final EngineContext ctx)
    {
        final Engine engine;
        try
        {
            engine = new Engine(ctx.conclude());
        }
        catch (final RuntimeException ex)
        {
            closeTransports(ctx);
            ctx.close();
            throw ex;
        }
        try
        {
            engine.start();
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
        return engine;
    }

    private void start()
    {
        if (null != invoker)
        {
            invoker.start();
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner);
        }
        if (!Configuration.OFF.equals(ctx.metricsListen()))
        {
            final HostPort at = HostPort.parse("metrics listen", ctx.metricsListen(), 0);
            metricsEndpoint = PrometheusEndpoint.start(at.host(), at.port(), this);
        }
        if (!Configuration.OFF.equals(ctx.adminListen()))
        {
            final HostPort at = HostPort.parse("admin listen", ctx.adminListen(), 0);
            adminEndpoint = AdminEndpoint.start(at.host(), at.port(), ctx.policyReloader());
        }
    }

    /**
     * In {@link ThreadingMode#INVOKER}: one call of {@code invoke()} runs one duty cycle of the DUIS endpoint (when
     * on), the admission agent, the scheduler and the reporter, in that order, on the calling thread.
     *
     * @return the invoker, or null in the other modes.
     */
    public AgentInvoker invoker()
    {
        return invoker;
    }

    /**
     * @return admission: its figures may be read from any thread; only the admission agent's thread submits (through
     * a transport).
     */
    public Admission admission()
    {
        return admissionAgent.admission();
    }

    /**
     * The parts the agents share are reached through the context, as Aeron's media driver exposes its own: the rings
     * and metrics (read from any thread), what recovery found and the replay feeder's progress, the TCP gateway.
     *
     * @return the concluded context it runs with.
     */
    public EngineContext context()
    {
        return ctx;
    }

    /** @return the scheduler agent (its state belongs to the scheduler's thread). */
    public Scheduler scheduler()
    {
        return scheduler;
    }

    /** @return the admin endpoint, or null when it is off. */
    public AdminEndpoint adminEndpoint()
    {
        return adminEndpoint;
    }

    /** @return the Prometheus endpoint, or null when it is off. */
    public PrometheusEndpoint metricsEndpoint()
    {
        return metricsEndpoint;
    }

    /**
     * Total messages queued in the rings now. Any thread.
     *
     * @return depth over all lanes.
     */
    public long depth()
    {
        long depth = 0;
        for (int lane = 0; lane < ctx.rings().lanes(); lane++)
        {
            depth += ctx.rings().depth(lane);
        }
        return depth;
    }

    /**
     * Cumulative figures since start. Any thread (snapshots are serialised).
     *
     * @return the snapshot.
     */
    public MetricsSnapshot snapshot()
    {
        final PriorityRings rings = ctx.rings();
        final long[] depthByLane = new long[rings.lanes()];
        for (int lane = 0; lane < depthByLane.length; lane++)
        {
            depthByLane[lane] = rings.depth(lane);
        }
        // The budgets of the policy in force: a reload may change them.
        final PriorityPolicy policy = ctx.policyReloader().current().policy();
        final long[] levelTrtNs = new long[PriorityPolicy.LEVELS + 1];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            levelTrtNs[level] = policy.levelTrtNs(level);
        }
        return ctx.metrics().snapshot(depthByLane, levelTrtNs);
    }

    /**
     * Refuse new messages, stop the admin and metrics endpoints, stop the agents (admission first, so the transports
     * answer what they can and close; then the scheduler, which flushes the outcome journal; then the reporter) and
     * wait for their threads, then close the journals. Idempotent; from the thread that launched the engine.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        admissionAgent.admission().close();
        try
        {
            CloseHelper.closeAll(adminEndpoint, metricsEndpoint);
            CloseHelper.closeAll(runners);
            CloseHelper.close(invoker);
        }
        finally
        {
            ctx.close();
        }
    }

    private SleepingMillisIdleStrategy reporterIdleStrategy()
    {
        return new SleepingMillisIdleStrategy(Math.max(1, ctx.reporterIntervalNs() / 10_000_000L));
    }

    private static void closeTransports(final EngineContext ctx)
    {
        for (final Transport transport : ctx.transports())
        {
            try
            {
                transport.onClose();
            }
            catch (final RuntimeException ignore)
            {
                // Closing on the way out of a failed launch: the launch's failure is the one worth reporting.
            }
        }
    }
}
