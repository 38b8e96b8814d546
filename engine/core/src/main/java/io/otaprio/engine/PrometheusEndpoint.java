package io.otaprio.engine;

import com.sun.net.httpserver.HttpExchange;
import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.DemotedAlertCode;
import io.otaprio.admission.LevelOneAlertGuard;
import io.otaprio.admission.OriginatorCount;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.admission.ThrottledPair;
import io.otaprio.gateway.GatewayCounters;
import io.otaprio.http.DuisCounters;
import io.otaprio.identity.ClientIdentity;
import io.otaprio.identity.ListenerSecurity;
import io.otaprio.identity.NotAuthorisedCounters;
import io.otaprio.identity.TlsCounters;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.recovery.RecoveryMilestones;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The engine's figures in Prometheus' text format (version 0.0.4) on {@code http://HOST:PORT/metrics}, served by the
 * JDK's own HTTP server on one daemon thread. Nothing is recorded for it: each scrape reads the engine's own Agrona
 * counters and latency histograms ({@link Engine#snapshot()}), so the hot paths are untouched and the two views never
 * disagree.
 * <p>
 * Threading: scrapes run on the endpoint's own thread ({@code otaprio-metrics}), one at a time;
 * {@link Engine#snapshot()}
 * is safe from any one thread at a time and the counters from any thread.
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    private static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };

    private static final int ERROR_KINDS_SHOWN = 20;

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpListener listener;

    private PrometheusEndpoint(final HttpListener listener)
    {
        this.listener = listener;
    }

    /**
     * Start serving.
     *
     * @param host    interface to bind, 127.0.0.1 unless an operator means otherwise.
     * @param port    TCP port, 0 for any free one.
     * @param engine  the engine.
     * @return the running endpoint.
     * @throws UncheckedIOException if the address cannot be bound.
     */
    public static PrometheusEndpoint start(final String host, final int port, final Engine engine)
    {
        return new PrometheusEndpoint(
            HttpListener.start("metrics", host, port, Map.of("/metrics", exchange -> serve(exchange, engine))));
    }

    /** @return the port bound. */
    public int port()
    {
        return listener.port();
    }

    /** Stop serving. */
    public void close()
    {
        listener.close();
    }

    private static void serve(final HttpExchange exchange, final Engine engine) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] body = collect(engine).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    private static void recovery(final PrometheusText all, final RecoveryMilestones recovery)
    {
        if (recovery.scannedUs() < 0)
        {
            return;   // no journal of its own: nothing was recovered
        }
        all.gauge("otaprio_recovery_seconds", "Start-up recovery, seconds after the JVM started: journal scanned, " +
            "first replayed level-1 message dispatched, whole backlog queued in the rings (absent until reached).");
        milestone(all, "scanned", recovery.scannedUs());
        milestone(all, "first_level1_dispatch", recovery.firstLevelOneDispatchUs());
        milestone(all, "backlog_queued", recovery.backlogQueuedUs());
        gauge(all, "otaprio_recovery_scan_seconds", "How long the start-up journal scan took.",
            recovery.scanDurationUs() / 1e6);
        all.gauge("otaprio_recovery_pending", "Pending messages the start-up scan found, by level.");
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            all.sample("otaprio_recovery_pending", recovery.pending(level), "level", Integer.toString(level));
        }
        all.gauge("otaprio_recovery_scanned_bytes", "Journal bytes the start-up scan read, by queue (accepted: from " +
            "the latest checkpoint's index).");
        all.sample("otaprio_recovery_scanned_bytes", recovery.acceptedBytesScanned(), "queue", "accepted");
        all.sample("otaprio_recovery_scanned_bytes", recovery.outcomeBytesScanned(), "queue", "outcomes");
    }

    private static void milestone(final PrometheusText all, final String name, final long micros)
    {
        if (micros >= 0)
        {
            all.sample("otaprio_recovery_seconds", micros / 1e6, "milestone", name);
        }
    }

    static String collect(final Engine engine)
    {
        final EngineContext ctx = engine.context();
        final MetricsSnapshot snapshot = engine.snapshot();
        final PrometheusText all = new PrometheusText();

        perLevel(all, snapshot, "otaprio_accepted", "Messages admitted, by level.", MetricsSnapshot.Level::accepted);
        perLevel(all, snapshot, "otaprio_dispatched", "Messages handed to the downstream, by level.",
            MetricsSnapshot.Level::dispatched);
        perLevel(all, snapshot, "otaprio_completed", "Messages completed, by level.", MetricsSnapshot.Level::completed);
        perLevel(all, snapshot, "otaprio_failed", "Messages completed with a failure outcome, by level.",
            MetricsSnapshot.Level::failed);
        perLevel(all, snapshot, "otaprio_trt_met", "Completions within the level's TRT.",
            MetricsSnapshot.Level::trtMet);
        perLevel(all, snapshot, "otaprio_trt_missed", "Completions after the level's TRT.",
            MetricsSnapshot.Level::trtMissed);
        perLevel(all, snapshot, "otaprio_duplicates",
            "Resends answered DUPLICATE (pending or completed within the dedup window), by level.",
            MetricsSnapshot.Level::duplicates);
        perLevel(all, snapshot, "otaprio_demoted",
            "Messages the policy put at this level admitted at a lower one: over their originator's quota (to level " +
            "3) or level-1 alerts over their code's rate (to alerts.guard.demoteTo).",
            MetricsSnapshot.Level::demoted);
        perLevel(all, snapshot, "otaprio_full", "Submits rejected FULL because the level's ring was full.",
            MetricsSnapshot.Level::full);

        all.gauge("otaprio_in_flight", "Messages dispatched and not yet completed, by level.");
        for (final MetricsSnapshot.Level level : snapshot.levels())
        {
            // Two counters read one after the other: never below 0, though a scrape may catch them a cycle apart.
            all.sample("otaprio_in_flight", Math.max(0, level.dispatched() - level.completed()), "level",
                Integer.toString(level.level()));
        }
        gauge(all, "otaprio_dispatch_slots", "K: messages the downstream may hold at once (the scheduler's credit).",
            ctx.dispatcher().slots());
        gauge(all, "otaprio_dispatch_reserved_slots", "Slots of the K only levels 1.." + ctx.reservedLevels() +
            " may take (dsp.reserved; 0 = none): the levels below never hold more than K minus these.",
            ctx.reservedSlots());

        all.counter("otaprio_rejected", "Submits not admitted, by reason (docs/protocol.md section 5).");
        for (final RejectReason reason : RejectReason.values())
        {
            all.sample("otaprio_rejected_total", snapshot.rejected(reason), "reason", reason.name());
        }

        all.gauge("otaprio_queue_depth",
            "Messages waiting in each lane's ring (lane 0 holds level 1 under the default policy).");
        final long[] depthByLane = snapshot.depthByLane();
        for (int lane = 0; lane < depthByLane.length; lane++)
        {
            all.sample("otaprio_queue_depth", depthByLane[lane], "lane", Integer.toString(lane));
        }

        all.summary("otaprio_latency_seconds",
            "Accept-to-completion latency by level since the engine started (HdrHistogram, 3 digits).");
        for (int level = 1; level <= snapshot.levels().length; level++)
        {
            final Histogram histogram = ctx.metrics().latencyHistogram(level);
            final String levelLabel = Integer.toString(level);
            for (final double q : QUANTILES)
            {
                final double micros = histogram.getTotalCount() == 0 ? Double.NaN :
                    q >= 1.0 ? histogram.getMaxValue() : histogram.getValueAtPercentile(q * 100);
                all.sample("otaprio_latency_seconds", micros / 1e6, "level", levelLabel, "quantile",
                    Double.toString(q));
            }
            all.sample("otaprio_latency_seconds_count", histogram.getTotalCount(), "level", levelLabel);
            all.sample("otaprio_latency_seconds_sum", histogram.getMean() * histogram.getTotalCount() / 1e6,
                "level", levelLabel);
        }

        recovery(all, ctx.recoveryMilestones());

        gauge(all, "otaprio_dedup_entries", "RequestIDs remembered for resend detection.",
            ctx.resendDetection().size());
        counter(all, "otaprio_dedup_untracked",
            "Messages admitted without resend detection because its index was full.",
            ctx.metrics().dedupUntracked());
        all.counter("otaprio_critical_second_steps",
            "Second steps (signed pre-commands) of Critical commands admitted: linked to their first step (same " +
            "level, TRT from the first step's acceptance) or without one remembered.");
        all.sample("otaprio_critical_second_steps_total", ctx.metrics().secondSteps(true), "linked", "true");
        all.sample("otaprio_critical_second_steps_total", ctx.metrics().secondSteps(false), "linked", "false");
        gauge(all, "otaprio_held_requests", "Future-dated requests held now, waiting to fall due.",
            ctx.metrics().heldNow());
        all.counter("otaprio_held", "Future-dated requests held, released when due, and cancelled.");
        all.sample("otaprio_held_total", ctx.metrics().heldTotal(), "event", "held");
        all.sample("otaprio_held_total", ctx.metrics().heldReleased(), "event", "released");
        all.sample("otaprio_held_total", ctx.metrics().heldCancelled(), "event", "cancelled");
        final PolicyReloader policy = ctx.policyReloader();
        gauge(all, "otaprio_policy_generation", "The priority policy generation in force (the journal's policy " +
            "queue records each with its file's SHA-256).", policy.generation());
        all.counter("otaprio_policy_reloads", "Policy reloads (kill -HUP, otaprio policy reload): ok (a good file, " +
            "in force) or refused (the running policy stays).");
        all.sample("otaprio_policy_reloads_total", policy.reloadsApplied(), "result", "ok");
        all.sample("otaprio_policy_reloads_total", policy.reloadsRefused(), "result", "refused");
        final OriginatorQuota quota = ctx.originatorQuota();
        if (OriginatorQuota.NONE != quota)
        {
            all.gauge("otaprio_quota_top_offenders",
                "The originators with the most messages demoted by the quota (top 10), by EUI-64.");
            for (final OriginatorCount offender : quota.topOffenders(10))
            {
                all.sample("otaprio_quota_top_offenders", offender.count(), "originator", eui64(offender.originator()));
            }
            gauge(all, "otaprio_quota_originators", "Originators the quota tracks.", quota.size());
            counter(all, "otaprio_quota_untracked",
                "Top-level messages of originators the full quota table could not track (not limited).",
                quota.untracked());
        }
        final AlertThrottle alerts = ctx.alertThrottle();
        if (AlertThrottle.NONE != alerts)
        {
            all.gauge("otaprio_alerts_throttled_top",
                "The (device, alert code) pairs with the most alerts throttled (top 10), since start.");
            for (final ThrottledPair pair : alerts.topThrottled(10))
            {
                all.sample("otaprio_alerts_throttled_top", pair.count(), "device", eui64(pair.device()), "code",
                    AlertCode.toString(pair.code()));
            }
        }
        final LevelOneAlertGuard guard = ctx.levelOneAlertGuard();
        if (LevelOneAlertGuard.NONE != guard)
        {
            all.gauge("otaprio_alerts_guard_demoted_top",
                "The alert codes with the most level-1 alerts admitted at a lower level by the level-1 alert guard " +
                "(top 10), since start.");
            for (final DemotedAlertCode code : guard.topDemoted(10))
            {
                all.sample("otaprio_alerts_guard_demoted_top", code.count(), "code", AlertCode.toString(code.code()));
            }
            counter(all, "otaprio_alerts_guard_demoted",
                "Level-1 alerts admitted at alerts.guard.demoteTo because their code was over its rate.",
                guard.demoted());
            gauge(all, "otaprio_alerts_guard_codes", "Alert codes the level-1 alert guard tracks.", guard.codes());
            counter(all, "otaprio_alerts_guard_untracked",
                "Level-1 alerts of codes the full guard table could not track (kept at level 1, not limited).",
                guard.untracked());
        }
        counter(all, "otaprio_journal_failures",
            "Writes to the completed (outcome) journal that failed and were retried.",
            ctx.metrics().journalFailures());
        gauge(all, "otaprio_journal_accepting",
            "0 while the accepted journal cannot be written (disk full...): submits are answered UNAVAILABLE.",
            !engine.admission().journalFailing() && !ctx.acceptedLog().isClosed() ? 1 : 0);
        counter(all, "otaprio_journal_append_failures",
            "Accepted-journal appends that failed (each answered UNAVAILABLE).",
            ctx.acceptedLog().failures());
        counter(all, "otaprio_dispatch_timeouts",
            "Dispatched messages completed as timed out: no completion came within scheduler.dispatchTimeout.",
            ctx.metrics().dispatchTimeouts());
        counter(all, "otaprio_unknown_completions",
            "Completions reported for messages not in flight (ignored).", snapshot.unknownCompletions());
        counter(all, "otaprio_scheduler_errors", "Errors caught at the scheduler's loop boundary.",
            snapshot.schedulerErrors());
        errors(all, ctx.statusFile().errorLogBuffer());

        if (null != ctx.gateway())
        {
            final GatewayCounters gateway = ctx.gatewayCounters();
            gauge(all, "otaprio_gateway_connections", "Client connections open now.",
                gateway.connectionsAccepted() - gateway.connectionsClosed());
            counter(all, "otaprio_gateway_connections_refused",
                "Connections closed on arrival because maxConnections were open.", gateway.connectionsRefused());
            counter(all, "otaprio_gateway_slow_reader_disconnects",
                "Connections closed because their outbound buffer filled.", gateway.slowReaderDisconnects());
            counter(all, "otaprio_gateway_idle_disconnects",
                "Connections closed after idleTimeout with nothing owed.", gateway.idleDisconnects());
            counter(all, "otaprio_gateway_malformed_frames", "Frames that broke the protocol.",
                gateway.malformedFrames());
            counter(all, "otaprio_gateway_frames_in", "Frames received.", gateway.framesIn());
            counter(all, "otaprio_gateway_frames_out", "Frames sent.", gateway.framesOut());
            counter(all, "otaprio_gateway_completions_dropped",
                "Completed frames with no connection to go to (still journaled and counted).",
                gateway.completionsDropped());
        }
        if (null != ctx.duisEndpoint())
        {
            final DuisCounters duis = ctx.duisCounters();
            gauge(all, "otaprio_duis_connections", "DUIS HTTP connections open now.",
                duis.connectionsAccepted() - duis.connectionsClosed());
            counter(all, "otaprio_duis_connections_refused",
                "DUIS connections closed on arrival because maxConnections were open.", duis.connectionsRefused());
            counter(all, "otaprio_duis_timeouts", "DUIS requests not all there within the idle timeout (408).",
                duis.timeouts());
            all.counter("otaprio_duis_answers", "POST /duis answers by HTTP status.");
            for (final int status : DuisCounters.STATUSES)
            {
                all.sample("otaprio_duis_answers_total", duis.answered(status), "status", Integer.toString(status));
            }
        }
        security(all, ctx);
        return all.toString();
    }

    /**
     * Who was refused, by listener: handshakes (a connection that could not say who it is) and NOT_AUTHORISED (a
     * client that claimed another's originator), per client and per claimed originator.
     */
    private static void security(final PrometheusText all, final EngineContext ctx)
    {
        final List<ListenerSecurity> listeners = new ArrayList<>(2);
        if (null != ctx.gateway())
        {
            listeners.add(ctx.gatewaySecurity());
        }
        if (null != ctx.duisEndpoint())
        {
            listeners.add(ctx.duisSecurity());
        }
        if (ctx.tls().enabled())
        {
            all.counter("otaprio_tls_handshakes", "TLS handshakes by listener and result: ok, failed (no client " +
                "certificate, an expired or untrusted one, one no clients: entry names, or not TLS), timeout.");
            for (final ListenerSecurity listener : listeners)
            {
                final TlsCounters handshakes = listener.handshakes();
                all.sample("otaprio_tls_handshakes_total", handshakes.completed(), "listener", listener.listener(),
                    "result", "ok");
                all.sample("otaprio_tls_handshakes_total", handshakes.failed(), "listener", listener.listener(),
                    "result", "failed");
                all.sample("otaprio_tls_handshakes_total", handshakes.timedOut(), "listener", listener.listener(),
                    "result", "timeout");
            }
        }
        all.counter("otaprio_not_authorised", "Submissions refused NOT_AUTHORISED (their originator is not the " +
            "client certificate's) by listener and client; never journaled or queued.");
        for (final ListenerSecurity listener : listeners)
        {
            for (final ClientIdentity client : ctx.tls().clients().all())
            {
                all.sample("otaprio_not_authorised_total", listener.refusals().byClient(client.index()),
                    "listener", listener.listener(), "client", client.name());
            }
        }
        all.counter("otaprio_not_authorised_originators", "Submissions refused NOT_AUTHORISED by listener and the " +
            "originator they claimed (the first " + NotAuthorisedCounters.MAX_ORIGINATORS + " distinct per listener; " +
            "the rest as originator=\"other\").");
        for (final ListenerSecurity listener : listeners)
        {
            listener.refusals().forEachOriginator((originator, count) -> all.sample(
                "otaprio_not_authorised_originators_total", count, "listener", listener.listener(),
                "originator", RequestId.eui64Text(originator)));
            if (listener.refusals().otherOriginators() > 0)
            {
                all.sample("otaprio_not_authorised_originators_total", listener.refusals().otherOriginators(),
                    "listener", listener.listener(), "originator", "other");
            }
        }
    }

    private static void errors(final PrometheusText all, final AtomicBuffer errorLog)
    {
        all.counter("otaprio_errors", "Errors caught at a loop boundary, by kind: the first line of each distinct " +
            "error in the error log (the first " + ERROR_KINDS_SHOWN + "; ./otaprio errors prints them all).");
        final int[] shown = new int[1];
        ErrorLogReader.read(errorLog, (count, firstMs, lastMs, encoded) ->
        {
            if (shown[0]++ < ERROR_KINDS_SHOWN)
            {
                final int end = encoded.indexOf('\n');
                all.sample("otaprio_errors_total", count, "error", end < 0 ? encoded : encoded.substring(0, end));
            }
        });
    }

    private static void perLevel(
        final PrometheusText all,
        final MetricsSnapshot snapshot,
        final String name,
        final String help,
        final ToLongFunction<MetricsSnapshot.Level> value)
    {
        all.counter(name, help);
        for (final MetricsSnapshot.Level level : snapshot.levels())
        {
            all.sample(name + "_total", value.applyAsLong(level), "level", Integer.toString(level.level()));
        }
    }

    private static void counter(final PrometheusText all, final String name, final String help, final long value)
    {
        all.counter(name, help).sample(name + "_total", value);
    }

    private static void gauge(final PrometheusText all, final String name, final String help, final double value)
    {
        all.gauge(name, help).sample(name, value);
    }

    /** EUI-64s (originators, devices) as label values: 16 upper-case hex digits, as the journal dump prints them. */
    private static String eui64(final long eui64)
    {
        return String.format("%016X", eui64);
    }
}
