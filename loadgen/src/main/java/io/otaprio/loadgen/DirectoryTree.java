package io.otaprio.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removes a directory tree this program created: a temporary journal, a benchmark's scratch directory.
 */
public final class DirectoryTree
{
    private DirectoryTree()
    {
    }

    /**
     * Delete a directory and everything below it; nothing happens if it does not exist.
     *
     * @param root the directory.
     * @throws UncheckedIOException naming the directory if it cannot be removed.
     */
    public static void delete(final Path root)
    {
        if (null == root || !Files.exists(root))
        {
            return;
        }
        try
        {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path dir, final IOException ex) throws IOException
                {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not remove " + root, ex);
        }
    }
}
