package io.otaprio.status;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status file as two processes see it: the engine writes counters and errors into the mapping, a reader maps the
 * same file on its own and sees them; a restarted engine saves its predecessor's errors before it starts afresh.
 */
class StatusFileTest
{
    @TempDir
    Path directory;

    @Test
    void shouldShowAReaderEveryCounterWithItsLabelAndLatestValue()
    {
        final StatusFile status = StatusFile.map(directory, SystemEpochClock.INSTANCE);
        final AtomicCounter accepted = status.countersManager().newCounter("accepted level=1");
        final AtomicCounter frames = status.countersManager().newCounter("gateway frames in");
        accepted.setRelease(41);
        frames.setRelease(7);

        final StatusFileReader reader = StatusFileReader.open(directory.resolve(StatusFileDescriptor.FILE_NAME));
        assertEquals(ProcessHandle.current().pid(), reader.pid());
        assertTrue(reader.engineRunning());
        assertEquals(41, reader.counters().getCounterValue(accepted.id()));
        assertEquals("gateway frames in", reader.counters().getCounterLabel(frames.id()));

        accepted.incrementRelease();
        assertEquals(42, reader.counters().getCounterValue(accepted.id()), "the reader sees the live value");
    }

    @Test
    void shouldBeReadableAndWritableByItsOwnerOnly() throws Exception
    {
        StatusFile.map(directory, SystemEpochClock.INSTANCE);

        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(directory.resolve(StatusFileDescriptor.FILE_NAME))));
    }

    @Test
    void shouldLogEachDistinctErrorOnceWithItsCount()
    {
        final StatusFile status = StatusFile.map(directory, SystemEpochClock.INSTANCE);
        for (int i = 0; i < 3; i++)
        {
            status.errorLog().record(sameError());
        }
        status.errorLog().record(new IllegalArgumentException("another"));

        final StatusFileReader reader = StatusFileReader.open(directory.resolve(StatusFileDescriptor.FILE_NAME));
        final StringBuilder counts = new StringBuilder();
        final int distinct = ErrorLogReader.read(reader.errorLogBuffer(),
            (count, firstMs, lastMs, encoded) -> counts.append(count).append(' '));
        assertEquals(2, distinct);
        assertEquals("3 1 ", counts.toString());
    }

    @Test
    void shouldSaveThePreviousEnginesErrorsBeforeStartingAfresh() throws IOException
    {
        final StatusFile first = StatusFile.map(directory, SystemEpochClock.INSTANCE);
        first.errorLog().record(new IllegalStateException("before the crash"));

        StatusFile.map(directory, SystemEpochClock.INSTANCE);

        final List<Path> saved = savedLogs();
        assertEquals(1, saved.size(), saved::toString);
        final String text = Files.readString(saved.get(0));
        assertTrue(text.contains("IllegalStateException: before the crash"), text);
        assertTrue(text.contains("1 distinct error"), text);
        final StatusFileReader reader = StatusFileReader.open(directory.resolve(StatusFileDescriptor.FILE_NAME));
        assertFalse(ErrorLogReader.hasErrors(reader.errorLogBuffer()), "the new engine starts with no errors");
    }

    @Test
    void shouldSaveNothingWhenThePreviousEngineHadNoErrors() throws IOException
    {
        StatusFile.map(directory, SystemEpochClock.INSTANCE);
        StatusFile.map(directory, SystemEpochClock.INSTANCE);
        assertEquals(List.of(), savedLogs());
    }

    @Test
    void shouldRefuseAMissingOrForeignFileNamingIt() throws IOException
    {
        final Path missing = directory.resolve(StatusFileDescriptor.FILE_NAME);
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> StatusFileReader.open(missing));
        assertTrue(none.getMessage().contains(missing.toString()), none.getMessage());

        final Path foreign = Files.write(directory.resolve("foreign.dat"), new byte[4096]);
        final IllegalArgumentException zeros = assertThrows(IllegalArgumentException.class,
            () -> StatusFileReader.open(foreign));
        assertTrue(zeros.getMessage().contains("layout version 0"), zeros.getMessage());

        final Path tiny = Files.write(directory.resolve("tiny.dat"), new byte[10]);
        final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
            () -> StatusFileReader.open(tiny));
        assertTrue(small.getMessage().contains("not an engine status file"), small.getMessage());
    }

    @Test
    void shouldTellEachKindOfErrorOnceAndFallSilentAfterTheLimit()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final FirstErrorPrinter printer = new FirstErrorPrinter(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), "./otaprio errors");
        for (int i = 0; i < 5; i++)
        {
            printer.onError(sameError());
        }
        assertEquals(1, lines(bytes).size(), bytes::toString);
        assertTrue(lines(bytes).get(0).contains("IllegalStateException: the same"), bytes::toString);
        assertTrue(lines(bytes).get(0).contains("./otaprio errors"), bytes::toString);

        for (int kind = 0; kind < FirstErrorPrinter.MAX_KINDS * 2; kind++)
        {
            printer.onError(new IllegalStateException("kind " + kind));
        }
        final List<String> lines = lines(bytes);
        assertEquals(FirstErrorPrinter.MAX_KINDS + 1, lines.size());
        assertTrue(lines.get(lines.size() - 1).contains("further kinds are only in the error log"), lines::toString);
    }

    @Test
    void shouldCountLogAndPassOnEveryError()
    {
        final StatusFile status = StatusFile.inMemory(SystemEpochClock.INSTANCE);
        final AtomicCounter errors = status.countersManager().newCounter("errors");
        final int[] passedOn = new int[1];
        final ErrorLogHandler handler = new ErrorLogHandler(status.errorLog(), errors, ex -> passedOn[0]++);
        for (int i = 0; i < 4; i++)
        {
            handler.onError(sameError());
        }
        assertEquals(4, errors.get());
        assertEquals(4, passedOn[0]);
        assertEquals(1, ErrorLogReader.read(status.errorLogBuffer(), (count, first, last, encoded) ->
            assertEquals(4, count)));
    }

    private static IllegalStateException sameError()
    {
        // One place of construction, so every instance has the same stack trace: one distinct error.
        return new IllegalStateException("the same");
    }

    private List<Path> savedLogs() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().startsWith("otaprio-errors-"))
                .collect(Collectors.toList());
        }
    }

    private static List<String> lines(final ByteArrayOutputStream bytes)
    {
        return bytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }
}
