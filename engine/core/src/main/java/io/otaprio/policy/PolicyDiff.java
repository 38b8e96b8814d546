package io.otaprio.policy;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a change of policy moves: the SRVs of a catalogue and the alerts either policy names whose level changes,
 * and whether the default level does. Cold path: for {@code policy diff} and the reload log line.
 *
 * @param catalogue      the SRVs compared.
 * @param changes        one per SRV, then per alert, whose level changes, in catalogue order then by code.
 * @param oldDefault     the default level before.
 * @param newDefault     the default level after.
 */
public record PolicyDiff(SrvCatalogue catalogue, List<Change> changes, int oldDefault, int newDefault)
{
    /**
     * One SRV or alert whose level changes.
     *
     * @param srv      true for an SRV, false for an alert.
     * @param code     the SRV as written ("2.2") or the alert code as {@link AlertCode#toString(int)} writes it.
     * @param name     the SRV's name; "-" for an alert.
     * @param oldLevel its level before.
     * @param newLevel its level after.
     */
    public record Change(boolean srv, String code, String name, int oldLevel, int newLevel)
    {
    }

    /**
     * @param before    the policy before.
     * @param after     the policy after.
     * @param catalogue the SRVs to compare.
     * @return what changes.
     */
    public static PolicyDiff of(final PriorityPolicy before, final PriorityPolicy after, final SrvCatalogue catalogue)
    {
        final List<Change> changes = new ArrayList<>();
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            final int oldLevel = before.level(before.classify(MessageKind.SERVICE_REQUEST, srv.code()));
            final int newLevel = after.level(after.classify(MessageKind.SERVICE_REQUEST, srv.code()));
            if (oldLevel != newLevel)
            {
                changes.add(new Change(true, srv.text(), srv.name(), oldLevel, newLevel));
            }
        }
        final TreeSet<Integer> alertCodes = new TreeSet<>();
        for (final int code : before.namedAlerts())
        {
            alertCodes.add(code);
        }
        for (final int code : after.namedAlerts())
        {
            alertCodes.add(code);
        }
        for (final int code : alertCodes)
        {
            final int oldLevel = before.level(before.classify(MessageKind.ALERT, code));
            final int newLevel = after.level(after.classify(MessageKind.ALERT, code));
            if (oldLevel != newLevel)
            {
                changes.add(new Change(false, AlertCode.toString(code), "-", oldLevel, newLevel));
            }
        }
        return new PolicyDiff(catalogue, List.copyOf(changes), before.defaultLevel(), after.defaultLevel());
    }

    /** @return SRVs whose level changes. */
    public int srvs()
    {
        return (int)changes.stream().filter(Change::srv).count();
    }

    /** @return alerts whose level changes. */
    public int alerts()
    {
        return changes.size() - srvs();
    }

    /** @return true when the default level changes. */
    public boolean defaultChanged()
    {
        return oldDefault != newDefault;
    }

    /** @return true when nothing changes level. */
    public boolean isEmpty()
    {
        return changes.isEmpty() && !defaultChanged();
    }

    /**
     * @return one line: "N SRVs of CATALOGUE and M alerts change level", and the default's change.
     */
    public String summary()
    {
        return (catalogue.isGiven() ? srvs() + " SRVs of " + catalogue.source() + " and " :
            "SRVs not compared (no SRV catalogue); ") + alerts() + " alerts change level" +
            (defaultChanged() ? "; so does the default" : "");
    }
}
