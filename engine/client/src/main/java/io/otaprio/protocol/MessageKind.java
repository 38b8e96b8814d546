package io.otaprio.protocol;

/**
 * What an over-the-air message is, as the DCC User Interface distinguishes it. The kind decides how the
 * {@code code} field of a message is read: an SRV code for service requests and responses, a 16-bit alert
 * code for alerts.
 */
public enum MessageKind
{
    SERVICE_REQUEST(1),
    ALERT(2),
    RESPONSE(3);

    private static final MessageKind[] BY_VALUE = { null, SERVICE_REQUEST, ALERT, RESPONSE };

    private final int value;

    MessageKind(final int value)
    {
        this.value = value;
    }

    /**
     * @return the wire and journal value of this kind (1, 2, 3).
     */
    public int value()
    {
        return value;
    }

    /**
     * @param value a wire value.
     * @return the kind, or {@code null} when the value names no kind (the caller rejects UNKNOWN_KIND).
     */
    public static MessageKind fromValue(final int value)
    {
        return value >= 1 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /**
     * @return true when the code of a message of this kind is an SRV code rather than an alert code.
     */
    public boolean carriesSrv()
    {
        return this != ALERT;
    }
}
