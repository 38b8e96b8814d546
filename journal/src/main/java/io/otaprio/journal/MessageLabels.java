package io.otaprio.journal;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;

/**
 * How the journal's readers write a message's kind and code, so that {@code journal dump} and {@code journal report}
 * name them alike: the kind as the {@link MessageKind} name (SERVICE_REQUEST, ALERT, RESPONSE; the number when
 * unknown); the code as the dotted {@link SrvCode} such as {@code 8.1.1} for service requests and responses (0 when
 * it has no first component), and for an alert its {@link AlertCode} text, {@code 0xHHHH} or a DCC code such as
 * {@code N24} (any other value as {@code 0xHHHHHHHH}).
 * <p>
 * Threading: stateless.
 */
final class MessageLabels
{
    private MessageLabels()
    {
    }

    /**
     * @param out  where to write.
     * @param kind the journal's kind value.
     * @return {@code out}.
     */
    static StringBuilder appendKind(final StringBuilder out, final int kind)
    {
        final MessageKind known = MessageKind.fromValue(kind);
        return null == known ? out.append(kind) : out.append(known.name());
    }

    /**
     * @param out  where to write.
     * @param kind the journal's kind value.
     * @param code the packed SRV or alert code.
     * @return {@code out}.
     */
    static StringBuilder appendCode(final StringBuilder out, final int kind, final int code)
    {
        if (MessageKind.fromValue(kind) == MessageKind.ALERT)
        {
            return out.append(AlertCode.toString(code));
        }
        final String srv = SrvCode.toString(code);
        // No first component: not a valid SRV code, shown as the number it is rather than as an empty field.
        return out.append(srv.isEmpty() ? "0" : srv);
    }
}
