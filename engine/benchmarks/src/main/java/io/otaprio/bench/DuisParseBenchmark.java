package io.otaprio.bench;

import io.otaprio.duis.DuisMessage;
import io.otaprio.duis.DuisParser;
import io.otaprio.duis.DuisStatus;
import io.otaprio.duis.DuisWriter;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of reading a DUIS Service Request with {@link DuisParser} and classifying it with the shipped policy
 * ({@code conf/priority-policy.yaml}, found under the {@code otaprio.home} system property, else under the working
 * directory), for a 2 KB and a 27 KB document ({@link #documentBytes}): a future-dated 4.8.1 request (a level-4 read
 * matched by the {@code 4.8.*} prefix rule) padded by {@link DuisWriter}. The parser stops after the first element of
 * the body, so the two sizes should cost about the same.
 * <p>
 * Baseline in the same run: {@link #findVariantBaseline}, a plain byte search for the
 * {@code ServiceReferenceVariant} element and its digits: the floor for any reader that finds the SRV without an XML
 * parser (and without any of its checks).
 * <p>
 * Run with {@code -prof gc} to see the bytes the JDK's StAX reader allocates per document.
 * <p>
 * Threading: one benchmark thread; the parser and message are that thread's, the policy is immutable.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class DuisParseBenchmark
{
    private static final byte[] VARIANT_TAG = "<sr:ServiceReferenceVariant>".getBytes(StandardCharsets.US_ASCII);

    /** Size of the request document in bytes. */
    @Param({ "2048", "27648" })
    public int documentBytes;

    private final DuisParser parser = new DuisParser();
    private final DuisMessage message = new DuisMessage();
    private PriorityPolicy policy;
    private byte[] document;

    /** Load the shipped policy, write the document and check it parses and classifies as described. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final String home = System.getProperty("otaprio.home");
        final Path file = (null == home ? Path.of("") : Path.of(home)).resolve(ClassificationBenchmark.POLICY_FILE)
            .toAbsolutePath();
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("DuisParseBenchmark needs the shipped policy at " + file +
                ": run from the repository root or pass -Dotaprio.home=<repository> (-jvmArgsAppend)");
        }
        policy = PriorityPolicy.load(file);

        final int srv = SrvCode.parse("4.8.1");
        final RequestId id = RequestId.parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888");
        document = new DuisWriter(0xD015L).request(id, srv, 1, 1_900_000_000_000_000_000L, documentBytes);
        if (DuisStatus.OK != parser.parse(document, 0, document.length, message) || message.srv() != srv)
        {
            throw new IllegalStateException("the benchmark document does not parse: " + message);
        }
        final int level = policy.level(policy.classify(message.messageKind(), message.classificationCode()));
        if (4 != level || findVariantBaseline() != srv)
        {
            throw new IllegalStateException("4.8.1 is level " + level + " under " + file + ", meant to be 4");
        }
    }

    /**
     * @return the packed SRV read (consumed by JMH).
     */
    @Benchmark
    public int parse()
    {
        parser.parse(document, 0, document.length, message);
        return message.srv();
    }

    /**
     * @return the rule the policy gives the document (consumed by JMH).
     */
    @Benchmark
    public int parseAndClassify()
    {
        if (DuisStatus.OK != parser.parse(document, 0, document.length, message))
        {
            return -1;
        }
        return policy.classify(message.messageKind(), message.classificationCode());
    }

    /**
     * @return the SRV packed from the digits after the first {@code <sr:ServiceReferenceVariant>} (consumed by JMH).
     */
    @Benchmark
    public int findVariantBaseline()
    {
        final byte[] doc = document;
        outer:
        for (int i = 0, last = doc.length - VARIANT_TAG.length; i <= last; i++)
        {
            for (int j = 0; j < VARIANT_TAG.length; j++)
            {
                if (doc[i + j] != VARIANT_TAG[j])
                {
                    continue outer;
                }
            }
            int code = 0;
            int shift = 24;
            int value = 0;
            for (int k = i + VARIANT_TAG.length; k < doc.length; k++)
            {
                final byte b = doc[k];
                if (b >= '0' && b <= '9')
                {
                    value = value * 10 + (b - '0');
                }
                else
                {
                    code |= value << shift;
                    shift -= 8;
                    value = 0;
                    if ('.' != b)
                    {
                        return code;
                    }
                }
            }
            return code;
        }
        return 0;
    }
}
