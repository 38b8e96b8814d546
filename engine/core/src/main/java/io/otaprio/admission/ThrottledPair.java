package io.otaprio.admission;

/**
 * One line of the alert throttle's summary ({@link AlertThrottle#topThrottled}): a (device, alert code) pair and how
 * many of its alerts were throttled.
 *
 * @param device the device (the RequestID target, an EUI-64).
 * @param code   the 16-bit alert code.
 * @param count  its alerts throttled since the engine started.
 */
public record ThrottledPair(long device, int code, long count)
{
}
