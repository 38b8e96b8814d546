package io.otaprio.http;

import io.otaprio.duis.DuisMessage;
import io.otaprio.duis.DuisParser;
import io.otaprio.duis.DuisStatus;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's {@link DocumentReader}: a DUIS XML document (a request, a response, a device alert or a DCC alert) read
 * by {@link DuisParser} into a submission. Kind and code are what the policy classifies by (the SRV of a request or
 * response, a device alert's 16-bit code, a DCC alert's packed code); the RequestID is the header's (an alert's
 * ResponseID); the payload is the document as it came.
 * <p>
 * Threading: the endpoint's thread.
 */
public final class DuisDocumentReader implements DocumentReader
{
    private final DuisParser parser = new DuisParser();
    private final DuisMessage message = new DuisMessage();
    private final UnsafeBuffer body = new UnsafeBuffer(0, 0);
    private long executionTimeNs = NOT_FUTURE_DATED;

    public boolean read(
        final byte[] bytes, final int offset, final int length, final AcceptedMessageFlyweight submission)
    {
        if (DuisStatus.OK != parser.parse(bytes, offset, length, message))
        {
            return false;
        }
        body.wrap(bytes);
        submission
            .kind(message.messageKind().value())
            .code(message.classificationCode())
            .requestId(message.identity())
            .commandVariant(message.commandVariant())
            .payload(body, offset, length);
        executionTimeNs = message.hasExecutionDateTime() ? message.executionDateTimeNs() : NOT_FUTURE_DATED;
        return true;
    }

    public String detail()
    {
        return message.detail();
    }

    public long executionTimeNs()
    {
        return executionTimeNs;
    }

    public boolean cancellation()
    {
        return message.isCancellation();
    }

    /** @return the last document's parse, for callers that want more than a submission (the offline classifier). */
    public DuisMessage message()
    {
        return message;
    }
}
