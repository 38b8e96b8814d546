package io.otaprio.config;

/**
 * A configuration file broke a rule. The message is meant to be read by whoever edits the file, so it always
 * names where and what:
 * <pre>
 *   conf/priority-policy.yaml:17: rules[3].srv "2..2": malformed SRV code "2..2": expected 1 to 4 dot-separated ...
 *   ^ source                  ^ line  ^ entry                ^ the rule broken
 * </pre>
 * The line is omitted when there is none to give (the file is missing or unreadable as a whole), and the entry is
 * omitted when the rule concerns the whole document. Configuration is validated once, up front, so the engine
 * refuses to start rather than run with a policy nobody meant.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String entry;
    private final String rule;

    /**
     * @param source the file the configuration came from, as the user named it.
     * @param line   1-based line of the offending entry, or 0 when no line applies.
     * @param entry  which entry, such as {@code rules[3].srv "2..2"}, or empty when the rule concerns the document.
     * @param rule   the rule that was broken, such as {@code unknown level 5: expected 1 to 4}.
     */
    public ConfigException(final String source, final int line, final String entry, final String rule)
    {
        this(source, line, entry, rule, null);
    }

    /**
     * @param source the file the configuration came from, as the user named it.
     * @param line   1-based line of the offending entry, or 0 when no line applies.
     * @param entry  which entry, or empty when the rule concerns the document.
     * @param rule   the rule that was broken.
     * @param cause  the lower-level failure, kept for the stack trace only; the message stands on its own.
     */
    public ConfigException(
        final String source, final int line, final String entry, final String rule, final Throwable cause)
    {
        super(format(source, line, entry, rule), cause);
        this.source = source;
        this.line = line;
        this.entry = null == entry ? "" : entry;
        this.rule = rule;
    }

    /**
     * @return the file the configuration came from, as the user named it.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return the 1-based line of the offending entry, or 0 when no line applies.
     */
    public int line()
    {
        return line;
    }

    /**
     * @return the offending entry, such as {@code rules[3].srv "2..2"}, or empty.
     */
    public String entry()
    {
        return entry;
    }

    /**
     * @return the rule that was broken, without the location.
     */
    public String rule()
    {
        return rule;
    }

    private static String format(final String source, final int line, final String entry, final String rule)
    {
        final StringBuilder sb = new StringBuilder(128).append(source);
        if (line > 0)
        {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (null != entry && !entry.isEmpty())
        {
            sb.append(entry).append(": ");
        }
        return sb.append(rule).toString();
    }
}
