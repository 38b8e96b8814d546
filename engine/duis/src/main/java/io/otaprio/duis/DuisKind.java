package io.otaprio.duis;

import io.otaprio.protocol.MessageKind;

/**
 * What a DUIS document is: a Service Request ({@code Request}), or one of the three bodies a {@code Response} carries
 * ({@code ResponseMessage}, {@code DeviceAlertMessage}, {@code DCCAlertMessage}).
 */
public enum DuisKind
{
    /** A {@code Request}: classified by its SRV. */
    SERVICE_REQUEST(MessageKind.SERVICE_REQUEST),

    /** A {@code Response} whose body is a {@code ResponseMessage}: classified by the SRV it answers. */
    RESPONSE(MessageKind.RESPONSE),

    /** A {@code Response} whose body is a {@code DeviceAlertMessage}: classified by its 16-bit alert code. */
    DEVICE_ALERT(MessageKind.ALERT),

    /**
     * A {@code Response} whose body is a {@code DCCAlertMessage}: its code is a packed DCC alert code
     * ({@link io.otaprio.protocol.AlertCode}), which a 16-bit alert rule never matches.
     */
    DCC_ALERT(MessageKind.ALERT);

    private final MessageKind messageKind;

    DuisKind(final MessageKind messageKind)
    {
        this.messageKind = messageKind;
    }

    /**
     * @return the engine's kind for a message of this kind: both alert kinds are {@link MessageKind#ALERT}.
     */
    public MessageKind messageKind()
    {
        return messageKind;
    }
}
