package io.otaprio.journal;

import java.nio.file.Path;

/**
 * Another engine process for {@link JournalLockTest}: acquires the journal lock of a directory and prints
 * {@code LOCKED <pid>}, or {@code REFUSED <message>} when it cannot. With {@code hold} it then keeps the lock until
 * the parent kills it; with {@code try} it releases it and exits.
 */
public final class JournalLockChild
{
    private JournalLockChild()
    {
    }

    /**
     * @param args journal directory, then {@code hold} or {@code try}.
     * @throws InterruptedException never: the parent kills a holding child.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final JournalLock lock;
        try
        {
            lock = JournalLock.acquire(Path.of(args[0]));
        }
        catch (final JournalException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
            System.out.flush();
            return;
        }
        System.out.println("LOCKED " + lock.pid());
        System.out.flush();
        if ("try".equals(args[1]))
        {
            lock.close();
            return;
        }
        // Held until the parent's kill -9: no close, no shutdown hook.
        Thread.sleep(Long.MAX_VALUE);
    }
}
