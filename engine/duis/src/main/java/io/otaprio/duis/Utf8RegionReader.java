package io.otaprio.duis;

import java.io.IOException;
import java.io.Reader;

/**
 * Decodes UTF-8 from a byte range as a {@link Reader}, strictly (no overlong forms, no surrogates, nothing above
 * U+10FFFF), without allocating: it can be pointed at another range, and a malformed sequence is reported with one
 * preallocated exception. A leading byte order mark is skipped. DUIS documents are UTF-8; decoding them here rather
 * than in the StAX reader keeps the JDK reader from printing its own error for a bad byte, and from allocating a
 * decoder per document.
 * <p>
 * Threading: not thread-safe; owned by one {@link DuisParser}.
 */
final class Utf8RegionReader extends Reader
{
    private static final IOException MALFORMED = new MalformedUtf8();

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;
    private char pendingLowSurrogate;

    void wrap(final byte[] bytes, final int offset, final int length)
    {
        this.bytes = bytes;
        position = offset;
        limit = offset + length;
        pendingLowSurrogate = 0;
        if (length >= 3 && (bytes[offset] & 0xFF) == 0xEF && (bytes[offset + 1] & 0xFF) == 0xBB &&
            (bytes[offset + 2] & 0xFF) == 0xBF)
        {
            position += 3;
        }
    }

    public int read(final char[] chars, final int offset, final int length) throws IOException
    {
        if (0 == length)
        {
            return 0;
        }
        int out = offset;
        final int end = offset + length;
        if (0 != pendingLowSurrogate)
        {
            chars[out++] = pendingLowSurrogate;
            pendingLowSurrogate = 0;
        }
        final byte[] in = bytes;
        int p = position;
        final int max = limit;
        while (out < end && p < max)
        {
            final int b0 = in[p];
            if (b0 >= 0)
            {
                chars[out++] = (char)b0;
                p++;
                continue;
            }
            final int lead = b0 & 0xFF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                if (p + 1 >= max)
                {
                    throw MALFORMED;
                }
                chars[out++] = (char)(((lead & 0x1F) << 6) | continuation(in[p + 1]));
                p += 2;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                if (p + 2 >= max)
                {
                    throw MALFORMED;
                }
                final int c = ((lead & 0x0F) << 12) | (continuation(in[p + 1]) << 6) | continuation(in[p + 2]);
                if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
                {
                    throw MALFORMED;
                }
                chars[out++] = (char)c;
                p += 3;
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                if (p + 3 >= max)
                {
                    throw MALFORMED;
                }
                final int c = ((lead & 0x07) << 18) | (continuation(in[p + 1]) << 12) |
                    (continuation(in[p + 2]) << 6) | continuation(in[p + 3]);
                if (c < 0x10000 || c > 0x10FFFF)
                {
                    throw MALFORMED;
                }
                chars[out++] = Character.highSurrogate(c);
                if (out < end)
                {
                    chars[out++] = Character.lowSurrogate(c);
                }
                else
                {
                    pendingLowSurrogate = Character.lowSurrogate(c);
                }
                p += 4;
            }
            else
            {
                throw MALFORMED;
            }
        }
        position = p;
        final int read = out - offset;
        return 0 == read ? -1 : read;
    }

    public void close()
    {
    }

    private static int continuation(final byte b) throws IOException
    {
        if ((b & 0xC0) != 0x80)
        {
            throw MALFORMED;
        }
        return b & 0x3F;
    }

    /**
     * Malformed UTF-8: one instance, without a stack trace, as a hot-path failure should be.
     */
    private static final class MalformedUtf8 extends IOException
    {
        private static final long serialVersionUID = 1L;

        MalformedUtf8()
        {
            super("malformed UTF-8");
        }

        public synchronized Throwable fillInStackTrace()
        {
            return this;
        }
    }
}
