package io.otaprio.cli;

import picocli.CommandLine.Option;

/**
 * {@code --connections N}: how many TCP connections the load generator spreads its load over, for every command that
 * drives an engine over TCP.
 */
final class ConnectionsOption
{
    private static final int MAX_CONNECTIONS = 1024;

    @Option(names = "--connections", defaultValue = "4", paramLabel = "N",
        description = "TCP connections to spread the load over (default: ${DEFAULT-VALUE}).")
    private int connections;

    /**
     * @return the number given.
     * @throws IllegalArgumentException unless it is 1..1024.
     */
    int count()
    {
        if (connections < 1 || connections > MAX_CONNECTIONS)
        {
            throw new IllegalArgumentException("--connections must be 1.." + MAX_CONNECTIONS + ", got " + connections);
        }
        return connections;
    }
}
