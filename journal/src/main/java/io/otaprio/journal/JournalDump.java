package io.otaprio.journal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one row per retained accepted message, in accept order, with its outcome:
 * {@code messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs,completions}.
 * <p>
 * Streams: the accepted queue is read one message at a time and each row written straight to the output; only the
 * outcomes are held ({@link MessageOutcomes}, about 75 bytes per completed message).
 * <p>
 * Fields: originator and target as 16 upper-case hex digits; counter as an unsigned decimal; kind and code as
 * {@link MessageLabels} writes them; dispatchedNs and completedNs of the first completion,
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
        final MessageOutcomes outcomes = MessageOutcomes.read(config);
        final Row row = new Row(json);
        try
        {
            if (!json)
            {
                out.append(CSV_HEADER).append('\n');
            }
            return outcomes.scan((m, completion) ->
            {
                final boolean completed = completion.records() > 0;
                row.begin();
                row.number("messageId", m.messageId());
                row.hex("originator", m.originator());
                row.hex("target", m.target());
                row.unsigned("counter", m.counter());
                row.kind("kind", m.kind());
                row.code("code", m.kind(), m.code());
                row.number("level", m.level());
                row.number("acceptedNs", m.acceptTimeNs());
                row.optional("dispatchedNs", completed, completion.dispatchedNs());
                row.optional("completedNs", completed, completion.completedNs());
                row.number("completions", completion.records());
                try
                {
                    out.append(row.end());
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

    /**
     * One line of the dump, a CSV row or a JSON object, written field by field in the order of {@link #CSV_HEADER}.
     * The two formats differ only in what goes around a field (its name, quotes, what an absent value is), so the
     * fields and their order are written once, in {@link #write}. One instance is reused for every line.
     */
    private static final class Row
    {
        private final StringBuilder line = new StringBuilder(256);
        private final boolean json;
        private boolean first;

        Row(final boolean json)
        {
            this.json = json;
        }

        void begin()
        {
            line.setLength(0);
            first = true;
            if (json)
            {
                line.append('{');
            }
        }

        void number(final String name, final long value)
        {
            field(name).append(value);
        }

        void unsigned(final String name, final long value)
        {
            field(name).append(Long.toUnsignedString(value));
        }

        /** A value known only once the message completed: empty (CSV) or null (JSON) until then. */
        void optional(final String name, final boolean present, final long value)
        {
            field(name);
            if (present)
            {
                line.append(value);
            }
            else if (json)
            {
                line.append("null");
            }
        }

        /** An EUI-64 as 16 upper-case hex digits. */
        void hex(final String name, final long value)
        {
            text(name);
            appendHexDigits(value, 16);
            endText();
        }

        /** The kind's name, or the number when unknown ({@link MessageLabels}). */
        void kind(final String name, final int kind)
        {
            text(name);
            MessageLabels.appendKind(line, kind);
            endText();
        }

        /** The dotted SRV code, or for an alert its code text ({@link MessageLabels}). */
        void code(final String name, final int kind, final int code)
        {
            text(name);
            MessageLabels.appendCode(line, kind, code);
            endText();
        }

        CharSequence end()
        {
            line.append(json ? "}\n" : "\n");
            return line;
        }

        private StringBuilder field(final String name)
        {
            if (!first)
            {
                line.append(',');
            }
            first = false;
            if (json)
            {
                line.append('"').append(name).append("\":");
            }
            return line;
        }

        private void text(final String name)
        {
            field(name);
            if (json)
            {
                line.append('"');
            }
        }

        private void endText()
        {
            if (json)
            {
                line.append('"');
            }
        }

        private void appendHexDigits(final long value, final int digits)
        {
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
            {
                line.append(Character.toUpperCase(Character.forDigit((int)(value >>> shift) & 0xF, 16)));
            }
        }
    }
}
