package io.otaprio.admission;

/**
 * One line of the level-1 alert guard's summary ({@link LevelOneAlertGuard#topDemoted}): an alert code and how many
 * of its level-1 alerts were admitted at the lower level.
 *
 * @param code  the alert code: a 16-bit device alert code or a packed DCC alert code.
 * @param count its alerts demoted since the engine started.
 */
public record DemotedAlertCode(int code, long count)
{
}
