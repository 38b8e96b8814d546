package io.otaprio.duis;

/**
 * Why {@link DuisParser} refused a document as {@link DuisStatus#MALFORMED}: short texts, constants so that refusing
 * builds no string. An HTTP endpoint can answer with them as they are.
 */
public final class DuisDetail
{
    /** No XML element could be read: empty, not markup, or not XML at all. */
    public static final String NOT_XML = "not XML";

    /** The XML is not well formed in the part the parser read (which includes a document cut short there). */
    public static final String NOT_WELL_FORMED = "not well formed";

    /** The document has a document type declaration; DTDs (and so entity declarations) are refused. */
    public static final String DTD_REFUSED = "DTD refused";

    /** The document refers to an entity that is not one of XML's five predefined ones. */
    public static final String ENTITY_REFUSED = "entity reference refused";

    /** An element is not in the DUIS namespace of the document's root (or the root is in no DUIS namespace). */
    public static final String WRONG_NAMESPACE = "wrong namespace";

    /** The root element is neither {@code Request} nor {@code Response}. */
    public static final String NOT_DUIS = "root is neither Request nor Response";

    /** The root's first child is not a {@code Header}. */
    public static final String MISSING_HEADER = "missing Header";

    /** The same field appears twice in the {@code Header}. */
    public static final String DUPLICATE_FIELD = "duplicate Header field";

    /** A request has no {@code RequestID}, or a response neither a {@code RequestID} nor a {@code ResponseID}. */
    public static final String MISSING_REQUEST_ID = "missing RequestID";

    /**
     * A RequestID (or ResponseID, or a referenced RequestID) is not {@code EUI-64:EUI-64:counter} with each EUI-64
     * eight dash-separated two-hex-digit groups and the counter a decimal from 1 to 2^64-1.
     */
    public static final String BAD_REQUEST_ID = "bad RequestID";

    /** The document does not end with its root's end tag: cut short after the fields the parser reads. */
    public static final String TRUNCATED = "truncated: no end tag of the root at the end";

    /** A {@code CommandVariant} is not a number from 1 to 8. */
    public static final String BAD_COMMAND_VARIANT = "bad CommandVariant";

    /** A request or {@code ResponseMessage} has no {@code ServiceReferenceVariant} and no {@code ServiceReference}. */
    public static final String MISSING_SRV = "missing SRV";

    /** A {@code ServiceReference} or {@code ServiceReferenceVariant} is not 1 to 4 dot-separated numbers 1..255. */
    public static final String BAD_SRV = "SRV not an SRV";

    /** A {@code ResponseCode} is longer than {@link DuisMessage#MAX_TEXT_CHARS} characters or has child elements. */
    public static final String BAD_RESPONSE_CODE = "bad ResponseCode";

    /** The root has no {@code Body} after its {@code Header}. */
    public static final String MISSING_BODY = "missing Body";

    /** The {@code Body} has no element in it. */
    public static final String EMPTY_BODY = "empty Body";

    /** A response's body is none of {@code ResponseMessage}, {@code DeviceAlertMessage}, {@code DCCAlertMessage}. */
    public static final String UNKNOWN_RESPONSE_BODY = "unknown response body";

    /** A {@code DeviceAlertMessage} has no {@code AlertCode}, or a {@code DCCAlertMessage} no {@code DCCAlertCode}. */
    public static final String MISSING_ALERT_CODE = "missing alert code";

    /** An {@code AlertCode} is not four hex digits, e.g. {@code 8F1C}. */
    public static final String BAD_ALERT_CODE = "bad alert code";

    /** A {@code DCCAlertCode} is not 1 to 5 characters of {@code [0-9A-Z]}, e.g. {@code N24}. */
    public static final String BAD_DCC_ALERT_CODE = "bad DCC alert code";

    /** An {@code ExecutionDateTime} is not an xs:dateTime with a four-digit year. */
    public static final String BAD_DATE_TIME = "bad dateTime";

    private DuisDetail()
    {
    }
}
