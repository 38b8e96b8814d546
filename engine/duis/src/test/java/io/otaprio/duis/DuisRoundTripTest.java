package io.otaprio.duis;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generator to parser over seeded random documents of every kind, and every generated document cut short.
 */
class DuisRoundTripTest
{
    private static final String[] SRVS = {
        "1.1.1", "1.2.1", "1.6", "2.2", "2.3", "2.5", "3.1", "4.1.1", "4.1.3", "4.4.2", "4.8.1", "4.8", "4.11.1",
        "4.13", "4.18", "5.1", "5.3", "6.2.1", "6.2.10", "6.15.1", "6.20.1", "7.1", "7.2", "7.3", "7.4", "7.10",
        "8.1.1", "8.7.1", "8.7.2", "8.9", "8.14.3", "11.1", "11.2", "11.3", "12.2", "14.1", "255.255.255.255", "9",
    };
    private static final String[] DCC_ALERT_CODES = { "N1", "N24", "AD1", "S7", "CS2B", "ZZZZZ", "0" };
    private static final String[] RESPONSE_CODES = { "I0", "I99", "E65", "W1", "E1" };

    private final DuisParser parser = new DuisParser();
    private final DuisMessage message = new DuisMessage();

    @Test
    void shouldReadBackEveryFieldOfSeededRandomDocumentsOfEveryKind()
    {
        final SplittableRandom random = new SplittableRandom(0xD015L);
        final DuisWriter writer = new DuisWriter(7);
        final int[] kinds = new int[DuisKind.values().length + 1];
        for (int i = 0; i < 3_000; i++)
        {
            final RequestId id = new RequestId(random.nextLong(), random.nextLong(), randomCounter(random));
            final int srv = randomSrv(random);
            final int which = random.nextInt(kinds.length);
            kinds[which]++;
            final byte[] doc;
            final String expected;
            switch (which)
            {
                case 0:
                {
                    final int cv = 1 + random.nextInt(8);
                    final boolean future = random.nextBoolean();
                    final long executionNs = future ? random.nextLong(0, 8_000_000_000_000_000_000L) :
                        DuisMessage.NO_DATE_TIME;
                    doc = writer.request(id, srv, cv, executionNs, random.nextInt(30_000));
                    assertOk(doc);
                    assertEquals(id, message.requestId());
                    assertEquals(srv, message.srv());
                    assertEquals(SrvCode.prefix(srv, 2), message.serviceReference());
                    assertEquals(cv, message.commandVariant());
                    assertEquals(executionNs, message.executionDateTimeNs());
                    assertFalse(message.isCancellation());
                    expected = "request";
                    break;
                }
                case 1:
                    doc = writer.response(id, srv, RESPONSE_CODES[random.nextInt(RESPONSE_CODES.length)]);
                    assertOk(doc);
                    assertSame(DuisKind.RESPONSE, message.kind());
                    assertEquals(id, message.requestId());
                    assertEquals(srv, message.srv());
                    expected = "response";
                    break;
                case 2:
                {
                    final int code = random.nextInt(0x10000);
                    doc = writer.deviceAlert(id, code);
                    assertOk(doc);
                    assertSame(DuisKind.DEVICE_ALERT, message.kind());
                    assertEquals(id, message.responseId());
                    assertEquals(code, message.alertCode());
                    assertEquals(code, message.classificationCode());
                    expected = "device alert";
                    break;
                }
                case 3:
                {
                    final String code = DCC_ALERT_CODES[random.nextInt(DCC_ALERT_CODES.length)];
                    doc = writer.dccAlert(id, code);
                    assertOk(doc);
                    assertSame(DuisKind.DCC_ALERT, message.kind());
                    assertEquals(id, message.identity());
                    assertEquals(code, message.dccAlertCodeText().toString());
                    assertEquals(AlertCode.packDccAlert(code), message.dccAlertCode());
                    expected = "dcc alert";
                    break;
                }
                default:
                    doc = writer.cancellation(id, srv);
                    assertOk(doc);
                    assertTrue(message.isCancellation());
                    assertEquals(srv, message.srv());
                    expected = "cancellation";
                    break;
            }
            assertNotNull(expected);
            assertEquals(doc.length, message.documentLength());
        }
        for (final int count : kinds)
        {
            assertTrue(count > 400, "every kind drawn often: " + Arrays.toString(kinds));
        }
    }

    @Test
    void shouldWriteTheSameBytesFromTheSameSeedAndPadToTheSizeAsked()
    {
        final RequestId id = DuisParserTest.ID;
        final int srv = SrvCode.parse("4.8.1");
        for (final int size : new int[]{ 2 * 1024, 27 * 1024 })
        {
            final byte[] first = new DuisWriter(99).request(id, srv, 1, 2_000_000_000_000_000_000L, size);
            assertArrayEquals(first, new DuisWriter(99).request(id, srv, 1, 2_000_000_000_000_000_000L, size));
            assertTrue(first.length <= size && first.length > size - 300, "size " + first.length + " for " + size);
        }
    }

    @Test
    void shouldRefuseEveryGeneratedDocumentCutShort()
    {
        final DuisWriter writer = new DuisWriter(3);
        final RequestId id = DuisParserTest.ID;
        final int srv = SrvCode.parse("6.15.1");
        final List<byte[]> docs = new ArrayList<>();
        final List<String> needed = new ArrayList<>();
        docs.add(writer.request(id, srv, 1, 2048));
        needed.add("<sr:UpdateSecurityCredentialsKRP>");
        docs.add(writer.request(id, srv, 4, 1_900_000_000_000_000_000L, 2048));
        needed.add("</sr:ExecutionDateTime>");
        docs.add(writer.request(id, srv, 4, 1_900_000_000_000_000_000L, 27 * 1024));
        needed.add("</sr:ExecutionDateTime>");
        docs.add(writer.cancellation(id, srv));
        needed.add("</sr:ExecutionDateTime>");
        docs.add(writer.response(id, srv, "I0"));
        needed.add("</sr:ServiceReferenceVariant>");
        docs.add(writer.deviceAlert(id, 0x8F1C));
        needed.add("</sr:AlertCode>");
        docs.add(writer.dccAlert(id, "N24"));
        needed.add("</sr:DCCAlertCode>");

        for (int d = 0; d < docs.size(); d++)
        {
            final byte[] doc = docs.get(d);
            assertOk(doc);
            final String full = message.toString();
            final String text = new String(doc, StandardCharsets.UTF_8);
            final int mustHave = text.indexOf(needed.get(d)) + needed.get(d).length();
            assertTrue(mustHave > needed.get(d).length(), needed.get(d));
            final int end = text.stripTrailing().length();
            final int step = doc.length > 4096 ? 7 : 1;
            for (int cut = 0; cut < doc.length; cut += step)
            {
                final DuisStatus status = parser.parse(doc, 0, cut, message);
                if (cut < end)
                {
                    // Before the fields: StAX says so (it may read a little ahead); after them: the missing end tag.
                    final String detail = message.detail();
                    final boolean scanned = DuisDetail.NOT_XML == detail || DuisDetail.NOT_WELL_FORMED == detail;
                    assertTrue(cut < mustHave ? scanned : scanned || DuisDetail.TRUNCATED == detail,
                        "cut at " + cut + ": " + detail);
                }
                else
                {
                    assertEquals(full, message.toString(), "cut at " + cut);
                }
            }
        }
    }

    private void assertOk(final byte[] doc)
    {
        assertSame(DuisStatus.OK, parser.parse(doc, 0, doc.length, message),
            () -> message.detail() + " in " + new String(doc, 0, Math.min(600, doc.length), StandardCharsets.UTF_8));
    }

    private static int randomSrv(final SplittableRandom random)
    {
        if (random.nextInt(4) > 0)
        {
            return SrvCode.parse(SRVS[random.nextInt(SRVS.length)]);
        }
        final int components = 1 + random.nextInt(4);
        int code = 0;
        for (int c = 0; c < components; c++)
        {
            code |= (1 + random.nextInt(255)) << (24 - 8 * c);
        }
        return code;
    }

    private static long randomCounter(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return -1L;   // 2^64-1
            case 1:
                return 1 + random.nextInt(1000);
            default:
                final long counter = random.nextLong();
                return 0 == counter ? 1 : counter;
        }
    }
}
