package io.otaprio.duis;

import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuisParserTest
{
    static final String SR = DuisParser.SERVICE_USER_GATEWAY_NS;
    static final String RA = DuisParser.RESPONSE_AND_ALERT_NS;
    static final RequestId ID = RequestId.parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888");

    private final DuisParser parser = new DuisParser();
    private final DuisMessage message = new DuisMessage();
    private final DuisWriter writer = new DuisWriter(42);

    @Test
    void shouldReadAFutureDatedRequestsHeaderAndExecutionDateTime()
    {
        final String doc = request("<sr:ActivateFirmware><sr:ExecutionDateTime>2030-01-15T09:00:00+01:00" +
            "</sr:ExecutionDateTime><sr:FirmwareHash>AA75</sr:FirmwareHash></sr:ActivateFirmware>", "11.3", "11.3", 4);

        assertOk(doc);
        assertSame(DuisKind.SERVICE_REQUEST, message.kind());
        assertEquals(ID, message.requestId());
        assertTrue(message.hasRequestId());
        assertEquals(SrvCode.parse("11.3"), message.srv());
        assertEquals(4, message.commandVariant());
        assertEquals(Instant.parse("2030-01-15T08:00:00Z").getEpochSecond() * 1_000_000_000L,
            message.executionDateTimeNs());
        assertFalse(message.isCancellation());
        assertNull(message.detail());
        assertEquals(message.srv(), message.classificationCode());
    }

    @Test
    void shouldClassifyOnTheVariantAndKeepTheReference()
    {
        assertOk(request("<sr:ReadInstantaneousImportRegisters/>", "4.1", "4.1.1", 1));
        assertEquals(SrvCode.parse("4.1.1"), message.srv());
        assertEquals(SrvCode.parse("4.1"), message.serviceReference());
        assertEquals(SrvCode.parse("4.1.1"), message.serviceReferenceVariant());
        assertFalse(message.hasExecutionDateTime());
        assertEquals(DuisMessage.NO_DATE_TIME, message.executionDateTimeNs());
    }

    @Test
    void shouldMatchOnNamespaceNotPrefix()
    {
        final String unprefixed = "<Request xmlns=\"" + SR + "\"><Header><RequestID>" + ID +
            "</RequestID><CommandVariant>1</CommandVariant><ServiceReference>2.2</ServiceReference>" +
            "<ServiceReferenceVariant>2.2</ServiceReferenceVariant></Header><Body><TopUpDevice/></Body></Request>";
        assertOk(unprefixed);
        assertEquals(SrvCode.parse("2.2"), message.srv());

        assertOk(request("<sr:TopUpDevice/>", "2.2", "2.2", 1).replace("sr:", "duis:")
            .replace("xmlns:sr", "xmlns:duis"));
        assertEquals(SrvCode.parse("2.2"), message.srv());

        // The prefix sr bound to another namespace is another element, whatever it is called.
        assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1).replace(SR, "urn:not-duis"),
            DuisDetail.WRONG_NAMESPACE);
    }

    @Test
    void shouldReadResponsesAndAlertsInEitherDuisNamespace()
    {
        for (final String ns : new String[]{ SR, RA })
        {
            assertOk(response(ns, "<sr:ResponseMessage><sr:ServiceReference>11.2</sr:ServiceReference>" +
                "<sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant><sr:GBCSPayload>3QAA</sr:GBCSPayload>" +
                "</sr:ResponseMessage>"));
            assertSame(DuisKind.RESPONSE, message.kind());
            assertEquals(SrvCode.parse("11.2"), message.srv());
            assertEquals("I0", message.responseCode().toString());
            assertEquals(ID, message.requestId());
            assertEquals(ID, message.identity());

            assertOk(response(ns, "<sr:DeviceAlertMessage><sr:AlertCode>8f1c</sr:AlertCode></sr:DeviceAlertMessage>"));
            assertSame(DuisKind.DEVICE_ALERT, message.kind());
            assertEquals(0x8F1C, message.alertCode());
            assertEquals(0x8F1C, message.classificationCode());

            assertOk(response(ns, "<sr:DCCAlertMessage><sr:DCCAlertCode>AD1</sr:DCCAlertCode><sr:DCCAlert/>" +
                "</sr:DCCAlertMessage>"));
            assertSame(DuisKind.DCC_ALERT, message.kind());
            assertEquals("AD1", message.dccAlertCodeText().toString());
            assertEquals(AlertCode.packDccAlert("AD1"), message.dccAlertCode());
            assertEquals(AlertCode.packDccAlert("AD1"), message.classificationCode());
        }
    }

    @Test
    void shouldReadWhatTheWriterWroteForEveryKind()
    {
        final int srv = SrvCode.parse("8.7.1");
        assertOk(writer.request(ID, srv, 1, 2048));
        assertEquals(srv, message.srv());
        assertEquals(SrvCode.parse("8.7"), message.serviceReference());

        assertOk(writer.response(ID, srv, "E65"));
        assertSame(DuisKind.RESPONSE, message.kind());
        assertEquals("E65", message.responseCode().toString());
        assertEquals(new RequestId(ID.target(), ID.originator(), ID.counter()), message.responseId());

        assertOk(writer.deviceAlert(ID, 0x8002));
        assertSame(DuisKind.DEVICE_ALERT, message.kind());
        assertFalse(message.hasRequestId());
        assertEquals(ID, message.identity());
        assertEquals(0x8002, message.alertCode());

        assertOk(writer.dccAlert(ID, "N24"));
        assertSame(DuisKind.DCC_ALERT, message.kind());
        assertEquals("N24", message.dccAlertCodeText().toString());
    }

    @Test
    void shouldRecogniseTheCancellationOfAFutureDatedRequest()
    {
        assertOk(writer.cancellation(ID, SrvCode.parse("1.6")));
        assertTrue(message.isCancellation());
        assertEquals(DuisMessage.FAR_FUTURE_NS, message.executionDateTimeNs());
        assertEquals(DuisMessage.CANCELLATION_EPOCH_SECOND, message.executionEpochSecond());
        assertEquals(Instant.parse(DuisWriter.CANCELLATION_DATE_TIME).getEpochSecond(),
            DuisMessage.CANCELLATION_EPOCH_SECOND);
        assertEquals(DuisWriter.CANCELLATION_COMMAND_VARIANT, message.commandVariant());

        assertOk(writer.request(ID, SrvCode.parse("1.6"), 4, "3000-12-31T00:00:01Z", 0));
        assertFalse(message.isCancellation());
    }

    @Test
    void shouldExposeALeadingRequestIdChildOfTheServiceElementAsTheReferencedRequest()
    {
        final RequestId other = new RequestId(0x90B3D51F30010000L, 0x00DB1234567890A0L, 7);
        assertOk(request("<sr:UpdatePaymentMode><sr:ExecutionDateTime>3000-12-31T00:00:00Z</sr:ExecutionDateTime>" +
            "<sr:OriginalRequestID>" + other + "</sr:OriginalRequestID><sr:Credit/></sr:UpdatePaymentMode>",
            "1.6", "1.6", 4));
        assertTrue(message.hasReferencedRequestId());
        assertEquals(other, message.referencedRequestId());
        assertTrue(message.isCancellation());

        assertOk(request("<sr:UpdatePaymentMode><sr:Credit/><sr:OriginalRequestID>" + other +
            "</sr:OriginalRequestID></sr:UpdatePaymentMode>", "1.6", "1.6", 4));
        assertFalse(message.hasReferencedRequestId(), "only leading children are read");

        assertMalformed(request("<sr:X><sr:OriginalRequestID>90-B3:1</sr:OriginalRequestID></sr:X>", "1.6", "1.6", 4),
            DuisDetail.BAD_REQUEST_ID);
    }

    @Test
    void shouldReadTheDocumentInsideALargerArrayAndReportItsRange()
    {
        final byte[] doc = writer.request(ID, SrvCode.parse("2.2"), 1, 2048);
        final byte[] frame = new byte[doc.length + 100];
        Arrays.fill(frame, (byte)'<');
        System.arraycopy(doc, 0, frame, 37, doc.length);
        assertSame(DuisStatus.OK, parser.parse(frame, 37, doc.length, message));
        assertEquals(37, message.documentOffset());
        assertEquals(doc.length, message.documentLength());
        assertEquals(SrvCode.parse("2.2"), message.srv());
    }

    @Test
    void shouldStopAfterTheFieldsItNeedsSoLaterDamageIsNotRead()
    {
        final String doc = request("<sr:TopUpDevice><sr:Amount>5</sr:Amount></sr:WrongEnd></sr:Body></sr:Request>",
            "2.2", "2.2", 1);
        assertOk(doc);
        assertEquals(SrvCode.parse("2.2"), message.srv());
    }

    @Test
    void shouldAcceptCountersUpToTwoToTheSixtyFourMinusOne()
    {
        assertOk(request("<sr:TopUpDevice/>", "2.2", "2.2", 1, "90-b3-d5-1f-30-01-00-00:00-DB-12-34-56-78-90-A0:" +
            "18446744073709551615"));
        assertEquals(-1L, message.requestId().counter());
        assertEquals(0x90B3D51F30010000L, message.requestId().originator());
    }

    @Test
    void shouldReadEachDateTimeForm()
    {
        final String[][] cases = {
            { "2030-01-15T09:00:00Z", "2030-01-15T09:00:00Z" },
            { "2030-01-15T09:00:00.00Z", "2030-01-15T09:00:00Z" },
            { "2030-01-15T09:00:00.123456789Z", "2030-01-15T09:00:00.123456789Z" },
            { "2030-01-15T09:00:00-05:30", "2030-01-15T14:30:00Z" },
            { "2030-01-15T09:00:00", "2030-01-15T09:00:00Z" },
            { "2028-02-29T23:59:59+14:00", "2028-02-29T09:59:59Z" },
            { "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z" },
            { "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z" },
        };
        for (final String[] c : cases)
        {
            assertOk(request("<sr:X><sr:ExecutionDateTime> " + c[0] + "\n</sr:ExecutionDateTime></sr:X>", "6.8", "6.8",
                4));
            final Instant expected = Instant.parse(c[1]);
            assertEquals(expected.getEpochSecond() * 1_000_000_000L + expected.getNano(), message.executionDateTimeNs(),
                c[0]);
            assertEquals(expected.getEpochSecond(), message.executionEpochSecond(), c[0]);
        }
    }

    @Test
    void shouldRefuseWhatIsNotXml()
    {
        assertMalformed("", DuisDetail.NOT_XML);
        assertMalformed("hello", DuisDetail.NOT_XML);
        assertMalformed("{\"RequestID\": \"1\"}", DuisDetail.NOT_XML);
        assertMalformed("<?xml version=\"1.0\"?>", DuisDetail.NOT_XML);
        assertMalformed(new byte[]{ (byte)0xFF, (byte)0xFE, 0, 0, 1, 2, 3 }, DuisDetail.NOT_XML);
        assertMalformed("<sr:Request xmlns:sr=\"" + SR + "\"><sr:Header><sr:RequestID>" + ID + "</sr:Header>",
            DuisDetail.NOT_WELL_FORMED);
    }

    @Test
    void shouldRefuseADtdWithoutExpandingItsEntities()
    {
        final StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n" +
            " <!ENTITY lol \"lol\">\n <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++)
        {
            laughs.append(" <!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++)
            {
                laughs.append("&lol").append(i - 1).append(';');
            }
            laughs.append("\">\n");
        }
        laughs.append("]>\n").append(request("<sr:TopUpDevice/>", "2.2", "2.2", 1, "&lol9;").substring(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".length()));

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertMalformed(laughs.toString(),
            DuisDetail.DTD_REFUSED));
    }

    @Test
    void shouldRefuseAnExternalEntityAndNeverReadTheFile(@TempDir final Path dir) throws IOException
    {
        final String secret = "TOP-SECRET-4242";
        final Path file = Files.writeString(dir.resolve("secret.txt"), secret);
        final String body = request("<sr:TopUpDevice/>", "2.2", "2.2", 1).substring(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>".length());

        final String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE sr:Request [ <!ENTITY xxe SYSTEM \"" +
            file.toUri() + "\"> ]>\n" + body.replace("</sr:RequestID>", "&xxe;</sr:RequestID>");
        assertMalformed(xxe, DuisDetail.DTD_REFUSED);
        assertFalse(message.toString().contains(secret));
        assertEquals(0, message.responseCode().length());

        final String externalDtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE sr:Request SYSTEM \"" + file.toUri() + "\">\n" +
            body;
        assertMalformed(externalDtd, DuisDetail.DTD_REFUSED);

        final String inResponseCode = "<?xml version=\"1.0\"?>\n<!DOCTYPE sr:Response [ <!ENTITY xxe SYSTEM \"" +
            file.toUri() + "\"> ]>\n" + response(SR, "<sr:DeviceAlertMessage><sr:AlertCode>8F1C</sr:AlertCode>" +
            "</sr:DeviceAlertMessage>").substring("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".length())
            .replace(">I0<", ">&xxe;<");
        assertMalformed(inResponseCode, DuisDetail.DTD_REFUSED);
        assertFalse(message.responseCode().toString().contains(secret));

        // Without a DTD the entity is undeclared: refused too, and still nothing read.
        assertMalformedAnyDetail(body.replace("</sr:RequestID>", "&xxe;</sr:RequestID>"));
        assertFalse(message.toString().contains(secret));
    }

    @Test
    void shouldRefuseAWrongNamespaceOrRoot()
    {
        assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1).replace(SR, RA), DuisDetail.WRONG_NAMESPACE);
        assertMalformed("<Request><Header/></Request>", DuisDetail.WRONG_NAMESPACE);
        assertMalformed("<sr:Envelope xmlns:sr=\"" + SR + "\"/>", DuisDetail.NOT_DUIS);
        assertMalformed("<html><body>hi</body></html>", DuisDetail.WRONG_NAMESPACE);

        final String headerFieldElsewhere = request("<sr:TopUpDevice/>", "2.2", "2.2", 1)
            .replace("<sr:CommandVariant>1</sr:CommandVariant>",
                "<x:CommandVariant xmlns:x=\"urn:other\">1</x:CommandVariant>");
        assertMalformed(headerFieldElsewhere, DuisDetail.WRONG_NAMESPACE);
    }

    @Test
    void shouldRefuseABadRequestId()
    {
        final String[] bad = {
            "90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90:12884901888",        // 7-byte EUIs
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90:12884901888",     // one 7-byte EUI
            "90B3D51F30010000:00DB1234567890A0:12884901888",                 // no dashes
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0",               // no counter
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:0",              // DUIS counters are above 0
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-G0:1",
            "90-B3-D5-1F-30-01-00-00;00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1:2",
            "",
        };
        for (final String id : bad)
        {
            assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1, id), DuisDetail.BAD_REQUEST_ID);
        }
        assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1, ID + "<sr:Inner/>"), DuisDetail.BAD_REQUEST_ID);
        assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1).replace("<sr:RequestID>" + ID + "</sr:RequestID>",
            ""), DuisDetail.MISSING_REQUEST_ID);
        assertMalformed(request("<sr:TopUpDevice/>", "2.2", "2.2", 1).replace("<sr:CommandVariant>",
            "<sr:RequestID>" + ID + "</sr:RequestID><sr:CommandVariant>"), DuisDetail.DUPLICATE_FIELD);
        assertMalformed(response(SR, "<sr:DeviceAlertMessage><sr:AlertCode>8F1C</sr:AlertCode>" +
            "</sr:DeviceAlertMessage>").replace("<sr:RequestID>" + ID + "</sr:RequestID>", ""),
            DuisDetail.MISSING_REQUEST_ID);
    }

    @Test
    void shouldRefuseAnSrvThatIsNotAnSrv()
    {
        for (final String srv : new String[]{ "99.99.99.99.9", "abc", "", "4..1", "4.1.", "256.1", "0.1", "4.1.1 x" })
        {
            assertMalformed(request("<sr:X/>", "4.1", srv, 1), DuisDetail.BAD_SRV);
            assertMalformed(request("<sr:X/>", srv, "4.1.1", 1), DuisDetail.BAD_SRV);
        }
        assertMalformed(request("<sr:X/>", "4.1", "4.1.1", 1).replace("<sr:ServiceReference>4.1</sr:ServiceReference>",
            "").replace("<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>", ""), DuisDetail.MISSING_SRV);
        assertMalformed(response(SR, "<sr:ResponseMessage><sr:GBCSPayload>3QAA</sr:GBCSPayload></sr:ResponseMessage>"),
            DuisDetail.MISSING_SRV);
        assertMalformed(response(SR, "<sr:ResponseMessage><sr:ServiceReferenceVariant>abc" +
            "</sr:ServiceReferenceVariant>" +
            "</sr:ResponseMessage>"), DuisDetail.BAD_SRV);
    }

    @Test
    void shouldRefuseBadCommandVariantsAlertCodesAndDateTimes()
    {
        for (final String cv : new String[]{ "0", "9", "11", "a", "" })
        {
            assertMalformed(request("<sr:X/>", "2.2", "2.2", 1).replace("<sr:CommandVariant>1<",
                "<sr:CommandVariant>" + cv + "<"), DuisDetail.BAD_COMMAND_VARIANT);
        }
        for (final String code : new String[]{ "0x8F1C", "8F1", "8F1C0", "GHIJ", "", "-8F1" })
        {
            assertMalformed(response(SR, "<sr:DeviceAlertMessage><sr:AlertCode>" + code + "</sr:AlertCode>" +
                "</sr:DeviceAlertMessage>"), DuisDetail.BAD_ALERT_CODE);
        }
        for (final String code : new String[]{ "n24", "N-24", "ABCDEF", "" })
        {
            assertMalformed(response(SR, "<sr:DCCAlertMessage><sr:DCCAlertCode>" + code + "</sr:DCCAlertCode>" +
                "</sr:DCCAlertMessage>"), DuisDetail.BAD_DCC_ALERT_CODE);
        }
        assertMalformed(response(SR, "<sr:DeviceAlertMessage><sr:GBCSPayload>3Q</sr:GBCSPayload>" +
            "</sr:DeviceAlertMessage>"), DuisDetail.MISSING_ALERT_CODE);
        for (final String dateTime : new String[]{ "2030-02-30T00:00:00Z", "tomorrow", "2030-01-15",
            "30-01-15T09:00:00Z",
            "2030-01-15T24:00:00Z", "2030-01-15T09:00:00+15:00", "2030-01-15T09:00:00.Z", "2030-01-15T09:00:00ZZ",
            "12030-01-15T09:00:00Z", "2030-13-15T09:00:00Z", "2030-01-15 09:00:00Z" })
        {
            assertMalformed(request("<sr:X><sr:ExecutionDateTime>" + dateTime + "</sr:ExecutionDateTime></sr:X>",
                "6.8", "6.8", 4), DuisDetail.BAD_DATE_TIME);
        }
    }

    @Test
    void shouldRefuseAMissingOrEmptyBody()
    {
        final String full = request("<sr:TopUpDevice/>", "2.2", "2.2", 1);
        assertMalformed(full.replace("<sr:Body><sr:TopUpDevice/></sr:Body>", "<sr:Body></sr:Body>"),
            DuisDetail.EMPTY_BODY);
        assertMalformed(full.replace("<sr:Body><sr:TopUpDevice/></sr:Body>", "<sr:Body/>"), DuisDetail.EMPTY_BODY);
        assertMalformed(full.replace("<sr:Body><sr:TopUpDevice/></sr:Body>", "<sr:Body>  <!-- none -->\n</sr:Body>"),
            DuisDetail.EMPTY_BODY);
        assertMalformed(full.replace("<sr:Body><sr:TopUpDevice/></sr:Body>", ""), DuisDetail.MISSING_BODY);
        assertMalformed(response(SR, "").replace("<sr:Body></sr:Body>", "<sr:Body/>"), DuisDetail.EMPTY_BODY);
        assertMalformed(response(SR, "<sr:Unknown/>"), DuisDetail.UNKNOWN_RESPONSE_BODY);
        assertMalformed("<sr:Request xmlns:sr=\"" + SR + "\"><sr:Body/></sr:Request>", DuisDetail.MISSING_HEADER);
    }

    @Test
    void shouldSurviveTenMegabyteDocuments()
    {
        final int tenMb = 10 * 1024 * 1024;
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            final byte[] padded = writer.request(ID, SrvCode.parse("4.8.1"), 1, tenMb);
            assertTrue(padded.length > tenMb - 1024);
            assertOk(padded);
            assertEquals(SrvCode.parse("4.8.1"), message.srv());

            final String filler = "x".repeat(tenMb);
            assertOk(request("<sr:X/>", "2.2", "2.2", 1).replace("<sr:CommandVariant>",
                "<sr:Note>" + filler + "</sr:Note><sr:CommandVariant>"));
            assertMalformed(request("<sr:X/>", "2.2", "2.2", 1, ID + filler), DuisDetail.BAD_REQUEST_ID);
            assertMalformed(request("<sr:X/>", "2.2", "2.2", 1, filler.replace('x', ' ') + ID + "x"),
                DuisDetail.BAD_REQUEST_ID);
            assertOk(request("<sr:X/>", "2.2", "2.2", 1, filler.replace('x', ' ') + ID + filler.replace('x', '\n')));
            assertMalformed("<sr:Request xmlns:sr=\"" + SR + "\">" + "<a>".repeat(tenMb / 8),
                DuisDetail.MISSING_HEADER);
        });
    }

    @Test
    void shouldGiveTheSameAnswerWhenReusedAcrossGoodAndBadDocuments()
    {
        final byte[] good = writer.request(ID, SrvCode.parse("7.1"), 1, 4096);
        final byte[] bad = request("<sr:X/>", "99.99.99.99.9", "2.2", 1).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++)
        {
            assertOk(good);
            assertEquals(SrvCode.parse("7.1"), message.srv());
            assertMalformed(bad, DuisDetail.BAD_SRV);
            assertMalformed(Arrays.copyOf(good, good.length / 8), DuisDetail.NOT_WELL_FORMED);
        }
    }

    static String request(final String service, final String sr, final String srv, final int cv)
    {
        return request(service, sr, srv, cv, ID.toString());
    }

    static String request(final String service, final String sr, final String srv, final int cv, final String id)
    {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sr:Request xmlns:sr=\"" + SR + "\" schemaVersion=\"5.2\">" +
            "<sr:Header><sr:RequestID>" + id + "</sr:RequestID><sr:CommandVariant>" + cv + "</sr:CommandVariant>" +
            "<sr:ServiceReference>" + sr + "</sr:ServiceReference><sr:ServiceReferenceVariant>" + srv +
            "</sr:ServiceReferenceVariant></sr:Header><sr:Body>" + service + "</sr:Body></sr:Request>";
    }

    static String response(final String ns, final String body)
    {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sr:Response xmlns:sr=\"" + ns + "\" schemaVersion=\"5.2\">" +
            "<sr:Header><sr:RequestID>" + ID + "</sr:RequestID><sr:ResponseCode>I0</sr:ResponseCode>" +
            "<sr:ResponseDateTime>2030-01-15T09:00:01.123Z</sr:ResponseDateTime></sr:Header><sr:Body>" + body +
            "</sr:Body></sr:Response>";
    }

    private void assertOk(final String doc)
    {
        assertOk(doc.getBytes(StandardCharsets.UTF_8));
    }

    private void assertOk(final byte[] doc)
    {
        final DuisStatus status = parser.parse(doc, 0, doc.length, message);
        assertSame(DuisStatus.OK, status, () -> message.detail() + " in " + head(doc));
        assertEquals(doc.length, message.documentLength());
    }

    private void assertMalformed(final String doc, final String detail)
    {
        assertMalformed(doc.getBytes(StandardCharsets.UTF_8), detail);
    }

    private void assertMalformed(final byte[] doc, final String detail)
    {
        assertSame(DuisStatus.MALFORMED, parser.parse(doc, 0, doc.length, message), () -> head(doc));
        assertSame(detail, message.detail(), () -> "detail " + message.detail() + " in " + head(doc));
        assertNull(message.kind());
    }

    private void assertMalformedAnyDetail(final String doc)
    {
        final byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertSame(DuisStatus.MALFORMED, parser.parse(bytes, 0, bytes.length, message), () -> head(bytes));
    }

    private static String head(final byte[] doc)
    {
        return new String(doc, 0, Math.min(doc.length, 400), StandardCharsets.UTF_8);
    }
}
