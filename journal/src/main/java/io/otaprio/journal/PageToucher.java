package io.otaprio.journal;

/**
 * Work an idle duty cycle can do for the journals: fault in the pages of a queue file just ahead of where its writer
 * will append next, so that the writer finds them resident instead of paying for the page fault (the kernel zeroing
 * a new page-cache page) inside an append. See {@link JournalToucher}; {@link #NONE} for an engine without a journal.
 * <p>
 * Threading: any thread, any number of them; a call that finds another thread touching does nothing.
 */
public interface PageToucher
{
    /** Touches nothing: an engine without a journal. */
    PageToucher NONE = () -> 0;

    /**
     * Touch a bounded number of pages ahead of the writer, or nothing when far enough ahead already.
     *
     * @return pages touched (0 when there was nothing to do), as an agent's work count.
     */
    int touchAhead();

    /**
     * @param first  touched first.
     * @param second touched when the first had nothing to do.
     * @return a toucher for both: each call touches the first journal that is not far enough ahead yet.
     */
    static PageToucher of(final PageToucher first, final PageToucher second)
    {
        return () ->
        {
            final int touched = first.touchAhead();
            return touched > 0 ? touched : second.touchAhead();
        };
    }
}
