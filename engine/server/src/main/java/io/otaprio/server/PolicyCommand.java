package io.otaprio.server;

import io.otaprio.config.HostPort;
import io.otaprio.engine.AdminEndpoint;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.policy.PolicyDiff;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.policy.SrvCatalogue;
import io.otaprio.protocol.MessageKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code otaprio policy show} and {@code otaprio policy diff}: what a priority policy does with every SRV of the DUIS
 * catalogue, and what a change of policy moves, without an engine; {@code otaprio policy reload}: put a changed file
 * in force in a running engine.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Inspect priority policies against the DUIS SRV catalogue; reload a running engine's policy.",
    subcommands = { PolicyCommand.Show.class, PolicyCommand.Diff.class, PolicyCommand.Reload.class })
public final class PolicyCommand implements Runnable
{
    /** Header of {@code policy show --format csv}. */
    public static final String CSV_HEADER = "srv,name,level,trtMs,rule";

    /** Exit code of {@code policy diff} when some level changes, as diff(1) has it. */
    public static final int EXIT_DIFFERENT = 1;

    /** Exit code of {@code policy reload} when the engine refused the file (its policy stays). */
    public static final int EXIT_REFUSED = 1;

    /** The DUIS SRV catalogue shipped with otaprio, relative to its home. */
    static final String SHIPPED_CATALOGUE = "conf/duis-srvs.yaml";

    @Spec
    private CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code --catalogue FILE}: the SRVs to list.
     */
    static final class CatalogueOption
    {
        @Option(names = "--catalogue", paramLabel = "FILE", description = "SRV catalogue to list and check against " +
            "(default: the one the policy names, else conf/duis-srvs.yaml).")
        private Path file;

        PriorityPolicy load(final Path policyFile)
        {
            return null == file ? PriorityPolicy.load(policyFile) :
                PriorityPolicy.load(policyFile, SrvCatalogue.load(file));
        }

        SrvCatalogue of(final PriorityPolicy... policies)
        {
            if (null != file)
            {
                return SrvCatalogue.load(file);
            }
            for (final PriorityPolicy policy : policies)
            {
                if (policy.catalogue().isGiven())
                {
                    return policy.catalogue();
                }
            }
            return SrvCatalogue.load(Home.shipped(SHIPPED_CATALOGUE));
        }
    }

    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = { "List every SRV of the catalogue with the level and TRT budget the policy gives it and the " +
            "rule that decided it, as file:line, or default when no rule matches. CSV header: " + CSV_HEADER + "." })
    static final class Show implements Callable<Integer>
    {
        @Mixin
        private ConfigOption config;

        @Mixin
        private CatalogueOption catalogueOption;

        @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file (default: the one the configuration names).")
        private Path policyFile;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or csv.")
        private String format;

        public Integer call()
        {
            final boolean csv = "csv".equals(format);
            if (!csv && !"table".equals(format))
            {
                throw new IllegalArgumentException("unknown format \"" + format + "\": expected table or csv");
            }
            final PriorityPolicy policy = null != policyFile ? catalogueOption.load(policyFile) :
                ConfigurationFile.read(config.path()).policy();
            final SrvCatalogue catalogue = catalogueOption.of(policy);
            final PrintStream out = System.out;
            final String row = "%-8s %-" + nameWidth(catalogue) + "s %5s %7s  %s%n";

            if (csv)
            {
                out.println(CSV_HEADER);
            }
            else
            {
                out.printf(row, "srv", "name", "level", "trtMs", "rule");
            }
            final int[] perLevel = new int[PriorityPolicy.LEVELS + 1];
            int defaulted = 0;
            for (final SrvCatalogue.Srv srv : catalogue.srvs())
            {
                final int rule = policy.classify(MessageKind.SERVICE_REQUEST, srv.code());
                final int level = policy.level(rule);
                final long trtMs = policy.trtNs(rule) / 1_000_000L;
                perLevel[level]++;
                defaulted += policy.isDefault(rule) ? 1 : 0;
                if (csv)
                {
                    out.println(srv.text() + ',' + csvField(srv.name()) + ',' + level + ',' + trtMs + ',' +
                        csvField(policy.ruleSource(rule)));
                }
                else
                {
                    out.printf(row, srv.text(), srv.name(), level, trtMs, policy.ruleSource(rule));
                }
            }
            if (!csv)
            {
                out.printf("%d SRVs of %s (%s): level 1 %d, level 2 %d, level 3 %d, level 4 %d; %d by default%n",
                    catalogue.srvs().size(), catalogue.source(), catalogue.duisVersion(), perLevel[1], perLevel[2],
                    perLevel[3], perLevel[4], defaulted);
            }
            return 0;
        }
    }

    @Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = { "The SRVs of the catalogue and the alerts either policy names whose level changes from OLD " +
            "to NEW, one line each: code, name, old level -> new level. Exit 0 when no level changes, 1 when some " +
            "do, 2 when a policy is invalid." })
    static final class Diff implements Callable<Integer>
    {
        @Mixin
        private CatalogueOption catalogueOption;

        @Parameters(index = "0", paramLabel = "OLD", description = "The policy file before.")
        private Path oldFile;

        @Parameters(index = "1", paramLabel = "NEW", description = "The policy file after.")
        private Path newFile;

        public Integer call()
        {
            final PriorityPolicy before = catalogueOption.load(oldFile);
            final PriorityPolicy after = catalogueOption.load(newFile);
            final SrvCatalogue catalogue = catalogueOption.of(after, before);
            final PolicyDiff diff = PolicyDiff.of(before, after, catalogue);
            final PrintStream out = System.out;
            final String row = "%-6s %-8s %-" + nameWidth(catalogue) + "s %d -> %d%n";
            for (final PolicyDiff.Change change : diff.changes())
            {
                out.printf(row, change.srv() ? "srv" : "alert", change.code(), change.name(), change.oldLevel(),
                    change.newLevel());
            }
            if (diff.defaultChanged())
            {
                out.printf(row, "default", "", "unlisted SRVs and alerts", diff.oldDefault(), diff.newDefault());
            }
            out.println(diff.summary());
            return diff.isEmpty() ? 0 : EXIT_DIFFERENT;
        }
    }

    @Command(
        name = "reload",
        mixinStandardHelpOptions = true,
        description = { "Ask a running engine to read its policy file again, through its admin endpoint " +
            "(admin.listen of the configuration, loopback), as kill -HUP does. Prints the engine's answer: the new " +
            "generation and what changes level, or why the file was refused. Exit 0 when the file is in force, 1 " +
            "when refused (the running policy stays), 2 when the engine cannot be reached." })
    static final class Reload implements Callable<Integer>
    {
        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        @Mixin
        private ConfigOption config;

        @Option(names = "--admin", paramLabel = "HOST:PORT",
            description = "The engine's admin endpoint (default: admin.listen of the configuration).")
        private String admin;

        public Integer call() throws InterruptedException
        {
            final String listen = null != admin ? admin : ConfigurationFile.adminListen(config.path());
            if (Configuration.OFF.equals(listen))
            {
                throw new IllegalArgumentException("admin.listen is off in " + config.path() + ": give --admin " +
                    "HOST:PORT of a running engine's admin endpoint, or send the engine SIGHUP (kill -HUP PID)");
            }
            final HostPort at = HostPort.parse(null != admin ? "--admin" : "admin listen", listen, 0);
            final URI uri = URI.create("http://" + at.host() + ":" + at.port() + AdminEndpoint.RELOAD_PATH);
            final HttpResponse<String> response;
            try
            {
                response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/plain")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot reach an engine's admin endpoint at " + uri + ": " + ex +
                    " (is the engine running with admin.listen " + listen + "?)");
            }
            System.out.print(response.body());
            if (200 == response.statusCode())
            {
                return 0;
            }
            if (AdminEndpoint.REFUSED == response.statusCode())
            {
                return EXIT_REFUSED;
            }
            throw new IllegalArgumentException(uri + " answered HTTP " + response.statusCode() + ": not an otaprio " +
                "admin endpoint?");
        }
    }

    private static int nameWidth(final SrvCatalogue catalogue)
    {
        int width = "unlisted SRVs and alerts".length();
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            width = Math.max(width, srv.name().length());
        }
        return width;
    }

    static String csvField(final String text)
    {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0)
        {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
