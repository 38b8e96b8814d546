package io.otaprio.journal;

import java.util.HexFormat;

/**
 * One policy generation as {@link PolicyJournal#read} returns it.
 *
 * @param generation    the generation: 1 for the first policy a journal saw, one more at each change.
 * @param inForceNs     when it came in force, epoch nanos.
 * @param fromMessageId the first message id it classified.
 * @param sha256        the SHA-256 of the policy file's bytes, 64 lower-case hex digits.
 * @param source        the policy file's path as the engine was given it.
 */
public record PolicyRecord(long generation, long inForceNs, long fromMessageId, String sha256, String source)
{
    /**
     * @param digest 32 bytes.
     * @return them as 64 lower-case hex digits, as {@code sha256sum} prints them.
     */
    public static String hex(final byte[] digest)
    {
        return HexFormat.of().formatHex(digest);
    }
}
