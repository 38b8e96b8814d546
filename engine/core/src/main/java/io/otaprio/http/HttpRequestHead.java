package io.otaprio.http;

/**
 * The head of one HTTP/1.1 request (request line and header fields, RFC 9112), read from the bytes a connection has
 * received, without building strings for anything but an error's detail. It knows only what the DUIS endpoint needs:
 * method and target, the body's length, {@code Expect: 100-continue}, and whether the connection is to close after
 * the answer. A request whose body has no declared length (chunked) is refused rather than guessed at.
 * <p>
 * Threading: one connection's, on the endpoint's thread; reused for every request of that connection.
 */
final class HttpRequestHead
{
    /** The head is not all there yet: read more. */
    static final int INCOMPLETE = 0;
    /** The head was read: {@link #headLength()} bytes. */
    static final int COMPLETE = 1;
    /** The head is not valid HTTP/1.x: answer 400 with {@link #error()} and close. */
    static final int BAD_REQUEST = 2;
    /** The head is longer than the limit: answer 431 and close. */
    static final int TOO_LARGE = 3;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final long MAX_CONTENT_LENGTH = Long.MAX_VALUE / 10 - 10;

    private final int maxHeadBytes;
    private boolean post;
    private boolean targetIsDuis;
    private boolean http10;
    private long contentLength;
    private boolean chunked;
    private boolean expectContinue;
    private boolean close;
    private int headLength;
    private String error;

    /**
     * @param maxHeadBytes the longest head accepted, request line and headers with their line ends.
     */
    HttpRequestHead(final int maxHeadBytes)
    {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Read a head from the start of what a connection has received.
     *
     * @param bytes    the received bytes.
     * @param offset   where the request starts.
     * @param length   bytes received from {@code offset} on.
     * @param path     the only target served, such as {@code /duis}.
     * @return {@link #INCOMPLETE}, {@link #COMPLETE}, {@link #BAD_REQUEST} or {@link #TOO_LARGE}.
     */
    int read(final byte[] bytes, final int offset, final int length, final byte[] path)
    {
        final int end = findHeadEnd(bytes, offset, Math.min(length, maxHeadBytes));
        if (end < 0)
        {
            return length >= maxHeadBytes ? TOO_LARGE : INCOMPLETE;
        }
        post = false;
        targetIsDuis = false;
        http10 = false;
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        close = false;
        error = null;
        headLength = end - offset;

        final int lineEnd = lineEnd(bytes, offset, end);
        if (!readRequestLine(bytes, offset, lineEnd, path))
        {
            return BAD_REQUEST;
        }
        int line = lineEnd + 2;
        while (line < end - 2)
        {
            final int next = lineEnd(bytes, line, end);
            if (!readField(bytes, line, next))
            {
                return BAD_REQUEST;
            }
            line = next + 2;
        }
        if (http10)
        {
            close = true;
        }
        return COMPLETE;
    }

    /** @return true for the POST method. */
    boolean isPost()
    {
        return post;
    }

    /** @return true when the target was the served path (a query string is not allowed). */
    boolean targetIsServed()
    {
        return targetIsDuis;
    }

    /** @return the declared Content-Length, or -1 when none was given. */
    long contentLength()
    {
        return contentLength;
    }

    /** @return true when a Transfer-Encoding was given: the body's length is not known up front. */
    boolean chunked()
    {
        return chunked;
    }

    /** @return true when the client waits for {@code 100 Continue} before sending the body. */
    boolean expectContinue()
    {
        return expectContinue;
    }

    /** @return true when the connection is to close after the answer (HTTP/1.0, or {@code Connection: close}). */
    boolean close()
    {
        return close;
    }

    /** @return bytes of the head, its final empty line included. */
    int headLength()
    {
        return headLength;
    }

    /** @return after {@link #BAD_REQUEST}: what was wrong. */
    String error()
    {
        return error;
    }

    private boolean readRequestLine(final byte[] bytes, final int start, final int end, final byte[] path)
    {
        final int firstSpace = indexOf(bytes, start, end, (byte)' ');
        final int secondSpace = firstSpace < 0 ? -1 : indexOf(bytes, firstSpace + 1, end, (byte)' ');
        if (secondSpace < 0)
        {
            return bad("request line is not METHOD SP TARGET SP HTTP-VERSION");
        }
        post = equalsAscii(bytes, start, firstSpace, "POST");
        targetIsDuis = regionEquals(bytes, firstSpace + 1, secondSpace, path);
        if (equalsAscii(bytes, secondSpace + 1, end, "HTTP/1.0"))
        {
            http10 = true;
        }
        else if (!equalsAscii(bytes, secondSpace + 1, end, "HTTP/1.1"))
        {
            return bad("only HTTP/1.1 and HTTP/1.0 are served");
        }
        return true;
    }

    private boolean readField(final byte[] bytes, final int start, final int end)
    {
        final int colon = indexOf(bytes, start, end, (byte)':');
        if (colon <= start || bytes[colon - 1] == ' ' || bytes[colon - 1] == '\t')
        {
            return bad("header field without a name and colon");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && (bytes[valueStart] == ' ' || bytes[valueStart] == '\t'))
        {
            valueStart++;
        }
        while (valueEnd > valueStart && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t'))
        {
            valueEnd--;
        }
        if (equalsIgnoreCase(bytes, start, colon, "content-length"))
        {
            final long value = parseLength(bytes, valueStart, valueEnd);
            if (value < 0 || (contentLength >= 0 && contentLength != value))
            {
                return bad("Content-Length is not one non-negative number");
            }
            contentLength = value;
        }
        else if (equalsIgnoreCase(bytes, start, colon, "transfer-encoding"))
        {
            chunked = true;
        }
        else if (equalsIgnoreCase(bytes, start, colon, "expect"))
        {
            expectContinue = equalsIgnoreCase(bytes, valueStart, valueEnd, "100-continue");
        }
        else if (equalsIgnoreCase(bytes, start, colon, "connection"))
        {
            if (equalsIgnoreCase(bytes, valueStart, valueEnd, "close"))
            {
                close = true;
            }
            else if (http10 && equalsIgnoreCase(bytes, valueStart, valueEnd, "keep-alive"))
            {
                http10 = false;
            }
        }
        return true;
    }

    private boolean bad(final String detail)
    {
        error = detail;
        return false;
    }

    private static long parseLength(final byte[] bytes, final int start, final int end)
    {
        if (start == end)
        {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++)
        {
            final int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || value > MAX_CONTENT_LENGTH)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int findHeadEnd(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset + 3, end = offset + length; i < end; i++)
        {
            if (bytes[i] == LF && bytes[i - 1] == CR && bytes[i - 2] == LF && bytes[i - 3] == CR)
            {
                return i + 1;
            }
        }
        return -1;
    }

    private static int lineEnd(final byte[] bytes, final int start, final int end)
    {
        for (int i = start; i < end - 1; i++)
        {
            if (bytes[i] == CR && bytes[i + 1] == LF)
            {
                return i;
            }
        }
        return end;
    }

    private static int indexOf(final byte[] bytes, final int start, final int end, final byte value)
    {
        for (int i = start; i < end; i++)
        {
            if (bytes[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionEquals(final byte[] bytes, final int start, final int end, final byte[] expected)
    {
        if (end - start != expected.length)
        {
            return false;
        }
        for (int i = 0; i < expected.length; i++)
        {
            if (bytes[start + i] != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsAscii(final byte[] bytes, final int start, final int end, final String expected)
    {
        if (end - start != expected.length())
        {
            return false;
        }
        for (int i = 0; i < expected.length(); i++)
        {
            if (bytes[start + i] != expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(final byte[] bytes, final int start, final int end, final String lower)
    {
        if (end - start != lower.length())
        {
            return false;
        }
        for (int i = 0; i < lower.length(); i++)
        {
            int c = bytes[start + i];
            if (c >= 'A' && c <= 'Z')
            {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
