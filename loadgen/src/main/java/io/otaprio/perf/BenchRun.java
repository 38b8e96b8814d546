package io.otaprio.perf;

import io.otaprio.bench.EngineLatencyTarget;
import io.otaprio.bench.LatencySweep;
import io.otaprio.bench.PriorityBlockingQueueLatencyTarget;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One performance run, everything the performance targets are judged on, into one folder: the JMH benchmarks (engine
 * and baselines in one run, GC profiler on), the open-loop latency sweep of the engine and the
 * {@code PriorityBlockingQueue}, and the TCP sweep of the load generator against an engine process, over plain TCP
 * ({@code tcp}) and over mutual TLS 1.3 ({@code tcp-tls}), and the engine process's recovery time against the backlog
 * of a crashed engine's journal ({@code recovery}); then the plots and {@code summary.md}.
 * {@code ./otaprio bench} runs it; {@code --quick} is the same with fewer forks, iterations, rates and seconds.
 */
public final class BenchRun
{
    /** Every section, in the order run. */
    public static final List<String> SECTIONS = List.of("jmh", "latency", "tcp", "tcp-tls", "recovery");

    /** The section of the TCP sweep over mutual TLS 1.3, which needs certificates ({@link Settings#tlsDir()}). */
    public static final String TCP_TLS = "tcp-tls";

    /** The JMH benchmarks a run includes. */
    static final String JMH_INCLUDE = "io\\.otaprio\\.bench\\.((FourRingScheduler|UnbatchedEngine|JournaledEngine|" +
        "PriorityBlockingQueue|FourArrayBlockingQueues|OneRing)ThroughputBenchmark|ClassificationBenchmark|" +
        "AcceptedJournalAppendBenchmark|AdmissionBenchmark|SchedulerJournalingBenchmark)\\..*";

    /**
     * What to run.
     *
     * @param outDir      the run's folder (created).
     * @param quick       minutes rather than tens of minutes.
     * @param sections    a subset of {@link #SECTIONS}.
     * @param tcpIdle     the engine process's scheduler idle strategy in the TCP sweep.
     * @param tcpThreading the engine process's threading modes, one TCP sweep each ({@code dedicated}, {@code shared}).
     * @param home        the otaprio home (conf/).
     * @param commandLine how this run was started, for command.txt.
     * @param out         progress lines.
     * @param tlsDir      for {@value #TCP_TLS}: a directory of development certificates as {@link TcpSweep} reads
     *                    them (its engine configuration is written there too); null when not run.
     */
    public record Settings(
        Path outDir,
        boolean quick,
        Set<String> sections,
        String tcpIdle,
        List<String> tcpThreading,
        Path home,
        String commandLine,
        PrintStream out,
        Path tlsDir)
    {
        /**
         * Without the TLS sweep.
         *
         * @param outDir       the run's folder (created).
         * @param quick        minutes rather than tens of minutes.
         * @param sections     a subset of {@link #SECTIONS} without {@value #TCP_TLS}.
         * @param tcpIdle      the engine process's scheduler idle strategy in the TCP sweep.
         * @param tcpThreading the engine process's threading modes, one TCP sweep each.
         * @param home         the otaprio home (conf/).
         * @param commandLine  how this run was started, for command.txt.
         * @param out          progress lines.
         */
        public Settings(
            final Path outDir,
            final boolean quick,
            final Set<String> sections,
            final String tcpIdle,
            final List<String> tcpThreading,
            final Path home,
            final String commandLine,
            final PrintStream out)
        {
            this(outDir, quick, sections, tcpIdle, tcpThreading, home, commandLine, out, null);
        }
    }

    private BenchRun()
    {
    }

    /**
     * Run it.
     *
     * @param settings what to run.
     * @throws IOException if a file cannot be written or a child process fails.
     * @throws RunnerException if JMH fails.
     */
    public static void run(final Settings settings) throws IOException, RunnerException
    {
        final Path out = settings.outDir();
        Files.createDirectories(out);
        final PrintStream progress = settings.out();
        final long startNs = System.nanoTime();
        final BenchSummary summary = new BenchSummary(settings);
        Files.writeString(out.resolve("machine.txt"), MachineInfo.describe());
        writeCommand(settings);

        if (settings.sections().contains("jmh"))
        {
            final Path json = out.resolve("jmh.json");
            final int forks = settings.quick() ? 1 : 3;
            final int warmups = settings.quick() ? 2 : 5;
            final int iterations = settings.quick() ? 3 : 5;
            progress.printf("[jmh] %d fork(s) x %d x 1 s after %d x 1 s warm-up per benchmark, GC profiler; log %s%n",
                forks, iterations, warmups, out.resolve("jmh.log"));
            final ChainedOptionsBuilder options = new OptionsBuilder()
                .include(JMH_INCLUDE)
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .jvmArgs(forkJvmArgs(settings.home()).toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .output(out.resolve("jmh.log").toString());
            new Runner(options.build()).run();
            BarChart.write(out.resolve("throughput.png"), "One producer, one consumer: messages/s end to end (JMH)",
                List.of(json));
            summary.jmh(JmhResults.read(json));
            progress.printf("[jmh] done: %s, throughput.png (%s)%n", json, elapsed(startNs));
        }

        if (settings.sections().contains("latency"))
        {
            final long[] rates = settings.quick() ?
                new long[]{ 50_000, 100_000, 250_000, 1_000_000, 2_000_000, 4_000_000 } : LatencySweep.RATES;
            final int repetitions = settings.quick() ? 1 : 3;
            final LatencySweep sweep = settings.quick() ?
                new LatencySweep(TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2),
                    progress) :
                new LatencySweep(TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(5),
                    progress);
            final List<List<LatencySweep.Point>> runs = new ArrayList<>();
            for (int repetition = 1; repetition <= repetitions; repetition++)
            {
                progress.printf("[latency] sweep %d of %d: engine, then PriorityBlockingQueue%n", repetition,
                    repetitions);
                final List<LatencySweep.Point> points = new ArrayList<>();
                points.addAll(sweep.sweep(new EngineLatencyTarget(), rates));
                points.addAll(sweep.sweep(new PriorityBlockingQueueLatencyTarget(), rates));
                LatencySweep.writeHgrm(out.resolve("hgrm").resolve("run" + repetition), points);
                Files.writeString(out.resolve("latency-sweep-run" + repetition + ".json"),
                    LatencySweep.json(points) + System.lineSeparator());
                runs.add(points);
            }
            BenchPlots.latencySweep(out.resolve("latency-sweep.png"), runs.get(0));
            BenchPlots.percentileCurves(out.resolve("latency-percentiles-100k.png"), runs.get(0),
                LatencySweep.TARGET_RATE);
            summary.latency(runs);
            progress.printf("[latency] done (%s)%n", elapsed(startNs));
        }

        final Map<String, List<TcpSweep.Point>> plain = tcpSweeps(settings, false, startNs);
        final Map<String, List<TcpSweep.Point>> tls = tcpSweeps(settings, true, startNs);
        if (!plain.isEmpty() || !tls.isEmpty())
        {
            // One plot: plain TCP and TLS side by side, each sweep's series named by its mode and transport.
            final Map<String, List<TcpSweep.Point>> plotted = new LinkedHashMap<>(plain);
            tls.forEach((threading, points) -> plotted.put(threading + " TLS", points));
            BenchPlots.tcpSweep(out.resolve("tcp-sweep.png"), plotted);
        }
        if (!plain.isEmpty())
        {
            summary.tcp(plain);
        }
        if (!tls.isEmpty())
        {
            summary.tcpTls(plain, tls);
        }

        if (settings.sections().contains("recovery"))
        {
            final long[] backlogs = settings.quick() ? RecoveryBench.QUICK_BACKLOGS : RecoveryBench.BACKLOGS;
            progress.printf("[recovery] engine process restarted on journals with backlogs of %s pending%n",
                java.util.Arrays.toString(backlogs));
            final List<RecoveryBench.Point> points = RecoveryBench.run(settings.home().resolve("conf/bench-tcp.yaml"),
                settings.home().resolve("conf/traffic-mix.yaml"), out, backlogs, progress);
            RecoveryBench.write(out.resolve("recovery.json"), points);
            BenchPlots.recovery(out.resolve("recovery.png"), points);
            summary.recovery(points);
            progress.printf("[recovery] done: recovery.json, recovery.png (%s)%n", elapsed(startNs));
        }

        Files.writeString(out.resolve("summary.md"), summary.markdown(MachineInfo.loadAverage()));
        progress.printf("wrote %s (%s)%n", out.resolve("summary.md"), elapsed(startNs));
    }

    /**
     * The TCP sweep over plain TCP or TLS, one per threading mode, if its section is in the run.
     *
     * @return the sweeps by threading mode; empty when the section is not run.
     */
    private static Map<String, List<TcpSweep.Point>> tcpSweeps(
        final Settings settings, final boolean tls, final long startNs) throws IOException
    {
        final String section = tls ? TCP_TLS : "tcp";
        final Map<String, List<TcpSweep.Point>> sweeps = new LinkedHashMap<>();
        if (!settings.sections().contains(section))
        {
            return sweeps;
        }
        if (tls && null == settings.tlsDir())
        {
            throw new IllegalArgumentException("the " + TCP_TLS + " section needs a directory of certificates");
        }
        final PrintStream progress = settings.out();
        // The rate TLS and plain TCP are compared at first, below any knee.
        final long[] rates = settings.quick() ? new long[]{ TcpSweep.TLS_COMPARED_RATE, 100_000, 300_000 } :
            TcpSweep.RATES;
        progress.printf("[%s] engine process and load generator%s, rates %s%n", section,
            tls ? " over mutual TLS 1.3" : "", java.util.Arrays.toString(rates));
        for (final String threading : settings.tcpThreading())
        {
            final List<TcpSweep.Point> points = TcpSweep.run(settings.home().resolve("conf/bench-tcp.yaml"),
                settings.home().resolve("conf/traffic-mix.yaml"), settings.outDir(), rates,
                TimeUnit.SECONDS.toNanos(settings.quick() ? 3 : 5),
                TimeUnit.SECONDS.toNanos(settings.quick() ? 5 : 10), settings.tcpIdle(), threading,
                tls ? settings.tlsDir() : null, progress);
            TcpSweep.write(settings.outDir().resolve(TcpSweep.jsonName(threading, tls)), points);
            sweeps.put(threading, points);
        }
        progress.printf("[%s] done (%s)%n", section, elapsed(startNs));
        return sweeps;
    }

    private static void writeCommand(final Settings settings) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        text.append("# ").append(Instant.now()).append(", from ").append(settings.home()).append('\n');
        text.append(settings.commandLine()).append('\n');
        text.append("# JVM of this run (the JMH forks get the same arguments):\n");
        text.append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append('\n');
        text.append("# JMH benchmarks included: ").append(JMH_INCLUDE).append('\n');
        Files.writeString(settings.outDir().resolve("command.txt"), text.toString());
    }

    private static List<String> forkJvmArgs(final Path home)
    {
        final List<String> args = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!arg.startsWith("-Dotaprio.home") && !arg.startsWith("-Xlog") && !arg.startsWith("-agentlib"))
            {
                args.add(arg);
            }
        }
        args.add("-Dotaprio.home=" + home);
        return args;
    }

    private static String elapsed(final long startNs)
    {
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs);
        return String.format(Locale.ROOT, "%d:%02d elapsed", seconds / 60, seconds % 60);
    }
}
