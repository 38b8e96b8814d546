package io.otaprio.policy;

import io.otaprio.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A priority policy with where it came from: the file, and the SHA-256 of exactly the bytes it was parsed from (what
 * {@code sha256sum FILE} prints), so that the journal can say which policy classified which message and an operator
 * can check it against the file in version control. A policy built in code has no file and cannot be reloaded.
 *
 * @param path   the policy file as the engine was given it; null for a policy built in code.
 * @param policy the policy.
 * @param sha256 64 lower-case hex digits: of the file's bytes, or of the description of a policy built in code.
 */
public record PolicyFile(Path path, PriorityPolicy policy, String sha256)
{
    /**
     * @param path   the policy file, or null.
     * @param policy the policy.
     * @param sha256 its digest.
     */
    public PolicyFile
    {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * Read a policy file once: digest its bytes and parse the same bytes, checked against the catalogue its
     * {@code catalogue} key names.
     *
     * @param path such as {@code conf/priority-policy.yaml}.
     * @return the policy and its digest.
     * @throws ConfigException naming the file, line, entry and rule broken, as {@link PriorityPolicy#load(Path)}.
     */
    public static PolicyFile load(final Path path)
    {
        final String source = path.toString();
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(path);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(source, 0, "", "file not found", ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(source, 0, "", "cannot read file: " + ex, ex);
        }
        return new PolicyFile(path, PriorityPolicy.parse(new String(bytes, StandardCharsets.UTF_8), source),
            sha256(bytes));
    }

    /**
     * Resolve a policy as the command line names it.
     *
     * @param spec        {@value PriorityPolicy#FIFO} for the one-lane baseline over the classes of
     *                    {@code defaultFile}, otherwise the path of a policy file.
     * @param defaultFile the policy whose classes the fifo baseline reports against.
     * @return the policy and its file.
     * @throws ConfigException when the file is missing or invalid.
     */
    public static PolicyFile fromSpec(final String spec, final Path defaultFile)
    {
        Objects.requireNonNull(spec, "spec");
        return PriorityPolicy.FIFO.equals(spec.trim()) ? load(defaultFile).fifo() : load(Path.of(spec.trim()));
    }

    /**
     * @param policy a policy built in code (a test's, a benchmark's).
     * @return it, with no file: its digest is of its description.
     */
    public static PolicyFile of(final PriorityPolicy policy)
    {
        return new PolicyFile(null, policy, sha256(policy.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** @return true when it was read from a file, which can be read again. */
    public boolean isFromFile()
    {
        return null != path;
    }

    /** @return the file's path, or a description of a policy built in code. */
    public String source()
    {
        return null != path ? path.toString() : "(policy " + policy.name() + " built in code)";
    }

    /**
     * @return the same file with every message in one lane ({@link PriorityPolicy#fifo()}).
     */
    public PolicyFile fifo()
    {
        return new PolicyFile(path, policy.fifo(), sha256);
    }

    /**
     * Read the file again, keeping the running policy's lane layout (a fifo policy stays one lane).
     *
     * @return what the file says now.
     * @throws ConfigException when the file is now missing or invalid.
     * @throws IllegalStateException when this policy has no file.
     */
    public PolicyFile reload()
    {
        if (!isFromFile())
        {
            throw new IllegalStateException("the running policy was built in code, not read from a file: nothing " +
                "to reload");
        }
        final PolicyFile now = load(path);
        return policy.isFifo() ? now.fifo() : now;
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }
}
