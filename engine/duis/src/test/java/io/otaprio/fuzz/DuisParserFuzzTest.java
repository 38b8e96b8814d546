package io.otaprio.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.otaprio.duis.DuisMessage;
import io.otaprio.duis.DuisParser;
import io.otaprio.duis.DuisStatus;

/**
 * Whatever bytes arrive as a DUIS document, the parser answers with a status and never throws or hangs; a document
 * it accepts reads the same again, with a fresh parser and from inside a larger array. Jazzer: under {@code mvn test}
 * the method runs its regression inputs (src/test/resources/io/otaprio/fuzz/DuisParserFuzzTestInputs/METHOD/); with
 * {@code JAZZER_FUZZ=1} it fuzzes, and its timeout catches a hang.
 */
class DuisParserFuzzTest
{
    private final DuisParser parser = new DuisParser();
    private final DuisMessage message = new DuisMessage();
    private final DuisMessage again = new DuisMessage();

    @FuzzTest(maxDuration = "30s")
    void parsesOrRefusesAndReparsesTheSame(final @NotNull byte[] data)
    {
        final DuisStatus status = parser.parse(data, 0, data.length, message);
        if (null == status)
        {
            throw new AssertionError("no status");
        }
        if (DuisStatus.MALFORMED == status)
        {
            if (null == message.detail() || null != message.kind())
            {
                throw new AssertionError("a refused document has a detail and no kind: " + message.detail());
            }
            return;
        }

        final String first = message.toString();
        final byte[] framed = new byte[data.length + 16];
        System.arraycopy(data, 0, framed, 7, data.length);
        check(new DuisParser().parse(framed, 7, data.length, again), first);
        check(parser.parse(data, 0, data.length, again), first);
    }

    private void check(final DuisStatus status, final String first)
    {
        if (DuisStatus.OK != status || !first.equals(again.toString()))
        {
            throw new AssertionError("accepted once as " + first + ", then " + status + " " + again);
        }
    }
}
