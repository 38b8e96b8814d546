package io.otaprio.protocol;

/**
 * The DUIS CommandVariant a service request's header carries: how the DCC is to handle the command. otaprio reads it
 * for one purpose, the two steps of a Critical command:
 * <pre>
 *   step 1   CommandVariant 4        a Critical service request sent for transformation (a pre-command comes back)
 *   step 2   CommandVariant 5, 6, 7  the same RequestID again, now a signed pre-command to deliver
 * </pre>
 * The second step is linked to the first (same level, TRT from the first step's acceptance) instead of being a
 * resend of it. The other values (1 to 3 non-critical on-demand or local delivery, 8 non-device) change nothing in
 * admission. 0 means the submission did not say (TCP clients of protocol version 2).
 */
public final class CommandVariant
{
    /** Not given. */
    public static final int NOT_GIVEN = 0;

    /** A Critical service request for transformation: the first of two steps. */
    public static final int CRITICAL_TRANSFORM = 4;

    /** The lowest CommandVariant of a signed pre-command: the second step. */
    public static final int FIRST_SIGNED_PRE_COMMAND = 5;

    /** The highest CommandVariant of a signed pre-command. */
    public static final int LAST_SIGNED_PRE_COMMAND = 7;

    /** A non-device service request, answered by the DCC without going over the air. */
    public static final int NON_DEVICE = 8;

    /** The largest CommandVariant. */
    public static final int MAX = 8;

    private CommandVariant()
    {
    }

    /**
     * @param commandVariant a submission's.
     * @return true for 0 (not given) to {@link #MAX}.
     */
    public static boolean isValid(final int commandVariant)
    {
        return commandVariant >= NOT_GIVEN && commandVariant <= MAX;
    }

    /**
     * @param commandVariant a submission's.
     * @return true for the first step of a Critical command.
     */
    public static boolean isFirstStep(final int commandVariant)
    {
        return CRITICAL_TRANSFORM == commandVariant;
    }

    /**
     * @param commandVariant a submission's.
     * @return true for the second step of a Critical command (a signed pre-command).
     */
    public static boolean isSecondStep(final int commandVariant)
    {
        return commandVariant >= FIRST_SIGNED_PRE_COMMAND && commandVariant <= LAST_SIGNED_PRE_COMMAND;
    }
}
