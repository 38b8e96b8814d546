package io.otaprio.cluster;

import io.otaprio.admission.AdmissionRules;
import io.otaprio.admission.AlertThrottle;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.Recovered;
import org.agrona.CloseHelper;

/**
 * One node of a replicated otaprio: the engine of {@link EngineContext} (gateway, lanes, scheduler, dispatcher,
 * reporter, metrics) whose admission is replicated through an Aeron Cluster.
 * <pre>
 *   Gateway ──ClusterTransport──► cluster log ──► ReplicatedEngine (every node: decide, backlog, journal)
 *                                                     │ leader only
 *                                                     ▼
 *                                   lanes (rings) ──► Scheduler ──► Dispatcher ──► completions ──► cluster log
 * </pre>
 * The node's journal directory holds its Chronicle journal, written by the service from the committed log (so
 * {@code journal dump} works on any node), its status file and its lock; its cluster directory holds the Raft log.
 * <p>
 * Threading: launch and close from one thread.
 */
public final class ClusteredEngine implements AutoCloseable
{
    private static final int MARKS_CAPACITY_BYTES = 1 << 20;
    /** About 100 ms of what three nodes on two cores commit: a longer queue ahead of the log is not let form. */
    private static final int MAX_UNANSWERED = 2048;

    private final ClusterNode node;
    private final Engine engine;
    private final ReplicatedEngine service;
    private final ClusterTransport transport;
    private final AutoCloseable[] journals;

    private ClusteredEngine(
        final ClusterNode node,
        final Engine engine,
        final ReplicatedEngine service,
        final ClusterTransport transport,
        final AutoCloseable[] journals)
    {
        this.node = node;
        this.engine = engine;
        this.service = service;
        this.transport = transport;
        this.journals = journals;
    }

    /**
     * Start a node: its journal, its cluster member (which joins the election at once) and its engine.
     *
     * @param ctx      the engine's settings: its TCP gateway must be on (clients reach the cluster through it).
     * @param settings the cluster's members and this node's place in it.
     * @return the running node.
     * @throws IllegalArgumentException when the gateway is off, or the DUIS endpoint on.
     */
    public static ClusteredEngine launch(final EngineContext ctx, final ClusterSettings settings)
    {
        if (Configuration.OFF.equals(ctx.gatewayListen()))
        {
            throw new IllegalArgumentException("a cluster node needs its gateway: clients reach the cluster by it");
        }
        if (!Configuration.OFF.equals(ctx.duisListen()))
        {
            // Its submissions would be admitted by this node alone, outside the replicated log.
            throw new IllegalArgumentException("duis.listen is " + ctx.duisListen() + ": a cluster node does not " +
                "serve DUIS over HTTP yet (feed the cluster through its TCP gateways); set duis.listen: off");
        }
        final JournalConfig journal = ctx.journal();
        final ClusterTransport[] transport = new ClusterTransport[1];
        final DispatchMarks marks = new DispatchMarks(ctx.dspSlots(), MARKS_CAPACITY_BYTES);
        ctx.journalWrittenElsewhere(true)
            .outcomeLog(marks)
            .gatewayTransport(gateway -> transport[0] = new ClusterTransport(gateway,
                ClusterNode.clientContext(settings, settings.aeronDirectory().toString()), settings.memberId(),
                ctx.maxPayloadBytes(), marks, ctx.policy(), MAX_UNANSWERED, ctx.errorHandler()))
            .conclude();

        AcceptedLog accepted = AcceptedLog.NONE;
        OutcomeLog outcomes = OutcomeLog.NONE;
        Recovered recovered = Recovered.none();
        ClusterNode node = null;
        try
        {
            if (null != journal)
            {
                final JournalConfig sized = journal.payloadCapacity(Math.max(1, ctx.maxPayloadBytes()));
                recovered = JournalRecovery.recover(sized);
                accepted = AcceptedJournal.open(sized);
                outcomes = OutcomeJournal.open(sized, recovered, Math.max(ctx.firstMessageId(),
                    recovered.nextMessageId()));
            }
            final AdmissionRules rules = new AdmissionRules(ctx.policy(), ctx.metrics(), ctx.maxPayloadBytes(),
                ctx.newResendDetection(), ctx.newOriginatorQuota(), ctx.newAlertThrottle(AlertThrottle.Summary.NONE),
                ctx.newLevelOneAlertGuard());
            final ReplicatedEngine service = new ReplicatedEngine(new ReplicatedParts(rules, ctx.laneSizes(),
                ctx.firstMessageId(), accepted, outcomes, recovered, LaneFeed.into(ctx.rings()),
                new ClusterCounters(ctx.statusFile().countersManager())));
            node = ClusterNode.launch(settings, service, ctx.errorHandler());
            final Engine engine = Engine.launch(ctx);
            return new ClusteredEngine(node, engine, service, transport[0],
                new AutoCloseable[]{ closeable(outcomes), closeable(accepted) });
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(node, closeable(outcomes), closeable(accepted));
            ctx.close();
            throw ex;
        }
    }

    /** @return the node's engine: its context, metrics and gateway. */
    public Engine engine()
    {
        return engine;
    }

    /** @return the node's replicated service: state hash, backlog size, leadership. */
    public ReplicatedEngine service()
    {
        return service;
    }

    /** @return the node's front end into the cluster. */
    public ClusterTransport transport()
    {
        return transport;
    }

    /** @return the node's cluster member. */
    public ClusterNode node()
    {
        return node;
    }

    /** Stop the engine (its gateway answers what it can), then the cluster member, then close the journal. */
    public void close()
    {
        try
        {
            CloseHelper.closeAll(engine, node);
        }
        finally
        {
            CloseHelper.quietCloseAll(journals);
        }
    }

    private static AutoCloseable closeable(final Object log)
    {
        return log instanceof AutoCloseable ? (AutoCloseable)log : null;
    }
}
