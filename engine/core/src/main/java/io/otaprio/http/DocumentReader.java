package io.otaprio.http;

import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * Reads one document posted to the endpoint into a submission: kind, code, RequestID, CommandVariant and, as the
 * payload, the document's own bytes. The DUIS XML reader is the one the engine ships; tests give others.
 * <p>
 * Threading: the endpoint's thread; an instance is reused for every document.
 */
public interface DocumentReader
{
    /** {@link #executionTimeNs()} of a document that is not future-dated. */
    long NOT_FUTURE_DATED = Long.MIN_VALUE;

    /**
     * Read one document.
     *
     * @param bytes      the request body.
     * @param offset     where the document starts.
     * @param length     its length.
     * @param submission a cleared submission with room for {@code length} payload bytes: filled when the document is
     *                   a message.
     * @return true when the document was read into {@code submission}; false when it is malformed, with
     * {@link #detail()} saying why.
     */
    boolean read(byte[] bytes, int offset, int length, AcceptedMessageFlyweight submission);

    /** @return after a {@link #read} that returned false: a short explanation, for the 400 answer. */
    String detail();

    /**
     * @return after a {@link #read} that returned true: the epoch time the request is to be executed at, or
     * {@link #NOT_FUTURE_DATED}.
     */
    long executionTimeNs();

    /**
     * @return after a {@link #read} that returned true: whether the document cancels held requests (a DUIS request
     * of the same SRV dated 3000-12-31T00:00:00Z); false by default.
     */
    default boolean cancellation()
    {
        return false;
    }
}
