package io.otaprio.server;

import java.nio.file.Path;

/**
 * Where the shipped files live. The launcher passes {@code -Dotaprio.home=<repo>} so that the defaults
 * ({@code conf/otaprio.yaml}, {@code conf/traffic-mix.yaml}) are found from any working directory; paths given on
 * the command line stay relative to the working directory, as users expect.
 */
public final class Home
{
    private Home()
    {
    }

    /**
     * @param relative a path relative to the repository, such as {@code conf/otaprio.yaml}.
     * @return where that shipped file is, relative to the working directory when it lies below it.
     */
    public static Path shipped(final String relative)
    {
        final String home = System.getProperty("otaprio.home");
        if (null == home)
        {
            return Path.of(relative);
        }
        final Path shipped = Path.of(home).toAbsolutePath().normalize().resolve(relative);
        final Path cwd = Path.of("").toAbsolutePath();
        // Shorter names in messages when run from the repository, as the README shows them.
        return shipped.startsWith(cwd) ? cwd.relativize(shipped) : shipped;
    }
}
