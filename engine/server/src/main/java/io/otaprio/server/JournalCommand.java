package io.otaprio.server;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalDump;
import io.otaprio.journal.JournalStats;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.journal.ThrottleJournal;
import io.otaprio.journal.ThrottleSummary;
import io.otaprio.protocol.AlertCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code otaprio journal dump|stats|throttled|policy}: read a journal without changing it.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspect a journal: each accepted message with its outcome, or counts per level.",
    subcommands = { JournalCommand.Dump.class, JournalCommand.Stats.class, JournalCommand.Throttled.class,
        JournalCommand.Policies.class })
public final class JournalCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** {@code --journal DIR}, the journal every subcommand reads. */
    static final class JournalOption
    {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "Journal directory.")
        private Path directory;

        /** @return the journal to read; refused when there is no directory to read it from. */
        JournalConfig open()
        {
            if (!Files.isDirectory(directory))
            {
                throw new IllegalArgumentException("no journal directory at " + directory);
            }
            return new JournalConfig(directory);
        }
    }

    @Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "One row per accepted message, in accept order: messageId,originator,target,counter,kind,code,level,",
            "acceptedNs,dispatchedNs,completedNs,completions (dispatchedNs/completedNs of the first completion,",
            "empty while pending; completions = number of completion records). Streams to standard output." })
    static final class Dump implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
            description = "csv, or json (one object per line) (default: ${DEFAULT-VALUE}).")
        private String format;

        public Integer call() throws Exception
        {
            final JournalConfig config = journal.open();
            final BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            switch (format)
            {
                case "csv" -> JournalDump.writeCsv(config, out);
                case "json" -> JournalDump.writeJson(config, out);
                default -> throw new IllegalArgumentException("--format must be csv or json, got " + format);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Per level accepted, completed and pending; cycles and size on disk; the checkpoint.")
    static final class Stats implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        @Option(names = "--json", description = "JSON instead of a table.")
        private boolean json;

        public Integer call()
        {
            final JournalStats stats = JournalStats.read(journal.open());
            System.out.println(json ? stats.json() : stats.table());
            return 0;
        }
    }

    @Command(
        name = "throttled",
        mixinStandardHelpOptions = true,
        description = "The alert-storm summaries: per device, alert code and window, how many alerts were " +
            "throttled (CSV).")
    static final class Throttled implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        public Integer call()
        {
            System.out.println("device,alertCode,throttled,windowStart,windowEnd");
            long total = 0;
            for (final ThrottleSummary summary : ThrottleJournal.read(journal.open()))
            {
                System.out.printf("%016X,%s,%d,%s,%s%n", summary.device(), AlertCode.toString(summary.code()),
                    summary.throttled(), Instant.ofEpochSecond(0, summary.windowStartNs()),
                    Instant.ofEpochSecond(0, summary.windowEndNs()));
                total += summary.throttled();
            }
            System.err.println(total + " alerts throttled in all");
            return 0;
        }
    }

    @Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = { "The policy generations the engine put in force, oldest first (CSV): generation, when it " +
            "came in force, the first message id it classified, the SHA-256 of its file (as sha256sum prints it) " +
            "and the file." })
    static final class Policies implements Callable<Integer>
    {
        /** The CSV header. */
        static final String HEADER = "generation,inForce,fromMessageId,sha256,source";

        @Mixin
        private JournalOption journal;

        public Integer call()
        {
            System.out.println(HEADER);
            for (final PolicyRecord record : PolicyJournal.read(journal.open()))
            {
                System.out.printf("%d,%s,%d,%s,%s%n", record.generation(), Instant.ofEpochSecond(0, record.inForceNs()),
                    record.fromMessageId(), record.sha256(), PolicyCommand.csvField(record.source()));
            }
            return 0;
        }
    }
}
