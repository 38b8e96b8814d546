package io.otaprio.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.otaprio.journal.PolicyRecordDescriptor.*;

/**
 * The policy generations an engine put in force, so that which policy classified which message is on record: one
 * document per generation in its own Chronicle Queue beside the others ({@code DIR/policy}), in the
 * {@link PolicyRecordDescriptor} layout. Recovery does not need it (every accepted message carries its level);
 * {@code journal report} and an auditor read it. Retention never deletes it: a record per policy change is small.
 * <p>
 * Threading: one writer at a time; appends are rare (start-up and each reload) and may allocate. {@link #read} opens
 * its own read-only queue.
 */
public final class PolicyJournal extends JournalWriter implements PolicyLog
{
    /** The queue's directory under the journal root. */
    public static final String QUEUE = "policy";

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private volatile PolicyRecord last;

    private PolicyJournal(
        final JournalConfig config, final SingleChronicleQueue queue, final Path directory, final PolicyRecord last)
    {
        super("policy journal", config, queue, directory);
        this.last = last;
    }

    /**
     * @param config the journal.
     * @return a writer that knows the latest generation recorded.
     * @throws JournalException if the queue cannot be opened or holds a record this version cannot read.
     */
    public static PolicyJournal open(final JournalConfig config)
    {
        final List<PolicyRecord> records = read(config);
        final PolicyRecord last = records.isEmpty() ? null : records.get(records.size() - 1);
        final Path directory = config.directory().resolve(QUEUE);
        return JournalDirectory.openForAppending(
            config, directory, (queue) -> new PolicyJournal(config, queue, directory, last));
    }

    public PolicyRecord last()
    {
        return last;
    }

    public boolean append(final PolicyRecord record)
    {
        if (failIfClosed() || failIfSpaceLow())
        {
            return false;
        }
        final byte[] source = utf8Prefix(record.source(), MAX_SOURCE_LENGTH);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[SOURCE_OFFSET + source.length]);
        bytes.putShort(VERSION_OFFSET, LAYOUT_VERSION, ORDER);
        bytes.putShort(SOURCE_LENGTH_OFFSET, (short)source.length, ORDER);
        bytes.putLong(GENERATION_OFFSET, record.generation(), ORDER);
        bytes.putLong(IN_FORCE_OFFSET, record.inForceNs(), ORDER);
        bytes.putLong(FROM_MESSAGE_ID_OFFSET, record.fromMessageId(), ORDER);
        bytes.putBytes(DIGEST_OFFSET, HexFormat.of().parseHex(record.sha256()));
        bytes.putBytes(SOURCE_OFFSET, source);
        if (!appendWhole(bytes.byteArray(), bytes.capacity()))
        {
            return false;
        }
        last = record;
        return true;
    }

    /**
     * Read every generation recorded. Needs no writer and takes no lock: the queue is opened read-only.
     *
     * @param config the journal.
     * @return every generation, oldest first; empty when none was recorded.
     * @throws JournalException naming the queue and the index when a document is not a layout version 1 record, or
     *                          when the queue cannot be opened.
     */
    public static List<PolicyRecord> read(final JournalConfig config)
    {
        final List<PolicyRecord> records = new ArrayList<>();
        JournalDirectory.forEachDocument(config, QUEUE, SOURCE_OFFSET + 256, (document) ->
        {
            final UnsafeBuffer bytes = document.buffer();
            final int length = document.length();
            final int version = length < SOURCE_OFFSET ? -1 : bytes.getShort(VERSION_OFFSET, ORDER);
            final int sourceLength = version < 0 ? -1 : bytes.getShort(SOURCE_LENGTH_OFFSET, ORDER) & 0xFFFF;
            if (LAYOUT_VERSION != version || length != SOURCE_OFFSET + sourceLength)
            {
                throw new JournalException("journal queue " + config.directory().resolve(QUEUE) + ": document at " +
                    "index " + Long.toHexString(document.index()) + " (" + length + " bytes) is not a policy record " +
                    "of layout version " + LAYOUT_VERSION + ": written by another version, refusing to read it");
            }
            final byte[] digest = new byte[DIGEST_LENGTH];
            bytes.getBytes(DIGEST_OFFSET, digest);
            records.add(new PolicyRecord(
                bytes.getLong(GENERATION_OFFSET, ORDER),
                bytes.getLong(IN_FORCE_OFFSET, ORDER),
                bytes.getLong(FROM_MESSAGE_ID_OFFSET, ORDER),
                PolicyRecord.hex(digest),
                bytes.getStringWithoutLengthUtf8(SOURCE_OFFSET, sourceLength)));
        });
        return records;
    }

    private static byte[] utf8Prefix(final String text, final int maxBytes)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes)
        {
            return utf8;
        }
        int end = maxBytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80)
        {
            end--;   // never cut a character in two
        }
        final byte[] prefix = new byte[end];
        System.arraycopy(utf8, 0, prefix, 0, end);
        return prefix;
    }
}
