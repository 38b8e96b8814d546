package io.otaprio.duis;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;

/**
 * What {@link DuisParser} read from one DUIS document: the fields the engine admits, classifies and schedules on. A
 * mutable value filled in place by every parse, so one instance serves a whole stream of documents without allocating;
 * it owns its {@link RequestId}s and text fields, which the next parse overwrites.
 * <p>
 * Which fields a kind fills:
 * <pre>
 *   kind             requestId       responseId  srv (packed)  commandVariant  alertCode  dccAlertCode  dateTime
 *   SERVICE_REQUEST  always          -           always        if present      -          -             if present
 *   RESPONSE         if present (*)  if present  always        -               -          -             -
 *   DEVICE_ALERT     if present (*)  if present  -             -               always     -             -
 *   DCC_ALERT        if present (*)  if present  -             -               -          always        -
 *
 *   (*) a response or alert has a RequestID, a ResponseID or both; {@link #identity()} is the first present.
 * </pre>
 * The document's bytes are not copied: {@link #documentOffset()} and {@link #documentLength()} locate them in the
 * array the parser was given.
 * <p>
 * Threading: not thread-safe. Written by the thread that runs {@link DuisParser#parse}, read by that thread (or by
 * another after a happens-before hand-over) until the next parse into it.
 */
public final class DuisMessage
{
    /** {@link #executionDateTimeNs()} of a document without an {@code ExecutionDateTime}. */
    public static final long NO_DATE_TIME = Long.MIN_VALUE;

    /** {@link #executionDateTimeNs()} of a dateTime later than epoch nanos can hold (after 2262-04-11). */
    public static final long FAR_FUTURE_NS = Long.MAX_VALUE;

    /** {@link #executionDateTimeNs()} of a dateTime earlier than epoch nanos can hold (before 1677-09-21). */
    public static final long FAR_PAST_NS = Long.MIN_VALUE + 1;

    /**
     * The {@code ExecutionDateTime} that cancels a future-dated request, 3000-12-31T00:00:00Z, in epoch seconds. DUIS
     * has no "cancel" Service Request for a future-dated command held by a device: the User sends the same SRV again
     * with this date (see {@link #isCancellation()}).
     */
    public static final long CANCELLATION_EPOCH_SECOND = 32_535_129_600L;

    /** {@link #alertCode()} of a document that is not a device alert. */
    public static final int NO_ALERT_CODE = -1;

    /** Longest text kept for a short field (RequestID, codes, dateTime); longer text makes the field bad. */
    public static final int MAX_TEXT_CHARS = 96;

    private static final int MAX_SHORT_CODE_CHARS = 16;

    private final RequestId requestId = new RequestId();
    private final RequestId responseId = new RequestId();
    private final RequestId referencedRequestId = new RequestId();
    private final Text responseCode = new Text(MAX_SHORT_CODE_CHARS);
    private final Text dccAlertCodeText = new Text(AlertCode.MAX_DCC_ALERT_CHARS);

    DuisStatus status = DuisStatus.MALFORMED;
    String detail = DuisDetail.NOT_XML;
    DuisKind kind;
    boolean hasRequestId;
    boolean hasResponseId;
    boolean hasReferencedRequestId;
    int serviceReference;
    int serviceReferenceVariant;
    int commandVariant;
    int alertCode = NO_ALERT_CODE;
    int dccAlertCode;
    long executionDateTimeNs = NO_DATE_TIME;
    long executionEpochSecond;
    int executionNanoOfSecond;
    int documentOffset;
    int documentLength;

    /**
     * An empty message, to be filled by {@link DuisParser#parse}.
     */
    public DuisMessage()
    {
    }

    void reset(final int offset, final int length)
    {
        status = DuisStatus.MALFORMED;
        detail = DuisDetail.NOT_XML;
        kind = null;
        hasRequestId = false;
        hasResponseId = false;
        hasReferencedRequestId = false;
        requestId.set(0, 0, 0);
        responseId.set(0, 0, 0);
        referencedRequestId.set(0, 0, 0);
        serviceReference = 0;
        serviceReferenceVariant = 0;
        commandVariant = 0;
        alertCode = NO_ALERT_CODE;
        dccAlertCode = 0;
        responseCode.length = 0;
        dccAlertCodeText.length = 0;
        executionDateTimeNs = NO_DATE_TIME;
        executionEpochSecond = 0;
        executionNanoOfSecond = 0;
        documentOffset = offset;
        documentLength = length;
    }

    /**
     * @return the outcome of the last parse into this message.
     */
    public DuisStatus status()
    {
        return status;
    }

    /**
     * @return why the last parse refused the document, one of the {@link DuisDetail} constants; {@code null} when
     * {@link #status()} is {@link DuisStatus#OK}.
     */
    public String detail()
    {
        return detail;
    }

    /**
     * @return what the document is; {@code null} when it was refused.
     */
    public DuisKind kind()
    {
        return kind;
    }

    /**
     * @return the engine's kind for this document, {@code null} when it was refused.
     */
    public MessageKind messageKind()
    {
        return null == kind ? null : kind.messageKind();
    }

    /**
     * The code a priority policy classifies this document by, with {@link #messageKind()}: the packed SRV of a request
     * or response, the 16-bit alert code of a device alert, the packed DCC alert code ({@link AlertCode}, outside the
     * 16-bit range) of a DCC alert.
     *
     * @return the code, or 0 when the document was refused.
     */
    public int classificationCode()
    {
        if (null == kind)
        {
            return 0;
        }
        switch (kind)
        {
            case DEVICE_ALERT:
                return alertCode;
            case DCC_ALERT:
                return dccAlertCode;
            default:
                return srv();
        }
    }

    /**
     * @return true when the header has a {@code RequestID}: always for a request; for a response, the RequestID of
     * the request it answers.
     */
    public boolean hasRequestId()
    {
        return hasRequestId;
    }

    /**
     * @return the header's {@code RequestID}, all zero when {@link #hasRequestId()} is false; owned by this message.
     */
    public RequestId requestId()
    {
        return requestId;
    }

    /**
     * @return true when the header of a response or alert has a {@code ResponseID}.
     */
    public boolean hasResponseId()
    {
        return hasResponseId;
    }

    /**
     * @return the header's {@code ResponseID}, all zero when {@link #hasResponseId()} is false; owned by this message.
     */
    public RequestId responseId()
    {
        return responseId;
    }

    /**
     * @return the key that identifies this document: its RequestID when it has one, else its ResponseID (an
     * unsolicited alert); owned by this message.
     */
    public RequestId identity()
    {
        return hasRequestId ? requestId : responseId;
    }

    /**
     * @return the SRV the engine classifies on, packed as {@link SrvCode} packs it: the {@code ServiceReferenceVariant}
     * when present (policy rules are written on variants such as 4.1.1), else the {@code ServiceReference}; 0 for an
     * alert or a refused document.
     */
    public int srv()
    {
        return 0 != serviceReferenceVariant ? serviceReferenceVariant : serviceReference;
    }

    /**
     * @return the packed {@code ServiceReference} (such as 4.1), 0 when absent.
     */
    public int serviceReference()
    {
        return serviceReference;
    }

    /**
     * @return the packed {@code ServiceReferenceVariant} (such as 4.1.1), 0 when absent.
     */
    public int serviceReferenceVariant()
    {
        return serviceReferenceVariant;
    }

    /**
     * @return a request's {@code CommandVariant}, 1 to 8; 0 when absent.
     */
    public int commandVariant()
    {
        return commandVariant;
    }

    /**
     * @return a device alert's {@code AlertCode}, 0 to 0xFFFF; {@link #NO_ALERT_CODE} for any other document.
     */
    public int alertCode()
    {
        return alertCode;
    }

    /**
     * @return a DCC alert's {@code DCCAlertCode}, packed by {@link AlertCode}; 0 for any
     * other document.
     */
    public int dccAlertCode()
    {
        return dccAlertCode;
    }

    /**
     * @return a DCC alert's {@code DCCAlertCode} as written, such as {@code N24}; empty for any other document. A view
     * owned by this message, valid until the next parse: copy it to keep it.
     */
    public CharSequence dccAlertCodeText()
    {
        return dccAlertCodeText;
    }

    /**
     * @return a response's or alert's {@code ResponseCode}, such as {@code I0} or {@code E65}; empty when absent. A
     * view owned by this message, valid until the next parse: copy it to keep it.
     */
    public CharSequence responseCode()
    {
        return responseCode;
    }

    /**
     * @return true when a request has an {@code ExecutionDateTime}: a future-dated request (or a cancellation).
     */
    public boolean hasExecutionDateTime()
    {
        return NO_DATE_TIME != executionDateTimeNs;
    }

    /**
     * @return a request's {@code ExecutionDateTime} in nanoseconds since the epoch (UTC); {@link #NO_DATE_TIME} when
     * absent, {@link #FAR_FUTURE_NS} or {@link #FAR_PAST_NS} when outside what a {@code long} of nanos holds (the
     * cancellation date, 3000-12-31, is {@link #FAR_FUTURE_NS}).
     */
    public long executionDateTimeNs()
    {
        return executionDateTimeNs;
    }

    /**
     * @return the {@code ExecutionDateTime} in whole seconds since the epoch (UTC), exact for any four-digit year; 0
     * when absent.
     */
    public long executionEpochSecond()
    {
        return executionEpochSecond;
    }

    /**
     * @return true when this request cancels a future-dated request of the same SRV to the same device: its
     * {@code ExecutionDateTime} is 3000-12-31T00:00:00Z, {@link #CANCELLATION_EPOCH_SECOND}. This is how the DCC's
     * own DUIS test requests cancel a future-dated command (CommandVariant 4 with that date); it is read from the
     * published structure, not a separate Service Request.
     */
    public boolean isCancellation()
    {
        return DuisKind.SERVICE_REQUEST == kind && hasExecutionDateTime() &&
            CANCELLATION_EPOCH_SECOND == executionEpochSecond && 0 == executionNanoOfSecond;
    }

    /**
     * @return true when the request's service element names another request in a leading child whose local name
     * contains {@code RequestID} (see {@link DuisParser}); no published DUIS request is known to, so this is a
     * provision, not a DUIS rule.
     */
    public boolean hasReferencedRequestId()
    {
        return hasReferencedRequestId;
    }

    /**
     * @return the RequestID named by such a child, all zero when {@link #hasReferencedRequestId()} is false; owned by
     * this message.
     */
    public RequestId referencedRequestId()
    {
        return referencedRequestId;
    }

    /**
     * @return index of the document's first byte in the array given to the parser.
     */
    public int documentOffset()
    {
        return documentOffset;
    }

    /**
     * @return the document's length in bytes.
     */
    public int documentLength()
    {
        return documentLength;
    }

    Text responseCodeText()
    {
        return responseCode;
    }

    Text dccAlertCodeBuffer()
    {
        return dccAlertCodeText;
    }

    /**
     * Render the fields for people; allocates, so never on the hot path.
     *
     * @return such as {@code SERVICE_REQUEST 90-B3-...:1 srv=4.1.1 cv=1}.
     */
    public String toString()
    {
        if (DuisStatus.OK != status)
        {
            return "MALFORMED: " + detail;
        }
        final StringBuilder sb = new StringBuilder(128).append(kind);
        if (hasRequestId)
        {
            requestId.appendTo(sb.append(" requestId="));
        }
        if (hasResponseId)
        {
            responseId.appendTo(sb.append(" responseId="));
        }
        if (0 != srv())
        {
            sb.append(" srv=").append(SrvCode.toString(srv()));
        }
        if (0 != commandVariant)
        {
            sb.append(" cv=").append(commandVariant);
        }
        if (NO_ALERT_CODE != alertCode)
        {
            sb.append(" alert=0x").append(Integer.toHexString(alertCode));
        }
        if (0 != dccAlertCode)
        {
            sb.append(" dccAlert=").append(dccAlertCodeText);
        }
        if (hasExecutionDateTime())
        {
            sb.append(" executionEpochSecond=").append(executionEpochSecond);
        }
        if (hasReferencedRequestId)
        {
            referencedRequestId.appendTo(sb.append(" references="));
        }
        return sb.toString();
    }

    /**
     * A short ASCII text held in a fixed array, shown as a {@link CharSequence} without copying.
     */
    static final class Text implements CharSequence
    {
        final char[] chars;
        int length;

        Text(final int capacity)
        {
            chars = new char[capacity];
        }

        boolean set(final char[] source, final int start, final int count)
        {
            if (count > chars.length)
            {
                return false;
            }
            System.arraycopy(source, start, chars, 0, count);
            length = count;
            return true;
        }

        public int length()
        {
            return length;
        }

        public char charAt(final int index)
        {
            if (index < 0 || index >= length)
            {
                throw new IndexOutOfBoundsException("index " + index + ", length " + length);
            }
            return chars[index];
        }

        public CharSequence subSequence(final int start, final int end)
        {
            return toString().subSequence(start, end);
        }

        public String toString()
        {
            return new String(chars, 0, length);
        }
    }
}
