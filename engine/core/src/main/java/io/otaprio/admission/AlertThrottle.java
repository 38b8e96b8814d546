package io.otaprio.admission;

import java.util.List;

/**
 * Alert-storm throttling, before classification: identical alerts (same device, same alert code) beyond a limit per
 * window are answered THROTTLED instead of being queued. {@link WindowedAlertThrottle} is the engine's; {@link #NONE}
 * throttles nothing, for an engine configured without it.
 * <p>
 * Threading: {@link #admit} and {@link #sweep} on the admission thread; {@link #topThrottled} and {@link #untracked()}
 * may be read from a metrics thread (possibly a little stale).
 */
public interface AlertThrottle
{
    /** Throttles nothing. */
    AlertThrottle NONE = new AlertThrottle()
    {
        public boolean admit(final long device, final int code, final long nowNs)
        {
            return true;
        }

        public int sweep(final long nowNs)
        {
            return 0;
        }

        public long untracked()
        {
            return 0;
        }

        public List<ThrottledPair> topThrottled(final int n)
        {
            return List.of();
        }
    };

    /**
     * Told of every (device, code, window) in which alerts were throttled, once the window has ended: when the next
     * identical alert opens a new window, or by {@link #sweep}.
     */
    @FunctionalInterface
    interface Summary
    {
        /** Records nothing. */
        Summary NONE = (device, code, throttled, windowStartNs, windowEndNs) -> {};

        /**
         * @param device        the device.
         * @param code          the alert code.
         * @param throttled     alerts throttled in the window.
         * @param windowStartNs when the window began.
         * @param windowEndNs   when it ended.
         */
        void onThrottled(long device, int code, long throttled, long windowStartNs, long windowEndNs);
    }

    /**
     * Admission thread.
     *
     * @param device the device raising the alert (the RequestID target).
     * @param code   its 16-bit alert code.
     * @param nowNs  now.
     * @return true to admit it, false when it is throttled.
     */
    boolean admit(long device, int code, long nowNs);

    /**
     * Admission thread, from time to time: report the windows that have ended since, with throttled alerts, whose
     * device has sent nothing since (a storm that stopped).
     *
     * @param nowNs now; {@code Long.MAX_VALUE} reports every window still open (at shutdown).
     * @return windows reported.
     */
    int sweep(long nowNs);

    /** @return alerts a full table could not track (admitted, not throttled). */
    long untracked();

    /**
     * The (device, code) pairs with the most throttled alerts. Allocates: for a metrics scrape.
     *
     * @param n how many.
     * @return up to n (device, code) pairs with their throttled count, most throttled first.
     */
    List<ThrottledPair> topThrottled(int n);
}
