package io.otaprio.engine;

/**
 * How the engine's agents (admission, scheduler, reporter) are laid out on threads. The agents and their duty cycles
 * are the same in every mode; only the threads differ.
 */
public enum ThreadingMode
{
    /**
     * One thread per agent: {@code otaprio-admission}, {@code otaprio-scheduler}, {@code otaprio-reporter}. The
     * scheduler busy-spins by default, so a level-1 message waits for nothing but a free downstream slot. Needs a core
     * per busy agent.
     */
    DEDICATED,

    /**
     * All three agents on one thread, {@code otaprio-shared}, one duty cycle after the other, with one idle strategy:
     * for small machines, where two spinning threads would leave nothing for anything else.
     */
    SHARED,

    /**
     * No thread at all: the caller drives the agents' duty cycles through {@link Engine#invoker()}, deterministically,
     * for tests and for applications that own their threads.
     */
    INVOKER;

    /**
     * A mode a process can run in, by name, as configuration and the command line give it.
     *
     * @param what the setting, for the error message ({@code --threading}, a file's entry).
     * @param name {@code dedicated} or {@code shared}.
     * @return the mode.
     * @throws IllegalArgumentException naming the accepted values; {@code invoker} is for code that drives the
     *                                  agents itself, so no process can run in it.
     */
    public static ThreadingMode forProcess(final String what, final String name)
    {
        if ("dedicated".equals(name))
        {
            return DEDICATED;
        }
        if ("shared".equals(name))
        {
            return SHARED;
        }
        throw new IllegalArgumentException(what + " \"" + name + "\": expected dedicated or shared");
    }
}
