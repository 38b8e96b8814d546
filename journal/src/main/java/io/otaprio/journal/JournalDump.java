package io.otaprio.journal;

import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one row per retained accepted message, in accept order, with its outcome:
 * {@code messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs,completions}.
 * <p>
 * Streams: the accepted queue is read one message at a time and each row written straight to the output. Only the
 * outcomes are held, in three Agrona {@link Long2LongHashMap}s keyed by message id (dispatch and completion time
 * of the first COMPLETED record, and the number of COMPLETED records): roughly 3 x 16 / 0.65, about 75 bytes per
 * completed message in the retained outcomes queue, e.g. 75 MB for a million completions. Accepted messages
 * cost nothing however many there are.
 * <p>
 * Fields: originator and target as 16 upper-case hex digits; counter as an unsigned decimal; kind as the
 * {@link MessageKind} name, SERVICE_REQUEST, ALERT or RESPONSE (the number when unknown); code as the dotted
 * {@link SrvCode} such as {@code 8.1.1} for service requests and responses (0 when it has no first component), the
 * low 16 bits as {@code 0xHHHH} for alerts; dispatchedNs and completedNs of the first completion,
 * empty (CSV) or null (JSON) while pending; completions = COMPLETED records, more than 1 only for a message
 * dispatched again after a crash. A message below the checkpoint watermark whose outcome cycle retention already
 * deleted shows 0 completions and no times.
 * <p>
 * Never writes to the journal. Threading: stateless.
 */
public final class JournalDump
{
    /** The CSV header line (without the line end). */
    public static final String CSV_HEADER =
        "messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs,completions";

    private JournalDump()
    {
    }

    /**
     * @param config of the journal.
     * @param out    where the header and rows go, each line ended by {@code '\n'}.
     * @return rows written (the header not counted).
     * @throws JournalException when the journal is unreadable or of another layout version.
     * @throws UncheckedIOException when the output fails.
     */
    public static long writeCsv(final JournalConfig config, final Appendable out)
    {
        return write(config, out, false);
    }

    /**
     * @param config of the journal.
     * @param out    where the JSON Lines go: one object per message, same fields as the CSV.
     * @return rows written.
     * @throws JournalException when the journal is unreadable or of another layout version.
     * @throws UncheckedIOException when the output fails.
     */
    public static long writeJson(final JournalConfig config, final Appendable out)
    {
        return write(config, out, true);
    }

    private static long write(final JournalConfig config, final Appendable out, final boolean json)
    {
        final Long2LongHashMap dispatchedNs = new Long2LongHashMap(Long.MIN_VALUE);
        final Long2LongHashMap completedNs = new Long2LongHashMap(Long.MIN_VALUE);
        final Long2LongHashMap completions = new Long2LongHashMap(0);
        final boolean exists = JournalDirectory.checkForReading(config);
        if (exists)
        {
            OutcomeScan.scan(config, (index, type, outcome, messageId, dNs, cNs) ->
            {
                if (type == OutcomeRecordDescriptor.TYPE_COMPLETED)
                {
                    final long n = completions.get(messageId);
                    if (0 == n)
                    {
                        dispatchedNs.put(messageId, dNs);
                        completedNs.put(messageId, cNs);
                    }
                    completions.put(messageId, n + 1);
                }
            });
        }

        final StringBuilder line = new StringBuilder(256);
        try
        {
            if (!json)
            {
                out.append(CSV_HEADER).append('\n');
            }
            if (!exists)
            {
                return 0;
            }
            return AcceptedScan.scan(config, -1, (index, m) ->
            {
                final long id = m.messageId();
                final long n = completions.get(id);
                line.setLength(0);
                if (json)
                {
                    line.append("{\"messageId\":").append(id)
                        .append(",\"originator\":\"");
                    appendHex(line, m.originator());
                    line.append("\",\"target\":\"");
                    appendHex(line, m.target());
                    line.append("\",\"counter\":").append(Long.toUnsignedString(m.counter()))
                        .append(",\"kind\":\"");
                    appendKind(line, m.kind());
                    line.append("\",\"code\":\"");
                    appendCode(line, m.kind(), m.code());
                    line.append("\",\"level\":").append(m.level())
                        .append(",\"acceptedNs\":").append(m.acceptTimeNs())
                        .append(",\"dispatchedNs\":");
                    appendOptional(line, n, dispatchedNs.get(id), "null");
                    line.append(",\"completedNs\":");
                    appendOptional(line, n, completedNs.get(id), "null");
                    line.append(",\"completions\":").append(n).append("}\n");
                }
                else
                {
                    line.append(id).append(',');
                    appendHex(line, m.originator());
                    line.append(',');
                    appendHex(line, m.target());
                    line.append(',').append(Long.toUnsignedString(m.counter()))
                        .append(',');
                    appendKind(line, m.kind());
                    line.append(',');
                    appendCode(line, m.kind(), m.code());
                    line.append(',').append(m.level())
                        .append(',').append(m.acceptTimeNs())
                        .append(',');
                    appendOptional(line, n, dispatchedNs.get(id), "");
                    line.append(',');
                    appendOptional(line, n, completedNs.get(id), "");
                    line.append(',').append(n).append('\n');
                }
                try
                {
                    out.append(line);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void appendOptional(final StringBuilder sb, final long completions, final long value,
        final String absent)
    {
        if (completions > 0)
        {
            sb.append(value);
        }
        else
        {
            sb.append(absent);
        }
    }

    static void appendHex(final StringBuilder sb, final long value)
    {
        for (int shift = 60; shift >= 0; shift -= 4)
        {
            sb.append(Character.toUpperCase(Character.forDigit((int)(value >>> shift) & 0xF, 16)));
        }
    }

    private static void appendKind(final StringBuilder sb, final int kind)
    {
        final MessageKind known = MessageKind.fromValue(kind);
        if (null == known)
        {
            sb.append(kind);
        }
        else
        {
            sb.append(known.name());
        }
    }

    private static void appendCode(final StringBuilder sb, final int kind, final int code)
    {
        if (MessageKind.fromValue(kind) == MessageKind.ALERT)
        {
            // Alert codes are 16-bit: four hex digits, whatever the higher bits of the field hold.
            sb.append("0x");
            for (int shift = 12; shift >= 0; shift -= 4)
            {
                sb.append(Character.toUpperCase(Character.forDigit((code >>> shift) & 0xF, 16)));
            }
            return;
        }
        final String srv = SrvCode.toString(code);
        // No first component: not a valid SRV code, shown as the number it is rather than as an empty field.
        sb.append(srv.isEmpty() ? "0" : srv);
    }
}
