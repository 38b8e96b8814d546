package io.otaprio.admission;

/**
 * One line of the quota's summary ({@link OriginatorQuota#topOffenders}): an originator and how many of its messages
 * were demoted.
 *
 * @param originator the RequestID originator (an EUI-64).
 * @param count      its messages demoted since the engine started.
 */
public record OriginatorCount(long originator, long count)
{
}
