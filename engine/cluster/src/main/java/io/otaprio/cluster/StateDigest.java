package io.otaprio.cluster;

/**
 * A running 64-bit digest of everything a node's service decided, in the order it decided it. Two nodes that applied
 * the same log and decided the same (ids, levels, lanes, accept times, answers, completions) have the same digest;
 * one different decision anywhere makes them differ from there on. FNV-1a over 64-bit words, finished with a
 * murmur3 mix so close inputs give far apart digests.
 * <p>
 * Threading: the service thread writes; {@link #value()} may be read from any thread.
 */
final class StateDigest
{
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private long hash = OFFSET_BASIS;
    private volatile long published = OFFSET_BASIS;

    void add(final long value)
    {
        hash = (hash ^ value) * PRIME;
    }

    /** Make what was added visible to {@link #value()}: once per applied log message. */
    void publish()
    {
        published = mix(hash);
    }

    /** @return the digest as of the last {@link #publish()}. Any thread. */
    long value()
    {
        return published;
    }

    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
