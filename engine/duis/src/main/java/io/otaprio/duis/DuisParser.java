package io.otaprio.duis;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RequestId;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one DUIS (DCC User Interface Specification) XML document from a byte range: its kind, identity, SRV or alert
 * code and future dating, into a reusable {@link DuisMessage}. It reads the header and only the first few elements of
 * the body, then stops; it builds no tree.
 * <h2>What it reads</h2>
 * <pre>
 *   Request   (ns SERVICE_USER_GATEWAY)
 *     Header     RequestID, CommandVariant, ServiceReference, ServiceReferenceVariant      (any order; others skipped)
 *     Body
 *       &lt;service element&gt;, e.g. ActivateFirmware
 *         ExecutionDateTime?       leading children only: the parser reads children while they are an
 *         *RequestID*?             ExecutionDateTime or have RequestID in their local name, and stops at the first
 *         ...                      other element
 *         ...                      (DUIS's future-dated types put ExecutionDateTime first)
 *
 *   Response  (ns SERVICE_USER_GATEWAY as the DCC's samples write it, or RESPONSE_AND_ALERT)
 *     Header     RequestID?, ResponseID?, ResponseCode, ResponseDateTime   (at least one of the two IDs)
 *     Body
 *       ResponseMessage      ServiceReference, ServiceReferenceVariant, then stop     -> RESPONSE
 *       DeviceAlertMessage   AlertCode (four hex digits, e.g. 8F1C), then stop        -> DEVICE_ALERT
 *       DCCAlertMessage      DCCAlertCode (e.g. N24, AD1), then stop                  -> DCC_ALERT
 * </pre>
 * Elements are matched on namespace URI and local name, never on prefix; every DUIS element must be in its root's
 * namespace. A signature ({@code ds:Signature}) follows the body and is never reached.
 * <h2>Where it stops, and what "well formed" means here</h2>
 * The parser stops as soon as it has the fields above, so a 27 KB body costs about what a 2 KB one does. It checks
 * that the XML is well formed <em>up to that point</em> (StAX reports any error in what it has scanned, including a
 * document cut short there) and does not look further: text after the stop point is not read, so a document broken
 * only after it is accepted. That is the deliberate trade: the engine classifies and queues on these fields; checking
 * the whole document (XML schema, signature) is the DCC's validation downstream and costs a full read. A document cut
 * before the stop point, or missing a required field, is {@link DuisStatus#MALFORMED}. A document cut after it is
 * caught by one cheap check of its last bytes: they must be the root's end tag ({@code &lt;/sr:Request&gt;}, the prefix
 * as the start tag had it), with only whitespace after ({@link DuisDetail#TRUNCATED}); so a body torn in transit is
 * refused, at the cost of also refusing a comment or processing instruction after the root, which DUIS never sends.
 * <h2>Hardening</h2>
 * The JDK's own StAX implementation ({@link XMLInputFactory#newDefaultFactory()}, whatever else is on the class path)
 * with DTDs unsupported, external entities and external DTD access off and entity references not replaced. A document
 * with a DTD is refused at the DTD event ({@link DuisDetail#DTD_REFUSED}) before anything in it is expanded or
 * fetched, so there is no XXE and no entity expansion ("billion laughs"); a reference to any entity other than XML's
 * five predefined ones is refused too. No input escapes as an exception: anything the StAX reader throws is
 * {@link DuisDetail#NOT_XML} (before the root element) or {@link DuisDetail#NOT_WELL_FORMED} (after).
 * <h2>Encoding</h2>
 * DUIS documents are UTF-8. The parser decodes the bytes itself, strictly, and gives StAX characters: an encoding named
 * in the XML declaration is not consulted, a UTF-8 byte order mark is skipped, and a malformed byte sequence is
 * {@link DuisDetail#NOT_XML} or {@link DuisDetail#NOT_WELL_FORMED} like any other error (the JDK's own decoder would
 * also print it to standard error).
 * <h2>Allocation</h2>
 * Text is read from the reader's own character buffer ({@code getTextCharacters}) into fixed arrays: the parser
 * creates no strings. The factory and the decoding reader are created once; the JDK reader is reused across documents
 * ({@code reuse-instance}). What remains is what the JDK reader allocates per document.
 * <p>
 * Threading: not thread-safe; one parser per thread, reused for every document that thread reads.
 */
public final class DuisParser
{
    /** Namespace of DUIS requests and, in the DCC's samples, of responses and alerts. */
    public static final String SERVICE_USER_GATEWAY_NS = "http://www.dccinterface.co.uk/ServiceUserGateway";

    /** Namespace declared on DUIS responses (prefix {@code ra}); also accepted as the namespace of a response. */
    public static final String RESPONSE_AND_ALERT_NS = "http://www.dccinterface.co.uk/ResponseAndAlert";

    private static final String JDK_REUSE_INSTANCE = "reuse-instance";

    private static final int MAX_COMMAND_VARIANT = 8;
    private static final int EUI_TEXT_CHARS = 23;
    private static final int MAX_COUNTER_DIGITS = 20;
    private static final int ALERT_CODE_HEX_DIGITS = 4;

    private static final int HAVE_REQUEST_ID = 1;
    private static final int HAVE_RESPONSE_ID = 2;
    private static final int HAVE_COMMAND_VARIANT = 4;
    private static final int HAVE_SERVICE_REFERENCE = 8;
    private static final int HAVE_SERVICE_REFERENCE_VARIANT = 16;
    private static final int HAVE_RESPONSE_CODE = 32;

    private final XMLInputFactory factory;
    private final Utf8RegionReader input = new Utf8RegionReader();
    private final char[] text = new char[DuisMessage.MAX_TEXT_CHARS];
    private int textLength;
    private boolean textBad;
    private boolean spaceAfterText;
    private long euiValue;
    private boolean rootSeen;
    private String rootNs;
    private String rootPrefix;
    private String rootLocalName;

    /**
     * A parser with its own hardened StAX factory.
     */
    public DuisParser()
    {
        factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        setIfSupported(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        setIfSupported(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        setIfSupported(factory, JDK_REUSE_INSTANCE, Boolean.TRUE);
    }

    /**
     * Read one DUIS document. Never throws for any content of the range.
     *
     * @param bytes  holding the document.
     * @param offset index of its first byte.
     * @param length its length in bytes.
     * @param into   filled with what was read (and the reason when refused); reset first.
     * @return {@link DuisStatus#OK}, or {@link DuisStatus#MALFORMED} with {@link DuisMessage#detail()} saying why.
     * @throws IndexOutOfBoundsException when the range is not inside {@code bytes} (misuse, not bad input).
     */
    public DuisStatus parse(final byte[] bytes, final int offset, final int length, final DuisMessage into)
    {
        if (offset < 0 || length < 0 || offset > bytes.length - length)
        {
            throw new IndexOutOfBoundsException("DUIS document range " + offset + "+" + length + " outside " +
                bytes.length + " bytes");
        }
        into.reset(offset, length);
        rootSeen = false;
        rootNs = null;
        input.wrap(bytes, offset, length);

        String detail;
        XMLStreamReader reader = null;
        try
        {
            reader = factory.createXMLStreamReader(input);
            detail = readDocument(reader, into);
        }
        catch (final XMLStreamException | RuntimeException ex)
        {
            // The StAX reader reports what it cannot scan as exceptions; at this boundary they are bad input.
            detail = rootSeen ? DuisDetail.NOT_WELL_FORMED : DuisDetail.NOT_XML;
        }
        finally
        {
            closeQuietly(reader);
        }

        if (null == detail && !endsWithRootEndTag(bytes, offset, length))
        {
            detail = DuisDetail.TRUNCATED;
        }
        if (null == detail)
        {
            into.status = DuisStatus.OK;
            into.detail = null;
        }
        else
        {
            into.reset(offset, length);
            into.detail = detail;
        }
        return into.status;
    }

    /**
     * @return true when the range ends with the root's end tag, prefixed as its start tag was, whitespace allowed
     * before its closing bracket and after it.
     */
    private boolean endsWithRootEndTag(final byte[] bytes, final int offset, final int length)
    {
        int i = offset + length - 1;
        while (i >= offset && isWhitespace(bytes[i]))
        {
            i--;
        }
        if (i < offset || '>' != bytes[i])
        {
            return false;
        }
        i--;
        while (i >= offset && isWhitespace(bytes[i]))
        {
            i--;
        }
        i = endsWith(bytes, offset, i, rootLocalName);
        if (i >= offset && null != rootPrefix && !rootPrefix.isEmpty())
        {
            if (':' != bytes[i])
            {
                return false;
            }
            i = endsWith(bytes, offset, i - 1, rootPrefix);
        }
        return i >= offset + 1 && '/' == bytes[i] && '<' == bytes[i - 1];
    }

    /** @return the index before {@code name} when the bytes up to {@code last} end with it, else {@code offset - 1}. */
    private static int endsWith(final byte[] bytes, final int offset, final int last, final String name)
    {
        final int start = last - name.length() + 1;
        if (start < offset)
        {
            return offset - 1;
        }
        for (int k = 0; k < name.length(); k++)
        {
            if (bytes[start + k] != name.charAt(k))
            {
                return offset - 1;
            }
        }
        return start - 1;
    }

    private static boolean isWhitespace(final byte b)
    {
        return ' ' == b || '\t' == b || '\n' == b || '\r' == b;
    }

    private String readDocument(final XMLStreamReader reader, final DuisMessage into) throws XMLStreamException
    {
        // Prolog: the first element, refusing a DTD on the way.
        while (true)
        {
            final int event = reader.next();
            if (XMLStreamConstants.START_ELEMENT == event)
            {
                break;
            }
            if (XMLStreamConstants.DTD == event)
            {
                return DuisDetail.DTD_REFUSED;
            }
            if (XMLStreamConstants.ENTITY_REFERENCE == event)
            {
                return DuisDetail.ENTITY_REFUSED;
            }
            if (XMLStreamConstants.END_DOCUMENT == event)
            {
                return DuisDetail.NOT_XML;
            }
        }
        rootSeen = true;

        final String ns = reader.getNamespaceURI();
        final String root = reader.getLocalName();
        final boolean request;
        if (SERVICE_USER_GATEWAY_NS.equals(ns) && "Request".equals(root))
        {
            request = true;
        }
        else if ((SERVICE_USER_GATEWAY_NS.equals(ns) || RESPONSE_AND_ALERT_NS.equals(ns)) && "Response".equals(root))
        {
            request = false;
        }
        else if (SERVICE_USER_GATEWAY_NS.equals(ns) || RESPONSE_AND_ALERT_NS.equals(ns) ||
            "Request".equals(root) || "Response".equals(root))
        {
            return "Request".equals(root) || "Response".equals(root) ? DuisDetail.WRONG_NAMESPACE :
                DuisDetail.NOT_DUIS;
        }
        else
        {
            return DuisDetail.WRONG_NAMESPACE;
        }
        rootNs = SERVICE_USER_GATEWAY_NS.equals(ns) ? SERVICE_USER_GATEWAY_NS : RESPONSE_AND_ALERT_NS;
        rootPrefix = reader.getPrefix();
        rootLocalName = root;

        String detail = nextChild(reader);
        if (null != detail)
        {
            return detail;
        }
        if (XMLStreamConstants.START_ELEMENT != reader.getEventType() || !"Header".equals(reader.getLocalName()))
        {
            return DuisDetail.MISSING_HEADER;
        }
        if (!rootNs.equals(reader.getNamespaceURI()))
        {
            return DuisDetail.WRONG_NAMESPACE;
        }
        detail = readHeader(reader, into, request);
        if (null != detail)
        {
            return detail;
        }

        detail = nextChild(reader);
        if (null != detail)
        {
            return detail;
        }
        if (XMLStreamConstants.START_ELEMENT != reader.getEventType() || !"Body".equals(reader.getLocalName()))
        {
            return DuisDetail.MISSING_BODY;
        }
        if (!rootNs.equals(reader.getNamespaceURI()))
        {
            return DuisDetail.WRONG_NAMESPACE;
        }
        detail = nextChild(reader);
        if (null != detail)
        {
            return detail;
        }
        if (XMLStreamConstants.START_ELEMENT != reader.getEventType())
        {
            return DuisDetail.EMPTY_BODY;
        }
        if (!rootNs.equals(reader.getNamespaceURI()))
        {
            return DuisDetail.WRONG_NAMESPACE;
        }
        return request ? readRequestBody(reader, into) : readResponseBody(reader, into);
    }

    private String readHeader(final XMLStreamReader reader, final DuisMessage into, final boolean request)
        throws XMLStreamException
    {
        int seen = 0;
        while (true)
        {
            final String detail = nextChild(reader);
            if (null != detail)
            {
                return detail;
            }
            if (XMLStreamConstants.END_ELEMENT == reader.getEventType())
            {
                break;
            }
            if (!rootNs.equals(reader.getNamespaceURI()))
            {
                return DuisDetail.WRONG_NAMESPACE;
            }
            final String name = reader.getLocalName();
            final int field;
            String bad = null;
            switch (name)
            {
                case "RequestID":
                    field = HAVE_REQUEST_ID;
                    bad = readText(reader) && parseRequestId(into.requestId()) ? null : DuisDetail.BAD_REQUEST_ID;
                    break;
                case "ResponseID":
                    field = HAVE_RESPONSE_ID;
                    bad = readText(reader) && parseRequestId(into.responseId()) ? null : DuisDetail.BAD_REQUEST_ID;
                    break;
                case "CommandVariant":
                    field = HAVE_COMMAND_VARIANT;
                    into.commandVariant = readText(reader) ? parseCommandVariant() : 0;
                    bad = 0 == into.commandVariant ? DuisDetail.BAD_COMMAND_VARIANT : null;
                    break;
                case "ServiceReference":
                    field = HAVE_SERVICE_REFERENCE;
                    into.serviceReference = readText(reader) ? packSrv() : 0;
                    bad = 0 == into.serviceReference ? DuisDetail.BAD_SRV : null;
                    break;
                case "ServiceReferenceVariant":
                    field = HAVE_SERVICE_REFERENCE_VARIANT;
                    into.serviceReferenceVariant = readText(reader) ? packSrv() : 0;
                    bad = 0 == into.serviceReferenceVariant ? DuisDetail.BAD_SRV : null;
                    break;
                case "ResponseCode":
                    field = HAVE_RESPONSE_CODE;
                    bad = readText(reader) && into.responseCodeText().set(text, 0, textLength) ? null :
                        DuisDetail.BAD_RESPONSE_CODE;
                    break;
                default:
                    field = 0;
                    skipElement(reader);
                    break;
            }
            if (null != bad)
            {
                return bad;
            }
            if (0 != (seen & field))
            {
                return DuisDetail.DUPLICATE_FIELD;
            }
            seen |= field;
        }

        into.hasRequestId = 0 != (seen & HAVE_REQUEST_ID);
        into.hasResponseId = 0 != (seen & HAVE_RESPONSE_ID);
        if (request)
        {
            if (!into.hasRequestId)
            {
                return DuisDetail.MISSING_REQUEST_ID;
            }
            if (0 == into.srv())
            {
                return DuisDetail.MISSING_SRV;
            }
        }
        else if (!into.hasRequestId && !into.hasResponseId)
        {
            return DuisDetail.MISSING_REQUEST_ID;
        }
        return null;
    }

    private String readRequestBody(final XMLStreamReader reader, final DuisMessage into) throws XMLStreamException
    {
        into.kind = DuisKind.SERVICE_REQUEST;
        // At the service element: read its leading ExecutionDateTime / *RequestID* children, stop at any other.
        while (true)
        {
            final String detail = nextChild(reader);
            if (null != detail)
            {
                return detail;
            }
            if (XMLStreamConstants.END_ELEMENT == reader.getEventType() || !rootNs.equals(reader.getNamespaceURI()))
            {
                return null;
            }
            final String name = reader.getLocalName();
            if ("ExecutionDateTime".equals(name) && !into.hasExecutionDateTime())
            {
                if (!readText(reader) || !parseDateTime(into))
                {
                    return DuisDetail.BAD_DATE_TIME;
                }
            }
            else if (name.contains("RequestID") && !into.hasReferencedRequestId)
            {
                if (!readText(reader) || !parseRequestId(into.referencedRequestId()))
                {
                    return DuisDetail.BAD_REQUEST_ID;
                }
                into.hasReferencedRequestId = true;
            }
            else
            {
                return null;
            }
        }
    }

    private String readResponseBody(final XMLStreamReader reader, final DuisMessage into) throws XMLStreamException
    {
        into.serviceReference = 0;
        into.serviceReferenceVariant = 0;
        into.commandVariant = 0;
        switch (reader.getLocalName())
        {
            case "ResponseMessage":
                into.kind = DuisKind.RESPONSE;
                return readResponseMessage(reader, into);
            case "DeviceAlertMessage":
                into.kind = DuisKind.DEVICE_ALERT;
                return readAlertCode(reader, into, "AlertCode");
            case "DCCAlertMessage":
                into.kind = DuisKind.DCC_ALERT;
                return readAlertCode(reader, into, "DCCAlertCode");
            default:
                return DuisDetail.UNKNOWN_RESPONSE_BODY;
        }
    }

    private String readResponseMessage(final XMLStreamReader reader, final DuisMessage into)
        throws XMLStreamException
    {
        while (true)
        {
            final String detail = nextChild(reader);
            if (null != detail)
            {
                return detail;
            }
            if (XMLStreamConstants.END_ELEMENT == reader.getEventType() || !rootNs.equals(reader.getNamespaceURI()))
            {
                break;
            }
            final String name = reader.getLocalName();
            if ("ServiceReference".equals(name) && 0 == into.serviceReference)
            {
                into.serviceReference = readText(reader) ? packSrv() : 0;
                if (0 == into.serviceReference)
                {
                    return DuisDetail.BAD_SRV;
                }
            }
            else if ("ServiceReferenceVariant".equals(name) && 0 == into.serviceReferenceVariant)
            {
                into.serviceReferenceVariant = readText(reader) ? packSrv() : 0;
                if (0 == into.serviceReferenceVariant)
                {
                    return DuisDetail.BAD_SRV;
                }
                break;
            }
            else
            {
                break;
            }
        }
        return 0 == into.srv() ? DuisDetail.MISSING_SRV : null;
    }

    private String readAlertCode(final XMLStreamReader reader, final DuisMessage into, final String codeElement)
        throws XMLStreamException
    {
        while (true)
        {
            final String detail = nextChild(reader);
            if (null != detail)
            {
                return detail;
            }
            if (XMLStreamConstants.END_ELEMENT == reader.getEventType())
            {
                return DuisDetail.MISSING_ALERT_CODE;
            }
            if (!rootNs.equals(reader.getNamespaceURI()) || !codeElement.equals(reader.getLocalName()))
            {
                skipElement(reader);
                continue;
            }
            if (DuisKind.DEVICE_ALERT == into.kind)
            {
                into.alertCode = readText(reader) ? parseAlertCode() : DuisMessage.NO_ALERT_CODE;
                return DuisMessage.NO_ALERT_CODE == into.alertCode ? DuisDetail.BAD_ALERT_CODE : null;
            }
            into.dccAlertCode = readText(reader) ? AlertCode.packDccAlertOrZero(text, 0, textLength) : 0;
            if (0 == into.dccAlertCode)
            {
                return DuisDetail.BAD_DCC_ALERT_CODE;
            }
            into.dccAlertCodeBuffer().set(text, 0, textLength);
            return null;
        }
    }

    /**
     * Advance to the next child element's start, or to the end of the current element.
     *
     * @return null when there, else the reason to refuse.
     */
    private static String nextChild(final XMLStreamReader reader) throws XMLStreamException
    {
        while (true)
        {
            final int event = reader.next();
            switch (event)
            {
                case XMLStreamConstants.START_ELEMENT:
                case XMLStreamConstants.END_ELEMENT:
                    return null;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    return DuisDetail.ENTITY_REFUSED;
                case XMLStreamConstants.DTD:
                    return DuisDetail.DTD_REFUSED;
                case XMLStreamConstants.END_DOCUMENT:
                    return DuisDetail.NOT_WELL_FORMED;
                default:
                    break;   // text between elements, comments, processing instructions
            }
        }
    }

    /**
     * Skip the element whose start the reader is at, iteratively (no recursion however deep it nests).
     */
    private static void skipElement(final XMLStreamReader reader) throws XMLStreamException
    {
        int depth = 1;
        while (depth > 0)
        {
            final int event = reader.next();
            if (XMLStreamConstants.START_ELEMENT == event)
            {
                depth++;
            }
            else if (XMLStreamConstants.END_ELEMENT == event)
            {
                depth--;
            }
            else if (XMLStreamConstants.END_DOCUMENT == event)
            {
                throw new XMLStreamException("document ends inside an element");
            }
        }
    }

    /**
     * Read the text of the element whose start the reader is at, up to its end, into {@link #text} without the XML
     * white space at either end.
     *
     * @return false when the element has a child element or an entity reference, or its text is longer than the buffer
     * or has white space inside.
     */
    private boolean readText(final XMLStreamReader reader) throws XMLStreamException
    {
        textLength = 0;
        textBad = false;
        spaceAfterText = false;
        while (true)
        {
            final int event = reader.next();
            switch (event)
            {
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    return !textBad;
                case XMLStreamConstants.COMMENT:
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                    break;
                case XMLStreamConstants.START_ELEMENT:
                    return false;   // a field with child elements: refused, so the rest is never read
                case XMLStreamConstants.END_DOCUMENT:
                    throw new XMLStreamException("document ends inside an element");
                default:
                    return false;   // an entity reference
            }
        }
    }

    /**
     * Keep the characters of a field's text without XML white space at either end; white space inside, or more
     * characters than the buffer holds, makes the text bad (no field read here may contain either).
     */
    private void append(final char[] source, final int start, final int count)
    {
        for (int i = start, end = start + count; i < end && !textBad; i++)
        {
            final char c = source[i];
            if (isXmlSpace(c))
            {
                spaceAfterText = textLength > 0;
            }
            else if (spaceAfterText || textLength == text.length)
            {
                textBad = true;
            }
            else
            {
                text[textLength++] = c;
            }
        }
    }

    private static boolean isXmlSpace(final char c)
    {
        return ' ' == c || '\t' == c || '\n' == c || '\r' == c;
    }

    /**
     * {@code EUI-64:EUI-64:counter}, each EUI-64 eight dash-separated two-hex-digit groups (either case), the counter a
     * decimal from 1 to 2^64-1 (DUIS: an integer above 0 and below 2^64).
     */
    private boolean parseRequestId(final RequestId into)
    {
        final int length = textLength;
        if (length < 2 * EUI_TEXT_CHARS + 3 || length > 2 * EUI_TEXT_CHARS + 2 + MAX_COUNTER_DIGITS)
        {
            return false;
        }
        if (!parseEui(0))
        {
            return false;
        }
        final long originator = euiValue;
        if (':' != text[EUI_TEXT_CHARS] || !parseEui(EUI_TEXT_CHARS + 1))
        {
            return false;
        }
        final long target = euiValue;
        if (':' != text[2 * EUI_TEXT_CHARS + 1])
        {
            return false;
        }
        long counter = 0;
        for (int i = 2 * EUI_TEXT_CHARS + 2; i < length; i++)
        {
            final int digit = text[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }
            if (Long.compareUnsigned(counter, Long.divideUnsigned(-1L - digit, 10)) > 0)
            {
                return false;   // above 2^64-1
            }
            counter = counter * 10 + digit;
        }
        if (0 == counter)
        {
            return false;
        }
        into.set(originator, target, counter);
        return true;
    }

    private boolean parseEui(final int start)
    {
        long value = 0;
        for (int group = 0; group < 8; group++)
        {
            final int at = start + 3 * group;
            final int high = hexValue(text[at]);
            final int low = hexValue(text[at + 1]);
            if (high < 0 || low < 0 || (group < 7 && '-' != text[at + 2]))
            {
                return false;
            }
            value = (value << 8) | (high << 4) | low;
        }
        euiValue = value;
        return true;
    }

    private int parseCommandVariant()
    {
        if (1 != textLength)
        {
            return 0;
        }
        final int value = text[0] - '0';
        return value >= 1 && value <= MAX_COMMAND_VARIANT ? value : 0;
    }

    /**
     * Pack an SRV as {@link io.otaprio.protocol.SrvCode#parse} does, without throwing.
     *
     * @return the packed code, 0 when the text is not 1 to 4 dot-separated numbers from 1 to 255.
     */
    private int packSrv()
    {
        if (0 == textLength)
        {
            return 0;
        }
        int code = 0;
        int components = 0;
        int value = -1;
        for (int i = 0; i <= textLength; i++)
        {
            final char c = i < textLength ? text[i] : '.';
            if ('.' == c)
            {
                if (value < 1 || components == 4)
                {
                    return 0;
                }
                code |= value << (24 - 8 * components);
                components++;
                value = -1;
            }
            else if (c >= '0' && c <= '9')
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255)
                {
                    return 0;
                }
            }
            else
            {
                return 0;
            }
        }
        return code;
    }

    /**
     * A device alert code: four hex digits, either case (GBCS alert codes are 16 bits, written as in {@code 8F1C}).
     */
    private int parseAlertCode()
    {
        if (ALERT_CODE_HEX_DIGITS != textLength)
        {
            return DuisMessage.NO_ALERT_CODE;
        }
        int code = 0;
        for (int i = 0; i < ALERT_CODE_HEX_DIGITS; i++)
        {
            final int digit = hexValue(text[i]);
            if (digit < 0)
            {
                return DuisMessage.NO_ALERT_CODE;
            }
            code = (code << 4) | digit;
        }
        return code;
    }

    /**
     * An xs:dateTime with a four-digit year: {@code YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]}; no time zone is read
     * as UTC. Fraction digits past the ninth are ignored.
     */
    private boolean parseDateTime(final DuisMessage into)
    {
        final char[] t = text;
        final int n = textLength;
        if (n < 19 || '-' != t[4] || '-' != t[7] || 'T' != t[10] || ':' != t[13] || ':' != t[16])
        {
            return false;
        }
        final int year = digits(t, 0, 4);
        final int month = digits(t, 5, 2);
        final int day = digits(t, 8, 2);
        final int hour = digits(t, 11, 2);
        final int minute = digits(t, 14, 2);
        final int second = digits(t, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
            hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        {
            return false;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && '.' == t[i])
        {
            i++;
            final int fractionStart = i;
            int scale = 100_000_000;
            while (i < n && t[i] >= '0' && t[i] <= '9')
            {
                nanos += (t[i] - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == fractionStart)
            {
                return false;
            }
        }
        int offsetSeconds = 0;
        if (i < n)
        {
            if ('Z' == t[i] && i + 1 == n)
            {
                i++;
            }
            else if (('+' == t[i] || '-' == t[i]) && i + 6 == n && ':' == t[i + 3])
            {
                final int offsetHours = digits(t, i + 1, 2);
                final int offsetMinutes = digits(t, i + 4, 2);
                if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 ||
                    offsetHours * 60 + offsetMinutes > 14 * 60)
                {
                    return false;
                }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * ('-' == t[i] ? -1 : 1);
                i = n;
            }
            else
            {
                return false;
            }
        }

        final long epochSecond = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second -
            offsetSeconds;
        into.executionEpochSecond = epochSecond;
        into.executionNanoOfSecond = nanos;
        final long maxSecond = Long.MAX_VALUE / 1_000_000_000L;
        if (epochSecond >= maxSecond)
        {
            into.executionDateTimeNs = DuisMessage.FAR_FUTURE_NS;
        }
        else if (epochSecond <= -maxSecond)
        {
            into.executionDateTimeNs = DuisMessage.FAR_PAST_NS;
        }
        else
        {
            into.executionDateTimeNs = epochSecond * 1_000_000_000L + nanos;
        }
        return true;
    }

    private static int digits(final char[] t, final int start, final int count)
    {
        int value = 0;
        for (int i = start; i < start + count; i++)
        {
            final int digit = t[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int daysInMonth(final int year, final int month)
    {
        if (2 == month)
        {
            final boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return 4 == month || 6 == month || 9 == month || 11 == month ? 30 : 31;
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
     */
    private static long daysFromCivil(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = (y >= 0 ? y : y - 399) / 400;
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    private static int hexValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static void closeQuietly(final XMLStreamReader reader)
    {
        if (null != reader)
        {
            try
            {
                reader.close();   // lets the JDK factory reuse this reader for the next document
            }
            catch (final XMLStreamException | RuntimeException ignore)
            {
                // Nothing to release that matters: the input is an array.
            }
        }
    }

    private static void setIfSupported(final XMLInputFactory factory, final String name, final Object value)
    {
        try
        {
            factory.setProperty(name, value);
        }
        catch (final IllegalArgumentException unsupported)
        {
            // Not this implementation's property: the hardening above does not depend on it.
        }
    }
}
