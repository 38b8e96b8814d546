package io.otaprio.server;

import io.otaprio.duis.DuisMessage;
import io.otaprio.duis.DuisParser;
import io.otaprio.duis.DuisStatus;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code otaprio duis classify FILE...}: what the engine would make of DUIS documents, without an engine.
 */
@Command(
    name = "duis",
    mixinStandardHelpOptions = true,
    description = "Work with DUIS XML documents offline.",
    subcommands = { DuisCommand.Classify.class })
public final class DuisCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    @Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = { "Read each DUIS document as POST /duis would and print one JSON line per file: its kind, " +
            "RequestID, SRV (or alert code), CommandVariant, ExecutionDateTime and the level and rule the policy " +
            "gives it; or the reason it would be refused (400 MALFORMED). Exit 0 when every file was classified, " +
            "1 when any was refused or unreadable." })
    static final class Classify implements Callable<Integer>
    {
        @Mixin
        private ConfigOption config;

        @Option(names = "--policy", paramLabel = "FILE",
            description = "Classify by this policy file instead of the one the configuration names.")
        private Path policyFile;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "DUIS XML documents.")
        private List<Path> files;

        public Integer call()
        {
            final PriorityPolicy policy = null != policyFile ? PriorityPolicy.load(policyFile) :
                ConfigurationFile.read(config.path()).policy();
            final DuisParser parser = new DuisParser();
            final DuisMessage message = new DuisMessage();
            int refused = 0;
            for (final Path file : files)
            {
                final JsonWriter json = new JsonWriter().beginObject().field("file", file.toString());
                byte[] bytes = null;
                try
                {
                    bytes = Files.readAllBytes(file);
                }
                catch (final IOException ex)
                {
                    json.field("error", "cannot read: " + ex.getMessage());
                }
                if (null != bytes)
                {
                    if (DuisStatus.OK == parser.parse(bytes, 0, bytes.length, message))
                    {
                        describe(json, message, policy);
                    }
                    else
                    {
                        json.field("error", "MALFORMED: " + message.detail());
                    }
                }
                if (null == bytes || DuisStatus.OK != message.status())
                {
                    refused++;
                }
                System.out.println(json.endObject());
            }
            return 0 == refused ? 0 : 1;
        }

        private static void describe(final JsonWriter json, final DuisMessage message, final PriorityPolicy policy)
        {
            final MessageKind kind = message.messageKind();
            final int code = message.classificationCode();
            final int rule = policy.classify(kind, code);
            json.field("kind", kind.name())
                .field("requestId", message.identity().toString());
            json.name("srv");
            if (MessageKind.ALERT == kind)
            {
                json.rawValue("null").field("alertCode", AlertCode.toString(code));
            }
            else
            {
                json.value(SrvCode.toString(code)).name("alertCode").rawValue("null");
            }
            json.field("commandVariant", message.commandVariant());
            json.name("executionDateTime");
            if (message.hasExecutionDateTime())
            {
                json.value(Instant.ofEpochSecond(message.executionEpochSecond()).toString());
            }
            else
            {
                json.rawValue("null");
            }
            json.field("level", policy.level(rule)).field("rule", policy.describeRule(rule));
        }
    }
}
