package io.otaprio.journal;

import java.util.Locale;

/**
 * When journal writes are forced from the page cache to the device.
 * <p>
 * Chronicle Queue 2026.4 splits this in two: the queue builder's {@code syncMode} only chooses the {@code msync}
 * flag ({@code NONE} = no msync, {@code ASYNC} = {@code MS_ASYNC}, {@code SYNC} = {@code MS_SYNC}) and nothing
 * is msynced until someone calls {@code appender.sync()}. The journals therefore set the mode on the builder
 * and call {@code sync()} after every accepted append and after every outcome flush when the mode is not
 * {@link #NONE}. Note that the builder's own default is {@code ASYNC} (system property
 * {@code mappedFile.defaultSyncMode}), so {@link #NONE} is set explicitly.
 * <ul>
 *     <li>{@link #NONE}: writes reach the memory-mapped file; they survive a crash of the process (the kernel
 *     owns the dirty pages) but not a power loss or kernel crash before the kernel writes them back.</li>
 *     <li>{@link #ASYNC}: as NONE plus an {@code msync(MS_ASYNC)} per write, which asks for write-back without
 *     waiting for it (on Linux this is close to a no-op: dirty pages are written back anyway). Survives what
 *     NONE survives; narrows nothing that can be promised.</li>
 *     <li>{@link #SYNC}: {@code msync(MS_SYNC)} per write, returning only once the data is on the device: survives
 *     a power loss for every acknowledged message, at the cost of a device round trip per append.</li>
 * </ul>
 * Directory entries of newly rolled cycle files are not fsynced by Chronicle in any mode.
 */
public enum JournalSync
{
    /** No msync. */
    NONE,
    /** {@code msync(MS_ASYNC)} after each write. */
    ASYNC,
    /** {@code msync(MS_SYNC)} after each write. */
    SYNC;

    /**
     * @param text {@code none}, {@code async} or {@code sync}, any case.
     * @return the policy.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static JournalSync parse(final String text)
    {
        if (null != text)
        {
            switch (text.trim().toLowerCase(Locale.ROOT))
            {
                case "none":
                    return NONE;
                case "async":
                    return ASYNC;
                case "sync":
                    return SYNC;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("journal sync must be one of none, async, sync, got \"" + text + "\"");
    }
}
