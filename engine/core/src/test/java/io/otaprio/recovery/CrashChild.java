package io.otaprio.recovery;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.engine.Engine;
import io.otaprio.journal.JournalConfig;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The engine in a child JVM for the crash test: a journal, a slow simulated DSP (4 slots, 2 ms), and a burst of
 * mixed-level messages submitted as fast as the rings take them. Each acknowledged id is printed as
 * {@code ACK <id>} and flushed before the next submit, so the parent's list of acknowledged ids is exactly what a
 * client would have been told. The parent kills this process with {@code kill -9} mid-burst.
 */
public final class CrashChild
{
    private CrashChild()
    {
    }

    /**
     * @param counter a message's RequestID counter.
     * @return its payload length: every sixteenth 1 to 65,536 bytes (held in the payload store), the others 32.
     */
    static int payloadLength(final long counter)
    {
        return 0 == counter % 16 ? 1 + (int)((counter * 2_654_435_761L) % (64 * 1024)) : 32;
    }

    /**
     * @param counter a message's RequestID counter.
     * @param i       a payload index.
     * @return the byte the child sent there.
     */
    static byte payloadByte(final long counter, final int i)
    {
        return (byte)(counter * 31 + i + (i >> 9));
    }

    /**
     * @param args journal directory, number of messages.
     */
    public static void main(final String[] args)
    {
        final Path journal = Path.of(args[0]);
        final int messages = Integer.parseInt(args[1]);
        final PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        final TestSubmitter submitter = new TestSubmitter();
        final Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(new SimulatedDsp(4, ServiceTimes.builder(2_000_000L, ServiceTimes.Distribution.FIXED)
                .build(), 1))
            .ringSizes(4096, 4096, 4096, 16384)
            .maxPayloadBytes(64 * 1024)
            .journal(new JournalConfig(journal).checkpointIntervalNs(50_000_000L))
            .addTransport(new InProcessTransport(submitter)));
        out.println("READY");
        out.flush();

        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64 * 1024]);
        final SplittableRandom random = new SplittableRandom(7);
        int acked = 0;
        while (acked < messages)
        {
            final int level = 1 + random.nextInt(4);
            final int length = payloadLength(acked);
            for (int i = 0; i < length; i++)
            {
                payload.putByte(i, payloadByte(acked, i));
            }
            final long id = submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
                new RequestId(0x90B3D5L, 0x124B00L + acked, acked), payload, 0, length).id();
            if (id >= 0)
            {
                out.print("ACK ");
                out.println(id);
                out.flush();
                acked++;
            }
            else
            {
                Thread.yield();
            }
        }
        out.println("DONE");
        out.flush();
        // Wait to be killed: the parent decides when the disaster happens.
        while (true)
        {
            try
            {
                Thread.sleep(1000);
            }
            catch (final InterruptedException ex)
            {
                engine.close();
                return;
            }
        }
    }
}
