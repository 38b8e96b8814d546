package io.otaprio.admission;

import io.otaprio.policy.PriorityPolicy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hand-over of a reloaded policy to the admission thread, the only thread that classifies. A reload loads and
 * checks the new policy on its own thread and {@link #offer}s it; the admission thread takes it at the start of a
 * duty cycle ({@link #take}), between two submissions, swaps one reference and says from which message id the new
 * policy classifies ({@link Offer#applied}). Admission never waits for a reload: when nothing is offered its cost is
 * one volatile read per duty cycle. Messages already queued keep the level they were admitted with.
 * <p>
 * Threading: {@link #offer} from one reloading thread at a time (the reloader serialises them); {@link #take} on the
 * admission thread only.
 */
public final class PolicySwitch
{
    /**
     * One policy offered, and when and from which message id it applied.
     */
    public static final class Offer
    {
        private final PriorityPolicy policy;
        private final CountDownLatch applied = new CountDownLatch(1);
        private volatile long fromMessageId = -1;
        private volatile long inForceNs;

        private Offer(final PriorityPolicy policy)
        {
            this.policy = policy;
        }

        /** @return the policy offered. */
        public PriorityPolicy policy()
        {
            return policy;
        }

        /**
         * Admission thread: the policy classifies from now on.
         *
         * @param fromMessageId the next message id admission gives.
         * @param inForceNs     now, epoch nanos on the engine's clock.
         */
        void applied(final long fromMessageId, final long inForceNs)
        {
            this.inForceNs = inForceNs;
            this.fromMessageId = fromMessageId;
            applied.countDown();
        }

        /**
         * Wait for admission to apply it.
         *
         * @param timeoutNs how long.
         * @return true when applied; false when admission did not take it in time (it is not running).
         * @throws InterruptedException if interrupted while waiting.
         */
        public boolean awaitApplied(final long timeoutNs) throws InterruptedException
        {
            return applied.await(timeoutNs, TimeUnit.NANOSECONDS);
        }

        /** @return the first message id the policy classified, once applied; -1 before. */
        public long fromMessageId()
        {
            return fromMessageId;
        }

        /** @return when it came in force, epoch nanos, once applied. */
        public long inForceNs()
        {
            return inForceNs;
        }
    }

    private final AtomicReference<Offer> offered = new AtomicReference<>();

    /**
     * Offer a policy for admission to take. Its lanes must be the running policy's (the rings are built for them).
     *
     * @param policy the policy to classify by from the next duty cycle.
     * @return the offer, to {@link Offer#awaitApplied wait} on.
     */
    public Offer offer(final PriorityPolicy policy)
    {
        final Offer offer = new Offer(policy);
        offered.set(offer);
        return offer;
    }

    /**
     * Withdraw an offer admission has not taken (it did not run in time).
     *
     * @param offer the offer.
     * @return true when it was withdrawn; false when admission took it meanwhile.
     */
    public boolean withdraw(final Offer offer)
    {
        return offered.compareAndSet(offer, null);
    }

    /**
     * Admission thread.
     *
     * @return the offer waiting, taken; or null when none waits (the usual case: one volatile read).
     */
    Offer take()
    {
        return null == offered.get() ? null : offered.getAndSet(null);
    }
}
