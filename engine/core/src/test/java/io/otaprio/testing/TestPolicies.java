package io.otaprio.testing;

import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.SrvCode;

/**
 * A tiny policy for tests: SRV 1.L is level L, everything else level 4.
 */
public final class TestPolicies
{
    /** SRV code of a level, by level (index 1..4). */
    public static final int[] SRV_OF_LEVEL = { 0, SrvCode.parse("1.1"), SrvCode.parse("1.2"), SrvCode.parse("1.3"),
        SrvCode.parse("1.4") };

    /** An alert code the test policy puts at level 1 (as supply alerts are in the shipped one). */
    public static final int LEVEL_ONE_ALERT = 0x8F1C;

    private TestPolicies()
    {
    }

    /**
     * @param trtLevel1 TRT budget of level 1, e.g. "1s".
     * @return the policy.
     */
    public static PriorityPolicy fourLevels(final String trtLevel1)
    {
        return PriorityPolicy.parse(String.join("\n",
            "name: test",
            "defaultLevel: 4",
            "trt: { 1: " + trtLevel1 + ", 2: 10s, 3: 10s, 4: 10s }",
            "rules:",
            "  - { srv: \"1.1\", level: 1 }",
            "  - { srv: \"1.2\", level: 2 }",
            "  - { srv: \"1.3\", level: 3 }",
            "  - { srv: \"1.4\", level: 4 }",
            "  - { alert: 0x8F1C, level: 1 }",
            "  - { dccAlerts: [N24, AD1], level: 2 }",
            ""), "test-policy.yaml");
    }

    /** @return the policy with a 1s level-1 budget. */
    public static PriorityPolicy fourLevels()
    {
        return fourLevels("1s");
    }
}
