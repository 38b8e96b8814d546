package io.otaprio.metrics;

import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.engine.Engine;
import io.otaprio.gateway.GatewayCounters;
import io.otaprio.message.RejectReason;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.ToLongFunction;

/**
 * The engine's figures in Prometheus' text format on {@code http://HOST:PORT/metrics}, through the io.prometheus
 * Java client's HTTP server. Nothing is recorded through the client: each scrape reads the engine's own Agrona
 * counters and latency histograms ({@link Engine#snapshot()}), so the hot paths are untouched and the two views
 * never disagree.
 * <p>
 * Threading: scrapes run on the HTTP server's own thread; {@link Engine#snapshot()} is safe from any one thread at
 * a time and the counters from any thread.
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    private static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };

    private final HTTPServer server;

    private PrometheusEndpoint(final HTTPServer server)
    {
        this.server = server;
    }

    /**
     * Start serving.
     *
     * @param host    interface to bind, 127.0.0.1 unless an operator means otherwise.
     * @param port    TCP port, 0 for any free one.
     * @param engine  the engine.
     * @param gateway its gateway's counters, or null.
     * @return the running endpoint.
     * @throws UncheckedIOException if the address cannot be bound.
     */
    public static PrometheusEndpoint start(
        final String host, final int port, final Engine engine, final GatewayCounters gateway)
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        registry.register((MultiCollector)() -> collect(engine, gateway));
        try
        {
            return new PrometheusEndpoint(HTTPServer.builder()
                .hostname(host)
                .port(port)
                .registry(registry)
                .buildAndStart());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("metrics endpoint: cannot listen on " + host + ":" + port, ex);
        }
    }

    /** @return the port bound. */
    public int port()
    {
        return server.getPort();
    }

    /** Stop serving. */
    public void close()
    {
        server.close();
    }

    static MetricSnapshots collect(final Engine engine, final GatewayCounters gateway)
    {
        final MetricsSnapshot snapshot = engine.snapshot();
        final MetricSnapshots.Builder all = MetricSnapshots.builder();

        all.metricSnapshot(perLevel(snapshot, "otaprio_accepted", "Messages admitted, by level.",
            MetricsSnapshot.Level::accepted));
        all.metricSnapshot(perLevel(snapshot, "otaprio_dispatched", "Messages handed to the downstream, by level.",
            MetricsSnapshot.Level::dispatched));
        all.metricSnapshot(perLevel(snapshot, "otaprio_completed", "Messages completed, by level.",
            MetricsSnapshot.Level::completed));
        all.metricSnapshot(perLevel(snapshot, "otaprio_failed", "Messages completed with a failure outcome, by level.",
            MetricsSnapshot.Level::failed));
        all.metricSnapshot(perLevel(snapshot, "otaprio_trt_met", "Completions within the level's TRT.",
            MetricsSnapshot.Level::trtMet));
        all.metricSnapshot(perLevel(snapshot, "otaprio_trt_missed", "Completions after the level's TRT.",
            MetricsSnapshot.Level::trtMissed));
        all.metricSnapshot(perLevel(snapshot, "otaprio_duplicates",
            "Resends answered DUPLICATE (pending or completed within the dedup window), by level.",
            MetricsSnapshot.Level::duplicates));
        all.metricSnapshot(perLevel(snapshot, "otaprio_demoted",
            "Messages of this level over their originator's quota, admitted at level 3 instead.",
            MetricsSnapshot.Level::demoted));
        all.metricSnapshot(perLevel(snapshot, "otaprio_full",
            "Submits rejected FULL because the level's ring was full.",
            MetricsSnapshot.Level::full));

        final CounterSnapshot.Builder rejected = CounterSnapshot.builder().name("otaprio_rejected")
            .help("Submits not admitted, by reason (docs/protocol.md section 5).");
        for (final RejectReason reason : RejectReason.values())
        {
            rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("reason", reason.name())).value(snapshot.rejected(reason)).build());
        }
        all.metricSnapshot(rejected.build());

        final GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name("otaprio_queue_depth")
            .help("Messages waiting in each lane's ring (lane 0 holds level 1 under the default policy).");
        final long[] depthByLane = snapshot.depthByLane();
        for (int lane = 0; lane < depthByLane.length; lane++)
        {
            depth.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("lane", Integer.toString(lane))).value(depthByLane[lane]).build());
        }
        all.metricSnapshot(depth.build());

        final SummarySnapshot.Builder latency = SummarySnapshot.builder().name("otaprio_latency_seconds")
            .help("Accept-to-completion latency by level since the engine started (HdrHistogram, 3 digits).");
        for (int level = 1; level <= snapshot.levels().length; level++)
        {
            final org.HdrHistogram.Histogram histogram = engine.metrics().latencyHistogram(level);
            final Quantiles.Builder quantiles = Quantiles.builder();
            for (final double q : QUANTILES)
            {
                final double micros = histogram.getTotalCount() == 0 ? Double.NaN :
                    q >= 1.0 ? histogram.getMaxValue() : histogram.getValueAtPercentile(q * 100);
                quantiles.quantile(new Quantile(q, micros / 1e6));
            }
            latency.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                .labels(Labels.of("level", Integer.toString(level)))
                .count(histogram.getTotalCount())
                .sum(histogram.getMean() * histogram.getTotalCount() / 1e6)
                .quantiles(quantiles.build())
                .build());
        }
        all.metricSnapshot(latency.build());

        all.metricSnapshot(gauge("otaprio_dedup_entries", "RequestIDs remembered for resend detection.",
            null == engine.admission().requests() ? 0 : engine.admission().requests().size()));
        all.metricSnapshot(counter("otaprio_dedup_untracked",
            "Messages admitted without resend detection because its index was full.",
            engine.metrics().dedupUntracked()));
        final OriginatorQuota quota = engine.admission().quota();
        if (null != quota)
        {
            final GaugeSnapshot.Builder offenders = GaugeSnapshot.builder().name("otaprio_quota_top_offenders")
                .help("The originators with the most messages demoted by the quota (top 10), by EUI-64.");
            for (final long[] offender : quota.topOffenders(10))
            {
                offenders.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("originator", String.format("%016X", offender[0])))
                    .value(offender[1]).build());
            }
            all.metricSnapshot(offenders.build());
            all.metricSnapshot(gauge("otaprio_quota_originators", "Originators the quota tracks.", quota.size()));
            all.metricSnapshot(counter("otaprio_quota_untracked",
                "Top-level messages of originators the full quota table could not track (not limited).",
                quota.untracked()));
        }
        final AlertThrottle alerts = engine.admission().alertThrottle();
        if (null != alerts)
        {
            final GaugeSnapshot.Builder storms = GaugeSnapshot.builder().name("otaprio_alerts_throttled_top")
                .help("The (device, alert code) pairs with the most alerts throttled (top 10), since start.");
            for (final long[] pair : alerts.topThrottled(10))
            {
                storms.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("device", String.format("%016X", pair[0]), "code",
                        String.format("0x%04X", pair[1])))
                    .value(pair[2]).build());
            }
            all.metricSnapshot(storms.build());
        }
        all.metricSnapshot(counter("otaprio_journal_failures",
            "Writes to the completed (outcome) journal that failed and were retried.",
            engine.metrics().journalFailures()));
        all.metricSnapshot(gauge("otaprio_journal_accepting",
            "0 while the accepted journal cannot be written (disk full...): submits are answered UNAVAILABLE.",
            null == engine.admission().journal() || !engine.admission().journalFailing() &&
            !engine.admission().journal().isClosed() ? 1 : 0));
        all.metricSnapshot(counter("otaprio_journal_append_failures",
            "Accepted-journal appends that failed (each answered UNAVAILABLE).",
            null == engine.admission().journal() ? 0 : engine.admission().journal().failures()));
        all.metricSnapshot(counter("otaprio_dispatch_timeouts",
            "Dispatched messages completed as timed out: no completion came within scheduler.dispatchTimeout.",
            engine.metrics().dispatchTimeouts()));
        all.metricSnapshot(counter("otaprio_unknown_completions",
            "Completions reported for messages not in flight (ignored).", snapshot.unknownCompletions()));
        all.metricSnapshot(counter("otaprio_scheduler_errors", "Errors caught at the scheduler's loop boundary.",
            snapshot.schedulerErrors()));

        if (null != gateway)
        {
            all.metricSnapshot(gauge("otaprio_gateway_connections", "Client connections open now.",
                gateway.connectionsAccepted() - gateway.connectionsClosed()));
            all.metricSnapshot(counter("otaprio_gateway_connections_refused",
                "Connections closed on arrival because maxConnections were open.", gateway.connectionsRefused()));
            all.metricSnapshot(counter("otaprio_gateway_slow_reader_disconnects",
                "Connections closed because their outbound buffer filled.", gateway.slowReaderDisconnects()));
            all.metricSnapshot(counter("otaprio_gateway_idle_disconnects",
                "Connections closed after idleTimeout with nothing owed.", gateway.idleDisconnects()));
            all.metricSnapshot(counter("otaprio_gateway_malformed_frames", "Frames that broke the protocol.",
                gateway.malformedFrames()));
            all.metricSnapshot(counter("otaprio_gateway_frames_in", "Frames received.", gateway.framesIn()));
            all.metricSnapshot(counter("otaprio_gateway_frames_out", "Frames sent.", gateway.framesOut()));
            all.metricSnapshot(counter("otaprio_gateway_completions_dropped",
                "Completed frames with no connection to go to (still journaled and counted).",
                gateway.completionsDropped()));
        }
        return all.build();
    }

    private static CounterSnapshot perLevel(
        final MetricsSnapshot snapshot,
        final String name,
        final String help,
        final ToLongFunction<MetricsSnapshot.Level> value)
    {
        final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
        for (final MetricsSnapshot.Level level : snapshot.levels())
        {
            builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("level", Integer.toString(level.level())))
                .value(value.applyAsLong(level))
                .build());
        }
        return builder.build();
    }

    private static CounterSnapshot counter(final String name, final String help, final long value)
    {
        return CounterSnapshot.builder().name(name).help(help)
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build())
            .build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final double value)
    {
        return GaugeSnapshot.builder().name(name).help(help)
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build())
            .build();
    }
}
