package io.otaprio.engine;

import java.util.Locale;

/**
 * Writes metric families in Prometheus' text exposition format, version 0.0.4: for each family a {@code # HELP} and a
 * {@code # TYPE} line, then one sample per line, {@code name{label="value",...} number}. Counter families end in
 * {@code _total}; a summary writes its quantiles, then {@code _count} and {@code _sum}. Label values are escaped
 * (backslash, double quote, new line) and numbers written as Prometheus reads them ({@code NaN}, {@code +Inf}).
 * <p>
 * Threading: one writer per scrape; not for the hot path (it builds a string).
 */
final class PrometheusText
{
    private final StringBuilder text = new StringBuilder(16 * 1024);

    /**
     * Start a counter family.
     *
     * @param name family name without {@code _total}.
     * @param help one line of help.
     * @return this.
     */
    PrometheusText counter(final String name, final String help)
    {
        return family(name + "_total", help, "counter");
    }

    /**
     * Start a gauge family.
     *
     * @param name family name.
     * @param help one line of help.
     * @return this.
     */
    PrometheusText gauge(final String name, final String help)
    {
        return family(name, help, "gauge");
    }

    /**
     * Start a summary family.
     *
     * @param name family name.
     * @param help one line of help.
     * @return this.
     */
    PrometheusText summary(final String name, final String help)
    {
        return family(name, help, "summary");
    }

    /**
     * One sample.
     *
     * @param name   sample name: the family's, or with a suffix such as {@code _count}.
     * @param value  the value.
     * @param labels label names and values, alternating.
     * @return this.
     */
    PrometheusText sample(final String name, final double value, final String... labels)
    {
        text.append(name);
        if (labels.length > 0)
        {
            text.append('{');
            for (int i = 0; i < labels.length; i += 2)
            {
                if (i > 0)
                {
                    text.append(',');
                }
                text.append(labels[i]).append("=\"");
                escape(labels[i + 1], true);
                text.append('"');
            }
            text.append('}');
        }
        text.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** @return the exposition so far. */
    public String toString()
    {
        return text.toString();
    }

    private PrometheusText family(final String name, final String help, final String type)
    {
        text.append("# HELP ").append(name).append(' ');
        escape(help, false);
        text.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * The format's escaping: a backslash and a new line in help text and label values, a double quote in label
     * values only (help text is not quoted).
     */
    private void escape(final String value, final boolean quoted)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ('\\' == c)
            {
                text.append("\\\\");
            }
            else if ('\n' == c)
            {
                text.append("\\n");
            }
            else if ('"' == c && quoted)
            {
                text.append("\\\"");
            }
            else
            {
                text.append(c);
            }
        }
    }

    private static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "NaN";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return Double.toString(value);
    }
}
