package io.otaprio.engine;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleStrategySpecTest
{
    @Test
    void shouldParseEveryName()
    {
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategySpec.parse("busy-spin"));
        assertInstanceOf(NoOpIdleStrategy.class, IdleStrategySpec.parse("noop"));
        assertInstanceOf(YieldingIdleStrategy.class, IdleStrategySpec.parse("yielding"));
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategySpec.parse("backoff"));
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategySpec.parse("sleeping"));
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategySpec.parse("sleeping:100us"));
    }

    @Test
    void shouldListTheAcceptedNamesWhenGivenAnUnknownOne()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategySpec.parse("spin"));
        assertTrue(ex.getMessage().contains("busy-spin"), ex.getMessage());
        final IllegalArgumentException period = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategySpec.parse("sleeping:fast"));
        assertTrue(period.getMessage().contains("unit"), period.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdleStrategySpec.parse("sleeping:0ms"));
    }
}
