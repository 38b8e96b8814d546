package io.otaprio.metrics;

import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LevelTableTest
{
    @Test
    void shouldPrintOneRowPerLevelWithReadableUnits()
    {
        final String table = LevelTable.format(List.of(
            new LevelReport(1, 812, new LatencySummary(812, 850, 4_100, 12_000, 2_500_000), 1_000_000_000L, 100.0),
            new LevelReport(4, 3, LatencySummary.EMPTY, 30_000_000_000L, 66.6666)));
        final String[] lines = table.split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].contains("within TRT"));
        assertTrue(lines[1].contains("850us") && lines[1].contains("4.1ms") && lines[1].contains("2.5s"), lines[1]);
        assertTrue(lines[1].endsWith("100.00%"), lines[1]);
        assertTrue(lines[2].contains("30.0s") && lines[2].endsWith("66.67%"), lines[2]);
    }

    @Test
    void shouldWriteValidJsonWithEscapes()
    {
        final String json = new JsonWriter().beginObject()
            .field("name", "a \"quoted\"\nline")
            .field("n", 3)
            .field("x", 1.5)
            .field("nan", Double.NaN)
            .name("list").beginArray().value(1).value(2).endArray()
            .endObject().toString();
        assertEquals("{\"name\":\"a \\\"quoted\\\"\\nline\",\"n\":3,\"x\":1.500,\"nan\":null,\"list\":[1,2]}", json);
    }

    @Test
    void shouldWriteEveryRejectReasonByNameWithItsCount()
    {
        final long[] rejectedByCode = new long[RejectReason.values().length + 1];
        rejectedByCode[RejectReason.FULL.code()] = 3;
        rejectedByCode[RejectReason.THROTTLED.code()] = 7;
        rejectedByCode[RejectReason.NOT_AUTHORISED.code()] = 2;
        final String json = new JsonWriter().beginObject().rejected(rejectedByCode).field("n", 1).endObject()
            .toString();
        assertEquals("{\"rejected\":{\"FULL\":3,\"DUPLICATE\":0,\"MALFORMED\":0,\"TOO_LARGE\":0," +
            "\"UNAVAILABLE\":0,\"UNKNOWN_KIND\":0,\"THROTTLED\":7,\"NOT_AUTHORISED\":2},\"n\":1}", json);
    }
}
