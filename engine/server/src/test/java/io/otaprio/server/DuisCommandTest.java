package io.otaprio.server;

import io.otaprio.duis.DuisWriter;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otaprio duis classify}: one JSON line per file, by the shipped policy or another, and exit 1 when a file is
 * refused.
 */
class DuisCommandTest
{
    private static final String ID = "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888";

    @TempDir
    Path dir;

    @Test
    void shouldPrintKindRequestIdSrvLevelAndRuleOfEachDocument() throws IOException
    {
        final DuisWriter writer = new DuisWriter(1);
        final RequestId id = RequestId.parse(ID);
        final Path topUp = write("top-up.xml", writer.request(id, SrvCode.parse("2.2"), 1, 2048));
        final Path future = write("future.xml", writer.request(id, SrvCode.parse("11.3"),
            CommandVariant.CRITICAL_TRANSFORM, "2030-01-15T09:00:00Z", 1600));
        final Path alert = write("alert.xml", writer.deviceAlert(id, 0x8F32));
        final Path broken = write("broken.xml", "<sr:Request".getBytes(StandardCharsets.UTF_8));

        final CommandRun run = CommandRun.of("duis", "classify", "--config", "../../conf/otaprio.yaml",
            topUp.toString(), future.toString(), alert.toString(), broken.toString());
        final String[] lines = run.out().split("\n");
        assertEquals(4, lines.length, run.out());
        assertEquals("{\"file\":\"" + topUp + "\",\"kind\":\"SERVICE_REQUEST\",\"requestId\":\"" + ID + "\"," +
            "\"srv\":\"2.2\",\"alertCode\":null,\"commandVariant\":1,\"executionDateTime\":null,\"level\":1," +
            "\"rule\":\"srv 2.2 -> level 1\"}", lines[0]);
        assertEquals("{\"file\":\"" + future + "\",\"kind\":\"SERVICE_REQUEST\",\"requestId\":\"" + ID + "\"," +
            "\"srv\":\"11.3\",\"alertCode\":null,\"commandVariant\":4,\"executionDateTime\":\"2030-01-15T09:00:00Z\"," +
            "\"level\":4,\"rule\":\"srv 11.3 -> level 4\"}", lines[1]);
        assertEquals("{\"file\":\"" + alert + "\",\"kind\":\"ALERT\",\"requestId\":\"" + ID + "\",\"srv\":null," +
            "\"alertCode\":\"0x8F32\",\"commandVariant\":0,\"executionDateTime\":null,\"level\":1," +
            "\"rule\":\"alert 0x8F32 -> level 1\"}", lines[2]);
        assertEquals("{\"file\":\"" + broken + "\",\"error\":\"MALFORMED: not XML\"}", lines[3]);
        assertEquals(1, run.exit(), "a refused file");

        final Path policy = write("policy.yaml", String.join("\n", "name: strict", "defaultLevel: 3",
            "trt: { 1: 1s, 2: 1s, 3: 1s, 4: 1s }", "rules:", "  - { srv: \"11.*\", level: 2 }", "").getBytes(
            StandardCharsets.UTF_8));
        final CommandRun other = CommandRun.of("duis", "classify", "--policy", policy.toString(), future.toString());
        assertEquals(0, other.exit(), other.err());
        assertTrue(other.out().contains("\"level\":2,\"rule\":\"srv 11.* -> level 2\"}"), other.out());
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        return Files.write(dir.resolve(name), bytes);
    }
}
