package io.otaprio.peer;

import io.otaprio.loadgen.LoadRun;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;

import java.util.Locale;

/**
 * What one run of the RabbitMQ peer measured, in the shape of the load generator's result so that the two can be
 * read side by side: the same per-level table and the same {@code levels} JSON array. Latency is from each
 * message's intended send time to its acknowledgement after its service time (coordinated-omission corrected).
 *
 * @param broker           product and version the broker announced, e.g. {@code RabbitMQ 3.10.8}.
 * @param queue            the queue, described.
 * @param durable          durable queue and persistent messages, or transient.
 * @param prefetch         the consumer's {@code basic.qos}: K, the DSP's slots.
 * @param run              the load and what it measured per level, as the load generator reports it.
 * @param offered          messages the schedule made due.
 * @param published        messages published to the broker.
 * @param publishedByLevel published messages per level, index 1..4 (index 0 unused).
 * @param maxInService     the most messages in service at once (at most the prefetch).
 * @param publishLag       how late publishing was against the schedule, in microseconds.
 */
public record PeerResult(
    String broker,
    String queue,
    boolean durable,
    int prefetch,
    LoadRun run,
    long offered,
    long published,
    long[] publishedByLevel,
    int maxInService,
    LatencySummary publishLag)
{
    /** Name of the peer in reports and JSON. */
    public static final String PEER = "rabbitmq";

    /** @return completed messages, all levels. */
    public long completed()
    {
        long total = 0;
        for (final LevelReport row : run.levels())
        {
            total += row.completed();
        }
        return total;
    }

    /** @return published messages not completed when the run ended. */
    public long pending()
    {
        return published - completed();
    }

    /**
     * @return completed messages per second from the start of the load to the end of the drain: the same sum the
     * side-by-side report computes for the engine from its JSON.
     */
    public double throughputPerSecond()
    {
        final double seconds = run.durationSeconds() + run.drainSeconds();
        return seconds > 0 ? completed() / seconds : 0;
    }

    /** @return a summary line, the per-level table and a line on the publisher and the prefetch. */
    public String table()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
            "peer %s, policy %s, scenario %s: offered %d, published %d, completed %d, pending %d, %.0f msgs/s%n",
            PEER, run.policy(), run.scenario(), offered, published, completed(), pending(), throughputPerSecond()));
        sb.append(LevelTable.format(run.levels()));
        sb.append(String.format(Locale.ROOT,
            "%s, %s; publish lag behind the schedule p50 %s, p99 %s, max %s; at most %d in service (prefetch %d)%n",
            broker, queue, LevelTable.micros(publishLag.p50Us()), LevelTable.micros(publishLag.p99Us()),
            LevelTable.micros(publishLag.maxUs()), maxInService, prefetch));
        return sb.toString();
    }

    /** @return the result as JSON: the load generator's fields where they mean the same, plus the broker's. */
    public String json()
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("peer", PEER)
            .field("broker", broker)
            .field("queue", queue)
            .name("durable").rawValue(Boolean.toString(durable))
            .field("prefetch", prefetch)
            .field("scenario", run.scenario())
            .field("policy", run.policy())
            .field("offered", offered)
            .field("published", published)
            .field("completed", completed())
            .field("pending", pending())
            .field("capacityPerSecond", run.capacityPerSecond())
            .field("durationSeconds", run.durationSeconds())
            .field("drainSeconds", run.drainSeconds())
            .field("throughputPerSecond", throughputPerSecond())
            .field("profile", run.profile())
            .field("seed", run.seed())
            .field("maxInService", maxInService);
        json.name("publishLag").beginObject()
            .field("p50Us", publishLag.p50Us())
            .field("p99Us", publishLag.p99Us())
            .field("p999Us", publishLag.p999Us())
            .field("maxUs", publishLag.maxUs())
            .endObject();
        json.name("publishedByLevel").beginArray();
        for (int level = 1; level < publishedByLevel.length; level++)
        {
            json.value(publishedByLevel[level]);
        }
        json.endArray();
        json.name("levels").beginArray();
        for (final LevelReport row : run.levels())
        {
            json.level(row);
        }
        json.endArray();
        return json.endObject().toString();
    }
}
