package io.otaprio.server;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --config FILE}: the engine configuration, for every command that runs an engine or sizes a load by one.
 */
public final class ConfigOption
{
    @Option(names = "--config", paramLabel = "FILE", description = "Engine configuration (default: conf/otaprio.yaml).")
    private Path config;

    /** @return the file given, or the shipped {@code conf/otaprio.yaml}. */
    public Path path()
    {
        return null != config ? config : Home.shipped("conf/otaprio.yaml");
    }
}
