package io.otaprio.journal;

/**
 * Where the policy generations an engine puts in force are recorded: the {@link PolicyJournal}, or {@link #NONE} for
 * an engine without a journal.
 * <p>
 * Threading: one writer at a time (the engine's start-up, then whoever reloads the policy, serialised).
 */
public interface PolicyLog
{
    /** Records nothing and remembers nothing. */
    PolicyLog NONE = new PolicyLog()
    {
        public PolicyRecord last()
        {
            return null;
        }

        public boolean append(final PolicyRecord record)
        {
            return true;
        }
    };

    /**
     * @return the latest generation recorded, or null when none was.
     */
    PolicyRecord last();

    /**
     * Record a generation put in force. Never throws.
     *
     * @param record the generation.
     * @return true when written (always, for {@link #NONE}); false when the write failed.
     */
    boolean append(PolicyRecord record);
}
