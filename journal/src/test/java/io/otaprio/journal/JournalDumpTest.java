package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class JournalDumpTest
{
    private final TestMessages messages = new TestMessages();

    @TempDir
    Path dir;

    @Test
    void shouldDumpOneRowPerMessageWithFirstCompletionAndCompletionCount()
    {
        final JournalConfig config = writeJournal();
        final StringBuilder csv = new StringBuilder();
        assertEquals(3, JournalDump.writeCsv(config, csv));
        final String[] lines = csv.toString().split("\n");
        assertEquals("messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs," +
            "completions", lines[0]);
        assertEquals("0,00124B0001020304,FFFFFFFFFFFFFFFE,18446744073709551615,SERVICE_REQUEST,8.1.1,2,1000,100,200,2",
            lines[1]);
        assertEquals("1,0000000000000001,0000000000000002,3,ALERT,0x8F3C,1,1001,,,0", lines[2]);
        assertEquals("2,0000000000000001,0000000000000002,4,RESPONSE,2.2,1,1002,,,0", lines[3]);
        assertEquals(4, lines.length);
    }

    @Test
    void shouldDumpJsonLinesWithTheSameFields()
    {
        final JournalConfig config = writeJournal();
        final StringBuilder json = new StringBuilder();
        assertEquals(3, JournalDump.writeJson(config, json));
        final String[] lines = json.toString().split("\n");
        assertEquals(3, lines.length);
        assertEquals("{\"messageId\":0,\"originator\":\"00124B0001020304\",\"target\":\"FFFFFFFFFFFFFFFE\"," +
            "\"counter\":18446744073709551615,\"kind\":\"SERVICE_REQUEST\",\"code\":\"8.1.1\",\"level\":2," +
            "\"acceptedNs\":1000,\"dispatchedNs\":100,\"completedNs\":200,\"completions\":2}", lines[0]);
        assertTrue(lines[1].contains("\"dispatchedNs\":null,\"completedNs\":null,\"completions\":0"), lines[1]);
    }

    @Test
    void shouldReportStatsPerLevel()
    {
        final JournalConfig config = writeJournal();
        final JournalStats stats = JournalStats.read(config);
        assertEquals(1, stats.accepted(2));
        assertEquals(1, stats.completed(2));
        assertEquals(2, stats.accepted(1));
        assertEquals(2, stats.pending(1));
        assertEquals(1, stats.acceptedCycles().size());
        assertEquals(1, stats.outcomeCycles().size());
        assertTrue(stats.bytesOnDisk() > 0);
        assertEquals(-1, stats.checkpointWatermark());
        assertTrue(stats.table().contains("checkpoint:      none"), stats.table());
        assertTrue(stats.json().contains("{\"level\":1,\"accepted\":2,\"completed\":0,\"pending\":2}"), stats.json());
    }

    @Test
    void shouldDumpTheReadmeSampleRowAsTheReadmeShowsIt()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("readme"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            messages.append(accepted, 47129, 1, 1, 0x07_01_00_00, new RequestId(0x90B3D5000000C47CL,
                0x00124B0000090CDEL, 47129), 1795944845196623314L, 0, null, 0);
        }
        final StringBuilder csv = new StringBuilder();
        assertEquals(1, JournalDump.writeCsv(config, csv));
        assertEquals(JournalDump.CSV_HEADER + "\n" +
            "47129,90B3D5000000C47C,00124B0000090CDE,47129,SERVICE_REQUEST,7.1,1,1795944845196623314,,,0\n",
            csv.toString());
    }

    @Test
    void shouldShowUnknownKindsAsNumbersAndMalformedCodesAsTheyAre()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("odd"));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            messages.append(accepted, 0, 9, 4, 0x07_01_00_00, new RequestId(1, 2, 3), 1000, 0, payload, 0);
            messages.append(accepted, 1, 1, 4, 0, new RequestId(1, 2, 4), 1001, 0, payload, 0);
            messages.append(accepted, 2, 1, 4, 0x02_00_03_00, new RequestId(1, 2, 5), 1002, 0, payload, 0);
            messages.append(accepted, 3, 2, 4, 0x1_8F3C, new RequestId(1, 2, 6), 1003, 0, payload, 0);
            messages.append(accepted, 4, 3, 4, 0xFFFF_FFFF, new RequestId(1, 2, 7), 1004, 0, payload, 0);
            messages.append(accepted, 5, 2, 4, 0x580C_5000, new RequestId(1, 2, 8), 1005, 0, payload, 0);
        }
        final StringBuilder csv = new StringBuilder();
        assertEquals(6, JournalDump.writeCsv(config, csv));
        final String[] lines = csv.toString().split("\n");
        assertEquals("0,0000000000000001,0000000000000002,3,9,7.1,4,1000,,,0", lines[1], "an unknown kind: its number");
        assertEquals("1,0000000000000001,0000000000000002,4,SERVICE_REQUEST,0,4,1001,,,0", lines[2], "no SRV code");
        assertEquals("2,0000000000000001,0000000000000002,5,SERVICE_REQUEST,2,4,1002,,,0", lines[3],
            "components up to the first absent one");
        assertEquals("3,0000000000000001,0000000000000002,6,ALERT,0x00018F3C,4,1003,,,0", lines[4],
            "neither a device nor a DCC alert code: all 32 bits");
        assertEquals("5,0000000000000001,0000000000000002,8,ALERT,N24,4,1005,,,0", lines[6], "a DCC alert code");
        assertEquals("4,0000000000000001,0000000000000002,7,RESPONSE,255.255.255.255,4,1004,,,0", lines[5]);
    }

    @Test
    void shouldDumpOnlyTheHeaderForAnAbsentJournal()
    {
        final StringBuilder csv = new StringBuilder();
        assertEquals(0, JournalDump.writeCsv(new JournalConfig(dir.resolve("absent")), csv));
        assertEquals(JournalDump.CSV_HEADER + "\n", csv.toString());
    }

    private JournalConfig writeJournal()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            messages.append(accepted, 0, 1, 2, 0x08_01_01_00, new RequestId(0x00124B0001020304L, -2L, -1L), 1000, 0,
                payload, 8);
            messages.append(accepted, 1, 2, 1, 0x8F3C, new RequestId(1, 2, 3), 1001, 0, payload, 0);
            messages.append(accepted, 2, 3, 1, 0x02_02_00_00, new RequestId(1, 2, 4), 1002, 0, payload, 0);
            outcomes.dispatched(0, 100);
            outcomes.completed(0, 100, 200, 0);
            outcomes.dispatched(1, 101);
            outcomes.flush();
            outcomes.completed(0, 300, 400, 0);   // dispatched again after a crash: the first one is shown
            outcomes.flush();
        }
        return config;
    }
}
