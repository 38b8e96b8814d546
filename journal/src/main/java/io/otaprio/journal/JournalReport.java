package io.otaprio.journal;

import org.HdrHistogram.IntCountsHistogram;
import org.agrona.collections.Long2ObjectHashMap;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What {@code otaprio journal report} reports against prioritisation, computed from the journal of record (not from
 * metrics): per hour of accept time, per level and per kind, code and level, how many messages were accepted,
 * completed (of which failed, and untimed) and are still pending, the accept-to-complete p50 and p99, and how many
 * completed within their TRT; and the policy generations in force during each hour.
 * <p>
 * Definitions, message by message, over the retained accepted messages whose accept time is in the window:
 * <ul>
 *     <li>the hour is that of the accept time, UTC; a linked Critical second step carries its first step's accept
 *     time, so it counts in the first step's hour, and its latency runs from there;</li>
 *     <li>completed: the message has a COMPLETED record, any outcome, or its id is below the latest checkpoint;
 *     <em>failed</em>: its first completion's outcome is not {@link #OUTCOME_OK} (the downstream answered with an
 *     error, or the dispatch timed out); <em>untimed</em>: complete by the checkpoint but its completion record was
 *     deleted by retention, so it has no time; pending: neither;</li>
 *     <li>latency: first completion time minus accept time, of every completed message with a time (failed ones
 *     included), into an HdrHistogram of microseconds with 2 significant digits: a percentile is within 1% of the
 *     exact value and never below it;</li>
 *     <li>within TRT: completed with outcome OK and a latency at most the TRT budget the message was accepted with
 *     (its journal record's); a failed message never is. The share is of the completed messages with a time.</li>
 * </ul>
 * The generations in force during an hour are those of the journal's policy queue ({@link PolicyJournal}) whose
 * time in force, from their {@code inForceNs} to the next generation's, overlaps the hour.
 * <p>
 * Memory: the outcomes as {@link MessageOutcomes} holds them (about 75 bytes per completed message), and per hour
 * one set of counters and one histogram (auto-resizing, a few KB) for each kind, code and level seen. Messages
 * themselves are streamed. Never writes to the journal. Threading: immutable once read.
 */
public final class JournalReport
{
    /** One hour in nanoseconds. */
    public static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    /** The outcome code of a completion the downstream processed (the engine's {@code CompletionPort.OUTCOME_OK}). */
    public static final int OUTCOME_OK = 0;

    /** Messages, and outcome records, between two progress lines. */
    public static final long PROGRESS_EVERY = 1_000_000L;

    private static final int SIGNIFICANT_DIGITS = 2;
    private static final DateTimeFormatter HOUR_TEXT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private final Long2ObjectHashMap<Long2ObjectHashMap<Counts>> countsByHour = new Long2ObjectHashMap<>();
    private final List<PolicyRecord> generations;
    private final List<Hour> hours = new ArrayList<>();
    private final Counts total = new Counts();
    private long outcomeRecords;
    private long messagesRead;
    private long messages;
    private long otherLevels;
    private long firstAcceptNs = Long.MAX_VALUE;
    private long lastAcceptNs = Long.MIN_VALUE;
    private long firstHour = Long.MAX_VALUE;
    private long lastHour = Long.MIN_VALUE;

    private JournalReport(final List<PolicyRecord> generations)
    {
        this.generations = generations;
    }

    /**
     * Read the journal and compute the report.
     *
     * @param config   of the journal.
     * @param fromNs   first accept time reported, epoch nanos, inclusive ({@link Long#MIN_VALUE} for no bound).
     * @param toNs     end of the accept times reported, epoch nanos, exclusive ({@link Long#MAX_VALUE} for none).
     * @param progress told a line every {@link #PROGRESS_EVERY} outcome records and accepted messages read.
     * @return the report; empty when the journal holds no accepted message in the window.
     * @throws JournalException when the journal is unreadable or of another layout version.
     */
    public static JournalReport read(
        final JournalConfig config, final long fromNs, final long toNs, final Consumer<String> progress)
    {
        return read(config, fromNs, toNs, PROGRESS_EVERY, progress);
    }

    static JournalReport read(
        final JournalConfig config,
        final long fromNs,
        final long toNs,
        final long progressEvery,
        final Consumer<String> progress)
    {
        final MessageOutcomes outcomes = MessageOutcomes.read(config, progressEvery,
            (records) -> progress.accept(records + " outcome records read"));
        final JournalReport report = new JournalReport(PolicyJournal.read(config));
        report.outcomeRecords = outcomes.outcomeRecords();
        outcomes.scan((message, completion) ->
        {
            final long acceptNs = message.acceptTimeNs();
            report.firstAcceptNs = Math.min(report.firstAcceptNs, acceptNs);
            report.lastAcceptNs = Math.max(report.lastAcceptNs, acceptNs);
            if (acceptNs >= fromNs && acceptNs < toNs)
            {
                report.count(message, completion);
            }
            if (++report.messagesRead % progressEvery == 0)
            {
                progress.accept(report.messagesRead + " accepted messages read, up to accept time " +
                    Instant.ofEpochSecond(0, acceptNs));
            }
        });
        report.collectHours();
        return report;
    }

    private void count(final AcceptedMessageFlyweight message, final MessageOutcomes.Completion completion)
    {
        final int level = message.level();
        if (level < 1 || level > Recovered.LEVELS)
        {
            otherLevels++;
            return;
        }
        messages++;
        final long hour = Math.floorDiv(message.acceptTimeNs(), HOUR_NS);
        firstHour = Math.min(firstHour, hour);
        lastHour = Math.max(lastHour, hour);
        Long2ObjectHashMap<Counts> hourCounts = countsByHour.get(hour);
        if (null == hourCounts)
        {
            hourCounts = new Long2ObjectHashMap<>();
            countsByHour.put(hour, hourCounts);
        }
        final long key = CodeRow.key(message.kind(), message.code(), level);
        Counts counts = hourCounts.get(key);
        if (null == counts)
        {
            counts = new Counts();
            hourCounts.put(key, counts);
        }
        counts.count(message, completion);
    }

    private void collectHours()
    {
        for (long hour = firstHour; hour <= lastHour; hour++)
        {
            final Long2ObjectHashMap<Counts> hourCounts = countsByHour.get(hour);
            final Counts[] levels = new Counts[Recovered.LEVELS];
            Arrays.setAll(levels, (i) -> new Counts());
            final List<CodeRow> codes = new ArrayList<>();
            if (null != hourCounts)
            {
                final long[] keys = new long[hourCounts.size()];
                int n = 0;
                for (final Long2ObjectHashMap<Counts>.KeyIterator it = hourCounts.keySet().iterator(); it.hasNext(); )
                {
                    keys[n++] = it.nextLong();
                }
                Arrays.sort(keys);
                for (final long key : keys)
                {
                    final CodeRow row = new CodeRow(key, hourCounts.get(key));
                    codes.add(row);
                    levels[row.level() - 1].add(row.counts());
                }
            }
            for (final Counts level : levels)
            {
                total.add(level);
            }
            final long startNs = hour * HOUR_NS;
            hours.add(new Hour(startNs, generationsDuring(startNs, startNs + HOUR_NS), List.of(levels),
                Collections.unmodifiableList(codes)));
        }
        countsByHour.clear();
    }

    /**
     * @param startNs start of a span, epoch nanos.
     * @param endNs   its end, exclusive.
     * @return the policy generations in force during it, oldest first, separated by ';' ("2", "2;3"), or "-" when
     * the journal recorded none in force then.
     */
    public String generationsDuring(final long startNs, final long endNs)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < generations.size(); i++)
        {
            final boolean started = generations.get(i).inForceNs() < endNs;
            final boolean ended = i + 1 < generations.size() && generations.get(i + 1).inForceNs() <= startNs;
            if (started && !ended)
            {
                text.append(text.length() > 0 ? ";" : "").append(generations.get(i).generation());
            }
        }
        return text.length() > 0 ? text.toString() : "-";
    }

    /** @return records read from the outcomes queue. */
    public long outcomeRecords()
    {
        return outcomeRecords;
    }

    /** @return accepted messages read, in the window or not. */
    public long messagesRead()
    {
        return messagesRead;
    }

    /** @return accepted messages reported: in the window, at a level from 1 to {@link Recovered#LEVELS}. */
    public long messages()
    {
        return messages;
    }

    /** @return accepted messages in the window at a level outside 1..4, not reported (0 unless damaged). */
    public long otherLevels()
    {
        return otherLevels;
    }

    /** @return the earliest accept time read, epoch nanos; {@link Long#MAX_VALUE} when none was read. */
    public long firstAcceptNs()
    {
        return firstAcceptNs;
    }

    /** @return the latest accept time read, epoch nanos; {@link Long#MIN_VALUE} when none was read. */
    public long lastAcceptNs()
    {
        return lastAcceptNs;
    }

    /** @return the counts of every message reported, all hours and levels together. */
    public Counts total()
    {
        return total;
    }

    /** @return the journal's policy generations, oldest first; empty for a journal that recorded none. */
    public List<PolicyRecord> generations()
    {
        return generations;
    }

    /**
     * @return every hour from the first to the last that holds a reported message, in order, hours without one
     * included (all zero).
     */
    public List<Hour> hours()
    {
        return Collections.unmodifiableList(hours);
    }

    /**
     * @param startNs the start of an hour, epoch nanos.
     * @return it as ISO-8601 UTC to the minute, such as {@code 2026-11-30T14:00Z}.
     */
    public static String hourText(final long startNs)
    {
        return HOUR_TEXT.format(Instant.ofEpochSecond(0, startNs));
    }

    /**
     * One hour of the report.
     *
     * @param startNs     its start, epoch nanos.
     * @param generations the policy generations in force during it, oldest first, separated by ';' ("2", "2;3"), or
     *                    "-" when the journal recorded none in force then.
     * @param levels      counts per level: element 0 is level 1.
     * @param codes       counts per kind, code and level, ordered by kind value, code (dotted order) and level;
     *                    only those with messages.
     */
    public record Hour(long startNs, String generations, List<Counts> levels, List<CodeRow> codes)
    {
        /** @return the start as {@link #hourText}. */
        public String text()
        {
            return hourText(startNs);
        }
    }

    /**
     * Counts of one kind, code and level in one hour.
     *
     * @param kind   the journal's kind value.
     * @param code   the packed SRV or alert code.
     * @param level  the level the messages were admitted at.
     * @param counts their counts.
     */
    public record CodeRow(int kind, int code, int level, Counts counts)
    {
        private static final int LEVEL_BITS = 8;
        private static final int CODE_BITS = 32;

        CodeRow(final long key, final Counts counts)
        {
            this((int)(key >>> (CODE_BITS + LEVEL_BITS)), (int)(key >>> LEVEL_BITS), (int)(key & 0xFF), counts);
        }

        /** A key whose natural order is kind, code as unsigned (so dotted order), level. */
        static long key(final int kind, final int code, final int level)
        {
            return ((long)(kind & 0xFF) << (CODE_BITS + LEVEL_BITS)) | ((code & 0xFFFF_FFFFL) << LEVEL_BITS) |
                (level & 0xFF);
        }

        /** @return the kind as {@code journal dump} writes it: SERVICE_REQUEST, ALERT, RESPONSE or the number. */
        public String kindText()
        {
            return MessageLabels.appendKind(new StringBuilder(), kind).toString();
        }

        /** @return the code as {@code journal dump} writes it: {@code 8.1.1}, or {@code 0x8F3C} for an alert. */
        public String codeText()
        {
            return MessageLabels.appendCode(new StringBuilder(), kind, code).toString();
        }
    }

    /**
     * Counts and accept-to-complete latencies of a set of messages (see {@link JournalReport} for the definitions).
     * Threading: written while the report is read, then only read.
     */
    public static final class Counts
    {
        private long accepted;
        private long completed;
        private long failed;
        private long untimed;
        private long withinTrt;
        private IntCountsHistogram latencyUs;

        Counts()
        {
        }

        void count(final AcceptedMessageFlyweight message, final MessageOutcomes.Completion completion)
        {
            accepted++;
            if (completion.records() > 0)
            {
                completed++;
                final long latencyNs = completion.completedNs() - message.acceptTimeNs();
                final boolean ok = completion.outcome() == OUTCOME_OK;
                failed += ok ? 0 : 1;
                withinTrt += ok && latencyNs <= message.trtNs() ? 1 : 0;
                histogram().recordValue(Math.max(0, latencyNs / 1000L));
            }
            else if (completion.belowCheckpoint())
            {
                completed++;
                untimed++;
            }
        }

        void add(final Counts other)
        {
            accepted += other.accepted;
            completed += other.completed;
            failed += other.failed;
            untimed += other.untimed;
            withinTrt += other.withinTrt;
            if (null != other.latencyUs)
            {
                histogram().add(other.latencyUs);
            }
        }

        private IntCountsHistogram histogram()
        {
            if (null == latencyUs)
            {
                latencyUs = new IntCountsHistogram(SIGNIFICANT_DIGITS);
            }
            return latencyUs;
        }

        /** @return messages accepted. */
        public long accepted()
        {
            return accepted;
        }

        /** @return of those, completed: with a completion record (any outcome), or below the checkpoint. */
        public long completed()
        {
            return completed;
        }

        /** @return of the completed, those whose first completion's outcome was not OK. */
        public long failed()
        {
            return failed;
        }

        /** @return of the completed, those complete by the checkpoint whose record retention deleted: no time. */
        public long untimed()
        {
            return untimed;
        }

        /** @return accepted and not completed. */
        public long pending()
        {
            return accepted - completed;
        }

        /** @return completed with outcome OK within their TRT budget. */
        public long withinTrt()
        {
            return withinTrt;
        }

        /**
         * @return {@link #withinTrt()} in hundredths of a percent of the completed messages with a time, rounded
         * down (10000 only when every one was), or -1 when none has a time.
         */
        public long withinTrtBasisPoints()
        {
            final long timed = completed - untimed;
            return 0 == timed ? -1 : withinTrt * 10_000L / timed;
        }

        /**
         * @param percentile from 0 to 100.
         * @return the accept-to-complete latency at that percentile in microseconds, or -1 when no completed message
         * has a time.
         */
        public long latencyUs(final double percentile)
        {
            return null == latencyUs ? -1 : latencyUs.getValueAtPercentile(percentile);
        }
    }
}
