package io.otaprio.admission;

import io.otaprio.protocol.AlertCode;

import java.util.List;

/**
 * Alert-storm throttling, before classification: identical alerts (same device, same alert code) beyond
 * {@code maxPerWindow} in a window are answered THROTTLED instead of being queued, so a faulty batch of meters
 * raising the same alert thousands of times cannot fill the rings; the first {@code maxPerWindow} of every window
 * still go through, so the condition stays visible downstream. Alert codes on the exclusion list are never
 * throttled, and admission never asks about an alert the policy in force puts at level 1 (supply, credit and outage
 * alerts).
 * <p>
 * Nothing is silent: every throttled alert is answered, counted, and its (device, code) pair's running total is
 * kept for the metrics' summary ({@link #topThrottled}). Open addressing over preallocated arrays, never removed;
 * when the table is full a new pair is not throttled and is counted ({@link #untracked()}).
 * <p>
 * Threading: the admission thread writes; {@link #topThrottled} may run on a metrics thread (plain reads, possibly a
 * little stale).
 */
public final class WindowedAlertThrottle implements AlertThrottle
{
    private final long windowNs;
    private final int maxPerWindow;
    private final boolean[] excluded;
    private final int maxPairs;
    private final int mask;
    private final boolean[] used;
    private final long[] devices;
    private final int[] codes;
    private final long[] windowStartNs;
    private final int[] inWindow;
    private final long[] throttled;
    private final long[] throttledInWindow;
    private final Summary summary;
    private int size;
    private long untracked;

    /**
     * @param windowNs      the window identical alerts are counted over.
     * @param maxPerWindow  identical alerts let through per window, >= 1.
     * @param excluded      per 16-bit alert code, true for never throttled (65,536 entries).
     * @param maxPairs      (device, code) pairs tracked.
     * @param summary       told of every window in which alerts were throttled (the throttle journal), or
     *                      {@link Summary#NONE}.
     */
    public WindowedAlertThrottle(
        final long windowNs,
        final int maxPerWindow,
        final boolean[] excluded,
        final int maxPairs,
        final Summary summary)
    {
        if (windowNs < 1)
        {
            throw new IllegalArgumentException("alert throttle window must be > 0, got " + windowNs + " ns");
        }
        if (maxPerWindow < 1)
        {
            throw new IllegalArgumentException("alert throttle maxPerWindow must be >= 1, got " + maxPerWindow);
        }
        if (excluded.length != 0x10000)
        {
            throw new IllegalArgumentException("the exclusion table needs one entry per 16-bit alert code");
        }
        this.windowNs = windowNs;
        this.maxPerWindow = maxPerWindow;
        this.excluded = excluded.clone();
        this.maxPairs = maxPairs;
        this.summary = summary;
        final int slots = OpenAddressing.slots("alert throttle maxPairs", maxPairs, 1 << 26);
        mask = slots - 1;
        used = new boolean[slots];
        devices = new long[slots];
        codes = new int[slots];
        windowStartNs = new long[slots];
        inWindow = new int[slots];
        throttled = new long[slots];
        throttledInWindow = new long[slots];
    }

    /**
     * {@inheritDoc} Walks the table: call it about once a second.
     */
    public int sweep(final long nowNs)
    {
        int reported = 0;
        for (int slot = 0; slot < used.length; slot++)
        {
            if (used[slot] && throttledInWindow[slot] > 0 && nowNs - windowStartNs[slot] >= windowNs)
            {
                report(slot);
                reported++;
            }
        }
        return reported;
    }

    private void report(final int slot)
    {
        summary.onThrottled(devices[slot], codes[slot], throttledInWindow[slot], windowStartNs[slot],
            windowStartNs[slot] + windowNs);
        throttledInWindow[slot] = 0;
    }

    public boolean admit(final long device, final int code, final long nowNs)
    {
        // DCC alert codes are throttled like device ones; only device codes can be on the exclusion list.
        if (AlertCode.isDeviceAlert(code) && excluded[code])
        {
            return true;
        }
        int slot = (int)OpenAddressing.mix(device ^ ((long)code << 48)) & mask;
        while (used[slot] && (devices[slot] != device || codes[slot] != code))
        {
            slot = (slot + 1) & mask;
        }
        if (!used[slot])
        {
            if (size >= maxPairs)
            {
                untracked++;
                return true;
            }
            used[slot] = true;
            devices[slot] = device;
            codes[slot] = code;
            windowStartNs[slot] = nowNs;
            inWindow[slot] = 0;
            size++;
        }
        if (nowNs - windowStartNs[slot] >= windowNs)
        {
            if (throttledInWindow[slot] > 0)
            {
                report(slot);
            }
            windowStartNs[slot] = nowNs;
            inWindow[slot] = 0;
        }
        if (inWindow[slot] < maxPerWindow)
        {
            inWindow[slot]++;
            return true;
        }
        throttled[slot]++;
        throttledInWindow[slot]++;
        return false;
    }

    public long untracked()
    {
        return untracked;
    }

    public List<ThrottledPair> topThrottled(final int n)
    {
        return TopCounts.top(n, used, throttled,
            (slot, count) -> new ThrottledPair(devices[slot], codes[slot], count));
    }
}
