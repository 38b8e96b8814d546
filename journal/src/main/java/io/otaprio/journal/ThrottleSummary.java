package io.otaprio.journal;

/**
 * One throttle summary as {@link ThrottleJournal#read} returns it: how many identical alerts of one device and code
 * the engine throttled in one window.
 *
 * @param device        the device, the RequestID target EUI-64.
 * @param code          the 16-bit alert code.
 * @param throttled     alerts throttled in the window.
 * @param windowStartNs when the window began, epoch nanos.
 * @param windowEndNs   when it ended, epoch nanos.
 */
public record ThrottleSummary(long device, int code, long throttled, long windowStartNs, long windowEndNs)
{
}
