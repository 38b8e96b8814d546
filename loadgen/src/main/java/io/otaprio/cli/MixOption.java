package io.otaprio.cli;

import io.otaprio.server.Home;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --mix FILE}: the traffic mix, for every command that generates a load.
 */
final class MixOption
{
    @Option(names = "--mix", paramLabel = "FILE", description = "Traffic mix (default: conf/traffic-mix.yaml).")
    private Path mix;

    /** @return the file given, or the shipped {@code conf/traffic-mix.yaml}. */
    Path path()
    {
        return null != mix ? mix : Home.shipped("conf/traffic-mix.yaml");
    }
}
