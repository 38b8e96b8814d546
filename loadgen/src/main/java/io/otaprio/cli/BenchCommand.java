package io.otaprio.cli;

import io.otaprio.engine.IdleStrategySpec;
import io.otaprio.perf.BenchRun;
import io.otaprio.perf.TcpSweep;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code otaprio bench}: regenerate a performance run into one folder.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Regenerate a performance run: JMH benchmarks of the engine against its baselines (PriorityBlockingQueue,",
        "four ArrayBlockingQueues, one plain ring) with the GC profiler, the open-loop latency sweep (engine and",
        "PriorityBlockingQueue), and the TCP sweep (load generator against an engine process) over plain TCP",
        "(tcp) and over mutual TLS 1.3 (tcp-tls: certificates made for the run by a development CA in a temporary",
        "directory, deleted after), and DR recovery time (recovery: an engine process restarted on journals of",
        "100k, 1M and 5M pending messages, --quick 100k and 1M; time to the first level-1 dispatch and to the",
        "whole backlog queued, journal bytes scanned); then plots and a summary.md that states each performance",
        "target as met or missed, and what TLS costs against plain TCP.",
        "Busy-spins both cores for the whole run: run it on an otherwise idle machine.",
        "Full mode takes about 19 minutes, --quick about 6." },
    sortOptions = false)
final class BenchCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Fewer forks, iterations, rates and seconds: minutes, wider errors.")
    private boolean quick;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Run folder, created; must not exist or be empty (default: perf-results/<date>-bench[-quick]).")
    private Path out;

    @Option(names = "--only", paramLabel = "SECTIONS", split = ",",
        description = "Run only these of jmh, latency, tcp, tcp-tls, recovery (default: all).")
    private String[] only;

    @Option(names = "--tcp-idle", defaultValue = "backoff", paramLabel = "STRATEGY",
        description = "The engine process's scheduler idle strategy in the TCP sweep (default: ${DEFAULT-VALUE}: " +
            "the load generator shares the two cores, so a busy-spinning scheduler would take one from it).")
    private String tcpIdle;

    @Option(names = "--tcp-threading", defaultValue = "dedicated,shared", split = ",", paramLabel = "MODES",
        description = "The engine process's threading modes, one TCP sweep each, back to back: dedicated, shared " +
            "(default: ${DEFAULT-VALUE}).")
    private List<String> tcpThreading;

    public Integer call() throws Exception
    {
        final Set<String> sections = new LinkedHashSet<>(null == only ? BenchRun.SECTIONS : Arrays.asList(only));
        for (final String section : sections)
        {
            if (!BenchRun.SECTIONS.contains(section))
            {
                throw new IllegalArgumentException("--only: unknown section '" + section + "', expected some of " +
                    String.join(",", BenchRun.SECTIONS));
            }
        }
        IdleStrategySpec.parse(tcpIdle);
        for (final String mode : tcpThreading)
        {
            if (!"dedicated".equals(mode) && !"shared".equals(mode))
            {
                throw new IllegalArgumentException("--tcp-threading: '" + mode + "' is not a mode of the engine " +
                    "process, expected dedicated and/or shared");
            }
        }
        final Path home = Path.of(System.getProperty("otaprio.home", ".")).toAbsolutePath().normalize();
        final Path dir = null != out ? out :
            home.resolve("perf-results").resolve(LocalDate.now() + "-bench" + (quick ? "-quick" : ""));
        if (Files.isDirectory(dir) && !isEmpty(dir) || Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new IllegalArgumentException(dir + " exists and is not an empty directory: choose another --out");
        }
        final StringBuilder command = new StringBuilder("./otaprio bench");
        if (quick)
        {
            command.append(" --quick");
        }
        command.append(" --out ").append(dir);
        if (null != only)
        {
            command.append(" --only ").append(String.join(",", sections));
        }
        command.append(" --tcp-idle ").append(tcpIdle).append(" --tcp-threading ")
            .append(String.join(",", tcpThreading));
        System.out.println("otaprio bench: " + (quick ? "quick" : "full") + " run of " + String.join(", ", sections) +
            " into " + dir);
        final List<String> modes = List.copyOf(new LinkedHashSet<>(tcpThreading));
        final Path tlsDir = sections.contains(BenchRun.TCP_TLS) ? developmentCertificates() : null;
        try
        {
            BenchRun.run(new BenchRun.Settings(dir, quick, sections, tcpIdle, modes, home, command.toString(),
                System.out, tlsDir));
        }
        finally
        {
            if (null != tlsDir)
            {
                IoUtil.delete(tlsDir.toFile(), false);
            }
        }
        return 0;
    }

    /**
     * @return a new owner-only temporary directory holding a development CA's {@code ca.pem}, the server's
     *         certificate for 127.0.0.1 and the TCP sweep's client {@value TcpSweep#TLS_CLIENT}, keys 0600.
     */
    private static Path developmentCertificates() throws IOException, GeneralSecurityException
    {
        // Created 0700 (the JDK's temporary directories are owner-only).
        final Path dir = Files.createTempDirectory("otaprio-bench-tls-");
        final DevelopmentCa ca = new DevelopmentCa(DevelopmentCa.KeyType.EC, Instant.now(), 1);
        final PemDirectory files = new PemDirectory(dir, "the bench's temporary directory");
        files.write("ca", ca.ca());
        files.write("server", ca.issueServer());
        files.write(TcpSweep.TLS_CLIENT, ca.issueClient(TcpSweep.TLS_CLIENT));
        return dir;
    }

    private static boolean isEmpty(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.findAny().isEmpty();
        }
    }
}
