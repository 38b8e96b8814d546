package io.otaprio.duis;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Writes well-formed DUIS documents in the published structure, for tests and the load generator: a Service Request
 * for any SRV (optionally future-dated, padded to a requested size), a response to one, a device alert, a DCC alert,
 * and the cancellation of a future-dated request. Every document is what {@link DuisParser} reads back to the values
 * given here.
 * <pre>
 *   &lt;sr:Request xmlns:sr="...ServiceUserGateway" xmlns:ds="...xmldsig#" schemaVersion="5.2"&gt;
 *     &lt;sr:Header&gt; RequestID, CommandVariant, ServiceReference, ServiceReferenceVariant &lt;/sr:Header&gt;
 *     &lt;sr:Body&gt;
 *       &lt;sr:SERVICE&gt; ExecutionDateTime?, entries up to the size asked &lt;/sr:SERVICE&gt;
 *     &lt;/sr:Body&gt;
 *     &lt;ds:Signature&gt; placeholder values &lt;/ds:Signature&gt;
 *   &lt;/sr:Request&gt;
 *
 *   &lt;sr:Response xmlns:sr="...ServiceUserGateway" xmlns:ra="...ResponseAndAlert" schemaVersion="5.2"&gt;
 *     &lt;sr:Header&gt; RequestID?, ResponseID, ResponseCode, ResponseDateTime &lt;/sr:Header&gt;
 *     &lt;sr:Body&gt; ResponseMessage | DeviceAlertMessage | DCCAlertMessage &lt;/sr:Body&gt;
 *   &lt;/sr:Response&gt;
 * </pre>
 * The service element's name is descriptive (the Service Request's name in words, such as
 * {@code ReadInstantaneousImportRegisters} for 4.1.1, or {@code ServiceRequest} for SRVs without one here); its content
 * is realistic-looking filler (price entries, dates, hex and base64 values) drawn from the seed, not a valid
 * instance of that Service Request's schema. Signatures are placeholders. The same seed and the same calls give the
 * same bytes.
 * <p>
 * Not for the hot path: each document is built in a reused {@link StringBuilder} and returned as a new array.
 * <p>
 * Threading: not thread-safe; one writer per thread.
 */
public final class DuisWriter
{
    /** The {@code schemaVersion} attribute written on every root. */
    public static final String SCHEMA_VERSION = "5.2";

    /** The {@code ExecutionDateTime} written by {@link #cancellation}: 3000-12-31T00:00:00Z. */
    public static final String CANCELLATION_DATE_TIME = "3000-12-31T00:00:00Z";

    /** The {@code CommandVariant} of a cancellation, as the DCC's test requests send it. */
    public static final int CANCELLATION_COMMAND_VARIANT = 4;

    private static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final long RESPONSE_TIME_BASE_SECOND = 1_893_456_000L;   // 2030-01-01T00:00:00Z
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final char[] BASE64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private static final String[][] SERVICE_NAMES = {
        { "1.1.1", "UpdateImportTariffPrimaryElement" }, { "1.2.1", "UpdatePricePrimaryElement" },
        { "1.6", "UpdatePaymentMode" }, { "2.2", "TopUpDevice" }, { "2.3", "UpdateDebt" },
        { "2.5", "ActivateEmergencyCredit" }, { "4.1.1", "ReadInstantaneousImportRegisters" },
        { "4.8.1", "ReadActiveImportProfileData" }, { "4.11.1", "ReadTariffPrimaryElement" },
        { "4.13", "ReadPrepaymentConfiguration" }, { "4.18", "ReadMeterBalance" }, { "5.1", "CreateSchedule" },
        { "5.3", "DeleteSchedule" }, { "6.2.1", "ReadDeviceConfigurationVoltage" },
        { "6.15.1", "UpdateSecurityCredentialsKRP" }, { "7.1", "EnableSupply" }, { "7.2", "DisableSupply" },
        { "7.3", "ArmSupply" }, { "7.4", "ReadSupplyStatus" }, { "8.1.1", "CommissionDevice" },
        { "8.7.1", "JoinServiceCritical" }, { "8.7.2", "JoinServiceNonCritical" }, { "8.9", "ReadDeviceLog" },
        { "8.14.3", "CommunicationsHubStatusUpdateFaultReturn" }, { "11.1", "UpdateFirmware" },
        { "11.2", "ReadFirmwareVersion" }, { "11.3", "ActivateFirmware" }, { "12.2", "DevicePreNotification" },
        { "14.1", "RecordNetworkDataGas" },
    };

    private final SplittableRandom random;
    private final StringBuilder sb = new StringBuilder(32 * 1024);

    /**
     * @param seed of the filler content and of the times written in responses and alerts.
     */
    public DuisWriter(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    /**
     * A Service Request, not future-dated.
     *
     * @param requestId      its RequestID.
     * @param srv            its SRV, packed as {@link SrvCode} packs it; its first two components are the
     *                       ServiceReference.
     * @param commandVariant 1 to 8.
     * @param targetBytes    the size to pad the document to (it is never smaller than its header, body start and
     *                       signature: about 1.2 KB).
     * @return the document, UTF-8.
     */
    public byte[] request(final RequestId requestId, final int srv, final int commandVariant, final int targetBytes)
    {
        return request(requestId, srv, commandVariant, (CharSequence)null, targetBytes);
    }

    /**
     * A Service Request, future-dated.
     *
     * @param requestId           its RequestID.
     * @param srv                 its SRV, packed.
     * @param commandVariant      1 to 8.
     * @param executionDateTimeNs when it is to run, in nanoseconds since the epoch; {@link DuisMessage#NO_DATE_TIME}
     *                            for an immediate request.
     * @param targetBytes         the size to pad the document to.
     * @return the document, UTF-8.
     */
    public byte[] request(
        final RequestId requestId,
        final int srv,
        final int commandVariant,
        final long executionDateTimeNs,
        final int targetBytes)
    {
        final String dateTime = DuisMessage.NO_DATE_TIME == executionDateTimeNs ? null :
            Instant.ofEpochSecond(Math.floorDiv(executionDateTimeNs, 1_000_000_000L),
                Math.floorMod(executionDateTimeNs, 1_000_000_000L)).toString();
        return request(requestId, srv, commandVariant, dateTime, targetBytes);
    }

    /**
     * A Service Request with its {@code ExecutionDateTime} written as given.
     *
     * @param requestId         its RequestID.
     * @param srv               its SRV, packed.
     * @param commandVariant    1 to 8.
     * @param executionDateTime an xs:dateTime such as {@code 2030-01-15T09:00:00+01:00}, or null for none.
     * @param targetBytes       the size to pad the document to.
     * @return the document, UTF-8.
     */
    public byte[] request(
        final RequestId requestId,
        final int srv,
        final int commandVariant,
        final CharSequence executionDateTime,
        final int targetBytes)
    {
        checkSrv(srv);
        if (commandVariant < 1 || commandVariant > 8)
        {
            throw new IllegalArgumentException("DUIS CommandVariant must be 1 to 8, got " + commandVariant);
        }
        final String service = serviceName(srv);
        sb.setLength(0);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sr:Request xmlns:ds=\"").append(DSIG_NS)
            .append("\" xmlns:sr=\"").append(DuisParser.SERVICE_USER_GATEWAY_NS)
            .append("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" schemaVersion=\"")
            .append(SCHEMA_VERSION).append("\">\n  <sr:Header>\n");
        element("RequestID", requestId);
        element("CommandVariant", Integer.toString(commandVariant));
        element("ServiceReference", SrvCode.toString(SrvCode.prefix(srv, 2)));
        element("ServiceReferenceVariant", SrvCode.toString(srv));
        sb.append("  </sr:Header>\n  <sr:Body>\n    <sr:").append(service).append(">\n");
        if (null != executionDateTime)
        {
            sb.append("      <sr:ExecutionDateTime>").append(executionDateTime).append("</sr:ExecutionDateTime>\n");
        }
        final int bodyEnd = sb.length();
        final String tail = "    </sr:" + service + ">\n  </sr:Body>\n";
        final String signature = signature();
        final int fixed = bodyEnd + tail.length() + signature.length() + "</sr:Request>\n".length();
        pad(targetBytes - fixed);
        sb.append(tail).append(signature).append("</sr:Request>\n");
        return bytes();
    }

    /**
     * The cancellation of a future-dated request: the same SRV to the same device, sent again with
     * {@link #CANCELLATION_COMMAND_VARIANT} and {@link #CANCELLATION_DATE_TIME}, as the DCC's own DUIS test requests
     * cancel one.
     *
     * @param requestId the cancellation's own RequestID (a new counter).
     * @param srv       the SRV of the request to cancel.
     * @return the document, UTF-8.
     */
    public byte[] cancellation(final RequestId requestId, final int srv)
    {
        return request(requestId, srv, CANCELLATION_COMMAND_VARIANT, CANCELLATION_DATE_TIME, 0);
    }

    /**
     * A response to a Service Request: a {@code ResponseMessage} with its SRV and a GBCS payload.
     *
     * @param requestId    the request's RequestID; the ResponseID is its target, originator and counter.
     * @param srv          the request's SRV, packed.
     * @param responseCode such as {@code I0} (success) or {@code E65}.
     * @return the document, UTF-8.
     */
    public byte[] response(final RequestId requestId, final int srv, final String responseCode)
    {
        checkSrv(srv);
        responseStart(requestId, new RequestId(requestId.target(), requestId.originator(), requestId.counter()),
            responseCode);
        sb.append("    <sr:ResponseMessage>\n");
        element("ServiceReference", SrvCode.toString(SrvCode.prefix(srv, 2)));
        element("ServiceReferenceVariant", SrvCode.toString(srv));
        sb.append("      <sr:GBCSPayload>");
        base64(48 + random.nextInt(96));
        sb.append("</sr:GBCSPayload>\n    </sr:ResponseMessage>\n");
        return responseEnd();
    }

    /**
     * A device alert: a {@code DeviceAlertMessage} with its code and a GBCS payload.
     *
     * @param responseId the alert's ResponseID (the device, the User, the device's counter).
     * @param alertCode  0 to 0xFFFF, written as four hex digits.
     * @return the document, UTF-8.
     */
    public byte[] deviceAlert(final RequestId responseId, final int alertCode)
    {
        if ((alertCode & ~0xFFFF) != 0)
        {
            throw new IllegalArgumentException("a device alert code is 16 bits, got 0x" +
                Integer.toHexString(alertCode));
        }
        responseStart(null, responseId, "I0");
        sb.append("    <sr:DeviceAlertMessage>\n      <sr:AlertCode>");
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            sb.append(HEX[(alertCode >>> shift) & 0xF]);
        }
        sb.append("</sr:AlertCode>\n      <sr:GBCSPayload>");
        base64(40 + random.nextInt(64));
        sb.append("</sr:GBCSPayload>\n    </sr:DeviceAlertMessage>\n");
        return responseEnd();
    }

    /**
     * A DCC alert: a {@code DCCAlertMessage} with its code and some alert detail.
     *
     * @param responseId   the alert's ResponseID.
     * @param dccAlertCode such as {@code N24}: 1 to 5 characters of {@code [0-9A-Z]}.
     * @return the document, UTF-8.
     */
    public byte[] dccAlert(final RequestId responseId, final String dccAlertCode)
    {
        if (0 == AlertCode.packDccAlertOrZero(dccAlertCode))
        {
            throw new IllegalArgumentException("a DCC alert code is 1 to 5 of [0-9A-Z], got \"" + dccAlertCode + "\"");
        }
        responseStart(null, responseId, "I0");
        sb.append("    <sr:DCCAlertMessage>\n      <sr:DCCAlertCode>").append(dccAlertCode)
            .append("</sr:DCCAlertCode>\n      <sr:DCCAlert>\n        <sr:AlertDetail>");
        hex(16);
        sb.append("</sr:AlertDetail>\n      </sr:DCCAlert>\n    </sr:DCCAlertMessage>\n");
        return responseEnd();
    }

    /**
     * @param srv a packed SRV.
     * @return the service element name written for it in requests.
     */
    public static String serviceName(final int srv)
    {
        final String text = SrvCode.toString(srv);
        for (final String[] entry : SERVICE_NAMES)
        {
            if (entry[0].equals(text))
            {
                return entry[1];
            }
        }
        return "ServiceRequest";
    }

    private void responseStart(final RequestId requestId, final RequestId responseId, final String responseCode)
    {
        sb.setLength(0);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sr:Response xmlns:sr=\"")
            .append(DuisParser.SERVICE_USER_GATEWAY_NS)
            .append("\" xmlns:ra=\"").append(DuisParser.RESPONSE_AND_ALERT_NS)
            .append("\" schemaVersion=\"").append(SCHEMA_VERSION).append("\">\n  <sr:Header>\n");
        if (null != requestId)
        {
            element("RequestID", requestId);
        }
        element("ResponseID", responseId);
        element("ResponseCode", responseCode);
        element("ResponseDateTime", Instant.ofEpochSecond(RESPONSE_TIME_BASE_SECOND + random.nextInt(86_400 * 365),
            random.nextInt(1000) * 1_000_000L).toString());
        sb.append("  </sr:Header>\n  <sr:Body>\n");
    }

    private byte[] responseEnd()
    {
        sb.append("  </sr:Body>\n</sr:Response>\n");
        return bytes();
    }

    private void element(final String name, final RequestId value)
    {
        sb.append("    <sr:").append(name).append('>');
        value.appendTo(sb);
        sb.append("</sr:").append(name).append(">\n");
    }

    private void element(final String name, final String value)
    {
        sb.append("    <sr:").append(name).append('>').append(value).append("</sr:").append(name).append(">\n");
    }

    /**
     * Append price entries while the next one still fits in {@code bytes}.
     */
    private void pad(final int bytes)
    {
        final int limit = sb.length() + bytes;
        int index = 1;
        while (true)
        {
            final int start = sb.length();
            sb.append("      <sr:PriceEntry>\n        <sr:Index>").append(index++).append("</sr:Index>\n")
                .append("        <sr:StartDate>20").append(30 + random.nextInt(10)).append('-')
                .append(two(1 + random.nextInt(12))).append('-').append(two(1 + random.nextInt(28)))
                .append("</sr:StartDate>\n        <sr:UnitRate>").append(random.nextInt(1_000_000))
                .append("</sr:UnitRate>\n        <sr:StandingCharge>").append(random.nextInt(100_000))
                .append("</sr:StandingCharge>\n        <sr:Register>");
            hex(8);
            sb.append("</sr:Register>\n      </sr:PriceEntry>\n");
            if (sb.length() > limit)
            {
                sb.setLength(start);
                return;
            }
        }
    }

    private String signature()
    {
        final int start = sb.length();
        sb.append("  <ds:Signature>\n    <ds:SignedInfo>\n")
            .append("      <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\n")
            .append("      <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>\n")
            .append("      <ds:Reference URI=\"\">\n        <ds:Transforms>\n")
            .append("          <ds:Transform Algorithm=\"").append(DSIG_NS).append("enveloped-signature\"/>\n")
            .append("        </ds:Transforms>\n")
            .append("        <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\n")
            .append("        <ds:DigestValue>");
        base64(44);
        sb.append("</ds:DigestValue>\n      </ds:Reference>\n    </ds:SignedInfo>\n    <ds:SignatureValue>");
        base64(88);
        sb.append("</ds:SignatureValue>\n    <ds:KeyInfo>\n      <ds:X509Data>\n        <ds:X509IssuerSerial>\n")
            .append("          <ds:X509IssuerName>CN=U1, OU=07</ds:X509IssuerName>\n")
            .append("          <ds:X509SerialNumber>").append(Math.abs(random.nextLong() >> 1))
            .append("</ds:X509SerialNumber>\n        </ds:X509IssuerSerial>\n      </ds:X509Data>\n")
            .append("    </ds:KeyInfo>\n  </ds:Signature>\n");
        final String signature = sb.substring(start);
        sb.setLength(start);
        return signature;
    }

    private void base64(final int chars)
    {
        for (int i = 0; i < chars; i++)
        {
            sb.append(BASE64[random.nextInt(BASE64.length)]);
        }
    }

    private void hex(final int chars)
    {
        for (int i = 0; i < chars; i++)
        {
            sb.append(HEX[random.nextInt(HEX.length)]);
        }
    }

    private static String two(final int value)
    {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    private byte[] bytes()
    {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void checkSrv(final int srv)
    {
        if (0 == srv || !SrvCode.isValid(srv))
        {
            throw new IllegalArgumentException("not a packed SRV code: 0x" + Integer.toHexString(srv));
        }
    }
}
