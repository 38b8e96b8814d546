package io.otaprio.metrics;

import io.otaprio.protocol.RejectReason;

import java.util.Locale;

/**
 * A minimal streaming JSON writer for reports (cold path): objects, arrays, strings, numbers, with commas
 * placed automatically. Keeps the engine free of a JSON library.
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder(1024);
    private boolean needComma;

    /** @return this, after opening an object as a value. */
    public JsonWriter beginObject()
    {
        return open('{');
    }

    /** @return this, after closing the current object. */
    public JsonWriter endObject()
    {
        return close('}');
    }

    /** @return this, after opening an array as a value. */
    public JsonWriter beginArray()
    {
        return open('[');
    }

    /** @return this, after closing the current array. */
    public JsonWriter endArray()
    {
        return close(']');
    }

    /**
     * @param name key of the next value.
     * @return this.
     */
    public JsonWriter name(final String name)
    {
        separator();
        string(name);
        out.append(':');
        needComma = false;
        return this;
    }

    /**
     * @param value a string value.
     * @return this.
     */
    public JsonWriter value(final String value)
    {
        separator();
        if (null == value)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        needComma = true;
        return this;
    }

    /**
     * @param value an integer value.
     * @return this.
     */
    public JsonWriter value(final long value)
    {
        return rawValue(Long.toString(value));
    }

    /**
     * @param value a decimal value; non-finite values are written as null.
     * @return this.
     */
    public JsonWriter value(final double value)
    {
        return rawValue(Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
    }

    /**
     * Insert an already encoded JSON value, such as a nested report.
     *
     * @param json a complete JSON value.
     * @return this.
     */
    public JsonWriter rawValue(final String json)
    {
        separator();
        out.append(json);
        needComma = true;
        return this;
    }

    /**
     * @param name key.
     * @param value string.
     * @return this.
     */
    public JsonWriter field(final String name, final String value)
    {
        return name(name).value(value);
    }

    /**
     * @param name key.
     * @param value integer.
     * @return this.
     */
    public JsonWriter field(final String name, final long value)
    {
        return name(name).value(value);
    }

    /**
     * @param name key.
     * @param value decimal.
     * @return this.
     */
    public JsonWriter field(final String name, final double value)
    {
        return name(name).value(value);
    }

    /**
     * Write the {@code levels} array element for one report row.
     *
     * @param row the row.
     * @return this.
     */
    public JsonWriter level(final LevelReport row)
    {
        return beginObject()
            .field("level", row.level())
            .field("completed", row.completed())
            .latencyFields(row.latency(), row.trtNs(), row.withinTrtPct())
            .endObject();
    }

    /**
     * Write the {@code rejected} field: an object of every reject reason by name and its count, as the engine's
     * metrics and a load's result both report it.
     *
     * @param rejectedByCode rejections indexed by {@link RejectReason#code()}.
     * @return this.
     */
    public JsonWriter rejected(final long[] rejectedByCode)
    {
        name("rejected").beginObject();
        for (final RejectReason reason : RejectReason.values())
        {
            field(reason.name(), rejectedByCode[reason.code()]);
        }
        return endObject();
    }

    /**
     * Write the fields every per-level report ends with, so that all of them name a level's latency and TRT alike.
     *
     * @param latency      the level's latency percentiles, microseconds.
     * @param trtNs        the level's TRT budget, written in milliseconds.
     * @param withinTrtPct percentage of completions within it.
     * @return this.
     */
    public JsonWriter latencyFields(final LatencySummary latency, final long trtNs, final double withinTrtPct)
    {
        return field("p50Us", latency.p50Us())
            .field("p99Us", latency.p99Us())
            .field("p999Us", latency.p999Us())
            .field("maxUs", latency.maxUs())
            .field("trtMs", trtNs / 1e6)
            .field("withinTrtPct", withinTrtPct);
    }

    /** @return the JSON written so far. */
    public String toString()
    {
        return out.toString();
    }

    private JsonWriter open(final char bracket)
    {
        separator();
        out.append(bracket);
        needComma = false;
        return this;
    }

    private JsonWriter close(final char bracket)
    {
        out.append(bracket);
        needComma = true;
        return this;
    }

    private void separator()
    {
        if (needComma)
        {
            out.append(',');
        }
    }

    private void string(final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
