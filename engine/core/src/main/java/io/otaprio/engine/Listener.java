package io.otaprio.engine;

/**
 * The engine's network listeners. Each is bound to loopback unless the configuration says otherwise; without TLS, a
 * listener bound beyond loopback is refused at start-up unless its section says {@code insecure: true}.
 */
public enum Listener
{
    /** The TCP gateway: submits as any originator. */
    GATEWAY("gateway", "--listen", "submit messages as any originator", true),
    /** {@code POST /duis}: submits DUIS documents as any originator. */
    DUIS("duis", "--duis", "submit DUIS documents as any originator", true),
    /** The Prometheus endpoint: reads every figure, originators and devices included. */
    METRICS("metrics", "--metrics", "read the engine's figures, originator and device ids included", false),
    /** The admin endpoint: reloads the policy. */
    ADMIN("admin", "--admin", "reload the engine's priority policy", false);

    private final String section;
    private final String option;
    private final String exposure;
    private final boolean tlsCapable;

    Listener(final String section, final String option, final String exposure, final boolean tlsCapable)
    {
        this.tlsCapable = tlsCapable;
        this.section = section;
        this.option = option;
        this.exposure = exposure;
    }

    /** @return its configuration section, such as {@code gateway}. */
    public String section()
    {
        return section;
    }

    /** @return the engine command's option that overrides its address, such as {@code --listen}. */
    public String option()
    {
        return option;
    }

    /** @return true when the engine's {@code tls:} secures it (the gateway and DUIS; not metrics or admin). */
    public boolean tlsCapable()
    {
        return tlsCapable;
    }

    /** @return what anyone who can reach it can do, for the refusal and the warning. */
    public String exposure()
    {
        return exposure;
    }
}
