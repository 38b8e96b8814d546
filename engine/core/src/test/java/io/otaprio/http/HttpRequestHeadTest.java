package io.otaprio.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestHeadTest
{
    private static final byte[] PATH = "/duis".getBytes(StandardCharsets.US_ASCII);

    private final HttpRequestHead head = new HttpRequestHead(256);

    @Test
    void shouldReadAPostWithItsLengthAndKeepAlive()
    {
        final String text =
            "POST /duis HTTP/1.1\r\nHost: x\r\ncontent-LENGTH:  42 \r\nExpect: 100-continue\r\n\r\nBODY";
        assertEquals(HttpRequestHead.COMPLETE, read(text));
        assertTrue(head.isPost());
        assertTrue(head.targetIsServed());
        assertEquals(42, head.contentLength());
        assertTrue(head.expectContinue());
        assertFalse(head.close());
        assertFalse(head.chunked());
        assertEquals(text.indexOf("BODY"), head.headLength());
    }

    @Test
    void shouldWaitForTheWholeHeadAtEverySplit()
    {
        final String text = "POST /duis HTTP/1.1\r\nContent-Length: 7\r\n\r\n";
        for (int cut = 0; cut < text.length(); cut++)
        {
            assertEquals(HttpRequestHead.INCOMPLETE, read(text.substring(0, cut)), "cut at " + cut);
        }
        assertEquals(HttpRequestHead.COMPLETE, read(text));
    }

    @Test
    void shouldSayWhatIsNotServed()
    {
        assertEquals(HttpRequestHead.COMPLETE, read("GET /duis HTTP/1.1\r\n\r\n"));
        assertFalse(head.isPost());
        assertEquals(HttpRequestHead.COMPLETE, read("POST /duis?x=1 HTTP/1.1\r\n\r\n"));
        assertFalse(head.targetIsServed());
        assertEquals(-1, head.contentLength());
        assertEquals(HttpRequestHead.COMPLETE, read("POST /duis HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertTrue(head.chunked());
        assertEquals(HttpRequestHead.COMPLETE, read("POST /duis HTTP/1.0\r\nContent-Length: 1\r\n\r\n"));
        assertTrue(head.close(), "HTTP/1.0 closes unless kept alive");
        assertEquals(HttpRequestHead.COMPLETE,
            read("POST /duis HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n"));
        assertFalse(head.close());
        assertEquals(HttpRequestHead.COMPLETE, read("POST /duis HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assertTrue(head.close());
    }

    @Test
    void shouldRefuseWhatIsNotHttp()
    {
        assertEquals(HttpRequestHead.BAD_REQUEST, read("POST /duis\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_REQUEST, read("POST /duis HTTP/2.0\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_REQUEST, read("POST /duis HTTP/1.1\r\nno colon\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_REQUEST, read("POST /duis HTTP/1.1\r\nContent-Length: -1\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_REQUEST, read("POST /duis HTTP/1.1\r\nContent-Length: 99999999999999999999" +
            "\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_REQUEST,
            read("POST /duis HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"), "two lengths");
        assertEquals(HttpRequestHead.COMPLETE,
            read("POST /duis HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"), "the same length twice");
        assertEquals(HttpRequestHead.TOO_LARGE, read("POST /duis HTTP/1.1\r\nX: " + "a".repeat(300)));
    }

    private int read(final String text)
    {
        final byte[] bytes = ("junk" + text).getBytes(StandardCharsets.US_ASCII);
        return head.read(bytes, 4, bytes.length - 4, PATH);
    }
}
