package io.otaprio.loadgen;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.InProcessTransport;
import io.otaprio.admission.MessageSource;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs the engine in-process against the simulated DSP under an open-loop load: every message has an intended
 * send time drawn in advance from the {@link LoadProfile}, and its latency is measured from that time to its
 * completion, whatever the engine did in between.
 * <p>
 * The load is an in-process transport of the engine: its {@link MessageSource} runs in the admission agent's duty
 * cycle and submits every message whose intended time has come, so the simulation goes through exactly the duty
 * cycle the TCP gateway does (replay of a journal's backlog, completions to resend detection) with no thread of its
 * own. The engine runs with the context's threading mode: with {@code shared} the whole simulation is one thread.
 * <p>
 * Threads: the engine's (stopped before {@link #run} returns) and the caller's, which prints a progress line each
 * second.
 */
public final class Simulation
{
    private static final int SUBMIT_LIMIT = 4096;

    /**
     * What to run.
     *
     * @param context        makes the engine's context for one run (configuration, policy, journal, threading): the
     *                       simulation turns the network listeners off, and gives it a simulated DSP seeded with
     *                       {@code seed} and the load as its in-process transport.
     * @param mix            traffic mix.
     * @param profile        offered load over time.
     * @param seed           random seed of arrivals, mix and DSP.
     * @param drainTimeoutNs how long to wait for the backlog after the load ends.
     * @param progress       where progress lines go, or null for none.
     */
    public record Settings(
        Supplier<EngineContext> context,
        TrafficMix mix,
        LoadProfile profile,
        long seed,
        long drainTimeoutNs,
        PrintStream progress)
    {
    }

    /**
     * Told of each message of the load as admission answers it and as it completes: a scenario's own figures beside
     * the per-level ones (one SRV's latency, what a guard demoted). Called on the engine's admission thread; read what
     * it gathered once {@link #run(Settings, Observer)} has returned, by when the engine's threads have stopped.
     */
    public interface Observer
    {
        /** Observes nothing. */
        Observer NONE = new Observer()
        {
            public void onAnswered(final ScheduledMessage message, final AdmissionResult result)
            {
            }

            public void onCompleted(final AcceptedMessageFlyweight message, final long latencyNs)
            {
            }
        };

        /**
         * @param message the message sent; valid during the call only.
         * @param result  admission's answer.
         */
        void onAnswered(ScheduledMessage message, AdmissionResult result);

        /**
         * A message of this load completed (one replayed from a journal is not told).
         *
         * @param message   the completed message, as admission stamped it (level, TRT budget); valid during the call
         *                  only.
         * @param latencyNs from its intended send time to its completion.
         */
        void onCompleted(AcceptedMessageFlyweight message, long latencyNs);
    }

    private final Settings settings;
    private final Observer observer;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();

    private Simulation(final Settings settings, final Observer observer)
    {
        this.settings = settings;
        this.observer = observer;
    }

    /**
     * @param ctx a context as configured (not concluded).
     * @param mix traffic mix.
     * @return messages per second the configured simulated DSP sustains for this mix.
     */
    public static double capacityPerSecond(final EngineContext ctx, final TrafficMix mix)
    {
        return ctx.dspCapacityPerSecond(mix.meanServiceNs(ctx.serviceTimes()));
    }

    /**
     * Run to completion: offer the load, wait for the backlog to drain (or the drain timeout), stop everything.
     *
     * @param settings what to run.
     * @return what was measured.
     */
    public static SimulationResult run(final Settings settings)
    {
        return run(settings, Observer.NONE);
    }

    /**
     * Run to completion, telling an observer of every message's answer and completion.
     *
     * @param settings what to run.
     * @param observer told of each message on the admission thread; read it after this returns.
     * @return what was measured.
     */
    public static SimulationResult run(final Settings settings, final Observer observer)
    {
        return new Simulation(settings, observer).run();
    }

    private SimulationResult run()
    {
        final PrintStream out = settings.progress();
        final EngineContext ctx = settings.context().get();
        final double capacity = capacityPerSecond(ctx, settings.mix());
        final Load load = new Load(new OpenLoop.Settings(ctx.policy(), settings.mix(), settings.profile(),
            settings.seed(), capacity, settings.drainTimeoutNs(), out), observer);
        ctx.gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .dispatcher(new SimulatedDsp(ctx.dspSlots(), ctx.serviceTimes(), settings.seed()))
            .clock(clock)
            .addTransport(new InProcessTransport(load));

        final Engine engine = Engine.launch(ctx);
        load.engine = engine;
        final long replayExpected = engine.context().recovered().pendingCount();
        if (replayExpected > 0 && null != out)
        {
            out.printf(Locale.ROOT, "recovered %d pending messages from the journal (%d were dispatched before " +
                "the stop and will be dispatched again); replaying level 1 first%n", replayExpected,
                engine.context().recovered().redispatched());
        }
        final Thread shutdownHook = new Thread(load::stop);
        try
        {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: run anyway, the stop flag is never needed.
        }
        final long drainEndNs;
        try
        {
            while (!load.loadOver && !load.stop)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            final long drainDeadlineNs = System.nanoTime() + settings.drainTimeoutNs();
            // The load's own count, not the engine's completed metric: the scheduler counts a completion before the
            // admission thread hands it to the load, and closing the engine in between would lose the last ones.
            while (!load.stop && load.completions.get() < load.accepted.get() + replayExpected &&
                System.nanoTime() < drainDeadlineNs)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        finally
        {
            drainEndNs = clock.nanoTime();
            load.stop();
            engine.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignore)
            {
                // The JVM is exiting; nothing to remove.
            }
        }
        // The engine's threads have stopped (close joins them), so the load's figures are safe to read here.
        return load.openLoop.result(drainEndNs, engine.context().replayFeeder().replayed());
    }

    /**
     * The open-loop load as the engine's in-process message source: on the admission thread, each duty cycle submits
     * every message whose intended time has come (late ones at once, their lateness counted), and records each
     * completion's latency from its intended time, against its own TRT budget. A message replayed from the journal was
     * sent by an earlier run: its latency runs from its original accept time, so the downtime counts.
     */
    private static final class Load implements MessageSource
    {
        private final OpenLoop openLoop;
        private final Observer observer;
        private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
        private final AdmissionResult result = new AdmissionResult();
        private final RequestId requestId = new RequestId();
        private final UnsafeBuffer payload;
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong completions = new AtomicLong();
        private final OpenLoop.Sender sender = this::send;
        private volatile Engine engine;
        private volatile boolean loadOver;
        private volatile boolean stop;
        private Admission admission;
        private long firstLiveId = -1;

        Load(final OpenLoop.Settings settings, final Observer observer)
        {
            openLoop = new OpenLoop(settings, this::progressDetail);
            this.observer = observer;
            final int payloadBytes = Math.max(64, settings.mix().maxPayloadBytes());
            payload = new UnsafeBuffer(new byte[payloadBytes]);
            for (int i = 0; i < payload.capacity(); i++)
            {
                payload.putByte(i, (byte)i);
            }
            submission.wrap(new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(payloadBytes)]), 0);
        }

        public int poll(final Admission admission, final long nowNs)
        {
            if (firstLiveId < 0)
            {
                this.admission = admission;
                firstLiveId = admission.nextMessageId();
                openLoop.start(nowNs);
            }
            if (stop && openLoop.isLoading())
            {
                openLoop.endLoad(nowNs);
            }
            final int work = openLoop.sendDue(nowNs, sender, SUBMIT_LIMIT);
            if (!openLoop.isLoading())
            {
                loadOver = true;
            }
            openLoop.reportProgress(nowNs);
            return work;
        }

        private boolean send(final ScheduledMessage message)
        {
            final TrafficMix.Type type = message.type();
            submission.clear()
                .kind(type.kind().value())
                .code(type.code())
                .requestId(requestId.set(message.originator(), message.target(), message.number()))
                .payload(payload, 0, type.payloadBytes());
            if (admission.submit(submission, result))
            {
                openLoop.onAccepted();
                accepted.lazySet(accepted.get() + 1);
            }
            else
            {
                openLoop.onRejected(result.reason().code());
            }
            observer.onAnswered(message, result);
            // Admission answers at once: nothing is refused for later.
            return true;
        }

        public void onCompleted(final CompletedMessage completed)
        {
            final AcceptedMessageFlyweight message = completed.message();
            if (message.messageId() >= firstLiveId)
            {
                if (openLoop.onCompleted(message.counter(), message.level(), message.trtNs(),
                    completed.completedTimeNs()))
                {
                    observer.onCompleted(message, completed.completedTimeNs() - openLoop.intendedNs(message.counter()));
                }
            }
            else
            {
                openLoop.onCompletedSince(message.acceptTimeNs(), message.level(), message.trtNs(),
                    completed.completedTimeNs());
            }
            completions.lazySet(completions.get() + 1);
        }

        private void progressDetail(final StringBuilder line)
        {
            final Engine running = engine;
            if (null == running)
            {
                return;
            }
            // Dispatched before completed, so the in-flight figure never overstates what the credit allows.
            final long dispatched = running.context().metrics().dispatchedTotal();
            final long completed = running.context().metrics().completedTotal();
            line.append("depth by lane [");
            for (int lane = 0; lane < running.context().rings().lanes(); lane++)
            {
                line.append(lane == 0 ? "" : " ").append(running.context().rings().depth(lane));
            }
            line.append("]  in flight ").append(dispatched - completed);
        }

        void stop()
        {
            stop = true;
        }
    }
}
