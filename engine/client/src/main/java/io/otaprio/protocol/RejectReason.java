package io.otaprio.protocol;


/**
 * Why a message was not admitted. A message the engine cannot take is always answered with one of these and is
 * never silently dropped. Admission returns {@code -code()} so that the hot path passes a primitive.
 */
public enum RejectReason
{
    /** The ring of the message's lane has no free slot; other lanes keep accepting. */
    FULL(1),
    /** The same RequestID is pending, or completed within the resend-detection window. */
    DUPLICATE(2),
    /** A field is invalid: an SRV code that is not 1-4 components of 1..255, an alert code above 0xFFFF. */
    MALFORMED(3),
    /** The payload is larger than the configured maximum. */
    TOO_LARGE(4),
    /** The engine cannot make the message durable or is shutting down. */
    UNAVAILABLE(5),
    /** The kind is not a service request, alert or response. */
    UNKNOWN_KIND(6),
    /** An alert identical (same device, same code) to more than the throttle allows per window: not queued. */
    THROTTLED(7),
    /**
     * The Submit's originator is not one the connection's client certificate may use (TLS with {@code clients:}):
     * counted per client and claimed originator, never journaled, deduplicated or queued.
     */
    NOT_AUTHORISED(8);

    private static final RejectReason[] BY_CODE = byCode();

    private final int code;

    RejectReason(final int code)
    {
        this.code = code;
    }

    /** @return the wire code of the reason, 1..8. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a wire code, or a negative admission result.
     * @return the reason, or null when the value names none.
     */
    public static RejectReason fromCode(final long code)
    {
        final long c = Math.abs(code);
        return c >= 1 && c < BY_CODE.length ? BY_CODE[(int)c] : null;
    }

    private static RejectReason[] byCode()
    {
        // Built from the values, so a new reason cannot be forgotten here (THROTTLED was, once).
        final RejectReason[] byCode = new RejectReason[values().length + 1];
        for (final RejectReason reason : values())
        {
            byCode[reason.code] = reason;
        }
        return byCode;
    }
}
