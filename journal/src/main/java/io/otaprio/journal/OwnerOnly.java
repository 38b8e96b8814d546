package io.otaprio.journal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The journal's files at rest are its owner's alone: a journal holds every message's payload and RequestID, and
 * nobody else on the host needs to read it. Directories the engine creates are 0700 and the files it writes itself
 * 0600, where the file system has POSIX permissions; Chronicle's queue files get the process's umask, which the
 * launcher sets to 077, and lie in 0700 directories either way. A directory or file that exists is left alone but
 * for the files the engine writes. Encrypting the disk is the platform's job.
 */
public final class OwnerOnly
{
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTRIBUTE =
        PosixFilePermissions.asFileAttribute(DIRECTORY);

    private OwnerOnly()
    {
    }

    /**
     * Create a directory and any missing parents, each one it creates 0700.
     *
     * @param directory the directory.
     * @throws IOException when it cannot be created.
     */
    public static void createDirectories(final Path directory) throws IOException
    {
        final Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute))
        {
            return;
        }
        final Path parent = absolute.getParent();
        if (null != parent)
        {
            createDirectories(parent);
        }
        try
        {
            if (isPosix(absolute))
            {
                Files.createDirectory(absolute, DIRECTORY_ATTRIBUTE);
                // The umask may have taken bits away, never added any: 0700 exactly either way.
                Files.setPosixFilePermissions(absolute, DIRECTORY);
            }
            else
            {
                Files.createDirectory(absolute);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(absolute))
            {
                throw ex;
            }
        }
    }

    /**
     * Make a file the engine writes itself (the journal lock, the status file) 0600.
     *
     * @param file the file.
     * @throws IOException when its permissions cannot be set.
     */
    public static void restrict(final Path file) throws IOException
    {
        if (isPosix(file))
        {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean isPosix(final Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
