package io.otaprio.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable copy of one Chronicle document, as every journal reader takes it: {@link #readNext} copies the next
 * document a tailer reads and closes it before returning. Whoever then looks at the copy holds no document open, and
 * the bytes stay valid until the next read even if retention deletes the cycle file they came from.
 * <p>
 * Allocates only when a document is larger than any before: the buffer then grows, at least doubling.
 * <p>
 * Threading: one thread.
 */
final class DocumentCopy
{
    /** Chronicle's header before each document: its length and flags. */
    static final int HEADER_BYTES = 4;

    private final UnsafeBuffer buffer;
    private long index;
    private int length;
    private long bytesRead;

    /**
     * @param initialCapacity bytes the copy holds before it first grows.
     */
    DocumentCopy(final int initialCapacity)
    {
        this.buffer = new UnsafeBuffer(new byte[initialCapacity]);
    }

    /**
     * Copy the tailer's next document, then close it.
     *
     * @param tailer positioned at the document to read.
     * @return true when a document was copied; false when there is none.
     */
    boolean readNext(final ExcerptTailer tailer)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            index = dc.index();
            length = copy(dc.wire().bytes());
            bytesRead += Math.max(0, length) + HEADER_BYTES;
            return true;
        }
    }

    /** @return the Chronicle index of the document copied last. */
    long index()
    {
        return index;
    }

    /** @return its length in bytes, or -1 when it is larger than {@code Integer.MAX_VALUE} (nothing was copied). */
    int length()
    {
        return length;
    }

    /**
     * @return bytes of the queue read through this copy so far: each document's length plus its
     * {@value #HEADER_BYTES}-byte header.
     */
    long bytesRead()
    {
        return bytesRead;
    }

    /** @return the copy, from offset 0; valid until the next read. */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    private int copy(final Bytes<?> bytes)
    {
        final long remaining = bytes.readRemaining();
        if (remaining > Integer.MAX_VALUE - 8)
        {
            return -1;
        }
        final int documentLength = (int)remaining;
        if (buffer.capacity() < documentLength)
        {
            buffer.wrap(new byte[Math.max(documentLength, buffer.capacity() * 2)]);
        }
        bytes.read(buffer.byteArray(), 0, documentLength);
        return documentLength;
    }
}
