package io.otaprio.dispatch;

import io.otaprio.policy.SrvTable;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How long the simulated DSP takes per message: a default mean and per-SRV or per-alert overrides, each either
 * fixed or exponentially distributed around its mean. SRV overrides may be exact ({@code 11.1}) or prefixes
 * ({@code 8.7.*}); the most specific wins, as in the priority policy.
 * <p>
 * Immutable after {@link Builder#build()}; {@link #sampleNs} uses the caller's random source, so one instance may
 * serve several threads each with its own.
 */
public final class ServiceTimes
{
    /**
     * Shape of the service time around its mean.
     */
    public enum Distribution
    {
        /** Always the mean. */
        FIXED,
        /** Exponential with the given mean: the classic M/M/K service model. */
        EXPONENTIAL
    }

    private final Distribution distribution;
    private final long defaultMeanNs;
    private final long[] meansNs;
    private final SrvTable srv;
    private final Int2IntHashMap alerts;
    private final List<MeanOverride> overrides;

    private ServiceTimes(final Builder builder)
    {
        distribution = builder.distribution;
        defaultMeanNs = builder.defaultMeanNs;
        meansNs = builder.means.toLongArray();
        srv = builder.srv;
        alerts = builder.alerts;
        overrides = List.copyOf(builder.overrides);
    }

    /**
     * @param defaultMeanNs mean service time of messages no override matches.
     * @param distribution  fixed or exponential.
     * @return a builder.
     */
    public static Builder builder(final long defaultMeanNs, final Distribution distribution)
    {
        return new Builder(defaultMeanNs, distribution);
    }

    /** @return the distribution every service time follows. */
    public Distribution distribution()
    {
        return distribution;
    }

    /** @return the mean of messages no override matches. */
    public long defaultMeanNs()
    {
        return defaultMeanNs;
    }

    /**
     * The same service times with one SRV's set anew: a scenario's downstream (firmware of seconds, say) on top of
     * the configured one.
     *
     * @param pattern such as {@code "11.1"} or {@code "8.7.*"}; an override of the same pattern is replaced.
     * @param meanNs  mean service time of matching messages.
     * @return a new table.
     * @throws IllegalArgumentException on a malformed pattern or a non-positive mean.
     */
    public ServiceTimes withSrv(final String pattern, final long meanNs)
    {
        final Builder builder = builder(defaultMeanNs, distribution);
        final String replaced = Builder.canonical(pattern);
        for (final MeanOverride override : overrides)
        {
            if (null == override.srvPattern())
            {
                builder.alert(override.alertCode(), override.meanNs());
            }
            else if (!override.srvPattern().equals(replaced))
            {
                builder.srv(override.srvPattern(), override.meanNs());
            }
        }
        return builder.srv(pattern, meanNs).build();
    }

    /**
     * @param kind a {@link MessageKind#value()}.
     * @param code SRV or alert code.
     * @return the mean service time of such a message.
     */
    public long meanNs(final int kind, final int code)
    {
        final int index = kind == MessageKind.ALERT.value() ? alerts.get(code) : srv.match(code);
        return index == SrvTable.MISSING ? defaultMeanNs : meansNs[index];
    }

    /**
     * @param kind   a {@link MessageKind#value()}.
     * @param code   SRV or alert code.
     * @param random the caller's random source.
     * @return one service time drawn for such a message, at least 1 ns.
     */
    public long sampleNs(final int kind, final int code, final SplittableRandom random)
    {
        final long meanNs = meanNs(kind, code);
        if (distribution == Distribution.FIXED)
        {
            return meanNs;
        }
        return Math.max(1L, (long)(-meanNs * Math.log(1.0 - random.nextDouble())));
    }

    /** One override as given: an SRV pattern (canonical) or, when it is null, an alert code. */
    private record MeanOverride(String srvPattern, int alertCode, long meanNs)
    {
    }

    /**
     * Collects overrides.
     */
    public static final class Builder
    {
        private final long defaultMeanNs;
        private final Distribution distribution;
        private final LongArrayList means = new LongArrayList();
        private final SrvTable srv = new SrvTable();
        private final Int2IntHashMap alerts = new Int2IntHashMap(SrvTable.MISSING);
        private final List<MeanOverride> overrides = new ArrayList<>();

        private Builder(final long defaultMeanNs, final Distribution distribution)
        {
            if (defaultMeanNs <= 0)
            {
                throw new IllegalArgumentException("default mean service time must be > 0: " + defaultMeanNs);
            }
            this.defaultMeanNs = defaultMeanNs;
            this.distribution = distribution;
        }

        /**
         * @param pattern such as {@code "11.1"} or {@code "8.7.*"}.
         * @param meanNs  mean service time of matching messages.
         * @return this.
         * @throws IllegalArgumentException on a malformed pattern, a non-positive mean or a repeated pattern.
         */
        public Builder srv(final String pattern, final long meanNs)
        {
            checkMean(pattern, meanNs);
            final boolean prefix = pattern.endsWith(".*");
            final int code = SrvCode.parse(prefix ? pattern.substring(0, pattern.length() - 2) : pattern);
            if (!(prefix ? srv.putPrefix(code, means.size()) : srv.putExact(code, means.size())))
            {
                throw new IllegalArgumentException("service time for srv " + pattern + " given twice");
            }
            means.addLong(meanNs);
            overrides.add(new MeanOverride(canonical(pattern), 0, meanNs));
            return this;
        }

        /**
         * @param alertCode 16-bit alert code.
         * @param meanNs    mean service time of that alert.
         * @return this.
         */
        public Builder alert(final int alertCode, final long meanNs)
        {
            checkMean("alert " + alertCode, meanNs);
            if (alertCode < 0 || alertCode > 0xFFFF)
            {
                throw new IllegalArgumentException("alert code must be 0..0xFFFF: " + alertCode);
            }
            if (alerts.containsKey(alertCode))
            {
                throw new IllegalArgumentException("service time for alert " + alertCode + " given twice");
            }
            alerts.put(alertCode, means.size());
            means.addLong(meanNs);
            overrides.add(new MeanOverride(null, alertCode, meanNs));
            return this;
        }

        /** @return the immutable table. */
        public ServiceTimes build()
        {
            return new ServiceTimes(this);
        }

        /** @return the pattern as the table keys it: {@code "11.01"} and {@code "11.1"} are one SRV. */
        private static String canonical(final String pattern)
        {
            final boolean prefix = pattern.endsWith(".*");
            return SrvCode.toString(SrvCode.parse(prefix ? pattern.substring(0, pattern.length() - 2) : pattern)) +
                (prefix ? ".*" : "");
        }

        private static void checkMean(final String what, final long meanNs)
        {
            if (meanNs <= 0)
            {
                throw new IllegalArgumentException("mean service time of " + what + " must be > 0: " + meanNs);
            }
        }
    }
}
