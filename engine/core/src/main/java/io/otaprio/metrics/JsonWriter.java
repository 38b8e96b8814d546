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
        separator();
        out.append('{');
        needComma = false;
        return this;
    }

    /** @return this, after closing the current object. */
    public JsonWriter endObject()
    {
        out.append('}');
        needComma = true;
        return this;
    }

    /** @return this, after opening an array as a value. */
    public JsonWriter beginArray()
    {
        separator();
        out.append('[');
        needComma = false;
        return this;
    }

    /** @return this, after closing the current array. */
    public JsonWriter endArray()
    {
        out.append(']');
        needComma = true;
        return this;
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
        separator();
        out.append(value);
        needComma = true;
        return this;
    }

    /**
     * @param value a decimal value; non-finite values are written as null.
     * @return this.
     */
    public JsonWriter value(final double value)
    {
        separator();
        if (Double.isFinite(value))
        {
            out.append(String.format(Locale.ROOT, "%.3f", value));
        }
        else
        {
            out.append("null");
        }
        needComma = true;
        return this;
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
        final LatencySummary l = row.latency();
        return beginObject()
            .field("level", row.level())
            .field("completed", row.completed())
            .field("p50Us", l.p50Us())
            .field("p99Us", l.p99Us())
            .field("p999Us", l.p999Us())
            .field("maxUs", l.maxUs())
            .field("trtMs", row.trtNs() / 1e6)
            .field("withinTrtPct", row.withinTrtPct())
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

    /** @return the JSON written so far. */
    public String toString()
    {
        return out.toString();
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
