package io.otaprio.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.posix.PosixAPI;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The journal root on disk: its version marker, its two queues, and the checks made before either is opened.
 * <pre>
 *   &lt;root&gt;/
 *     otaprio-journal.properties    version marker, written once when a writer first opens an empty root
 *     otaprio.lock                  the engine holding the journal (JournalLock); readers never touch it
 *     accepted/                     Chronicle Queue, one document per message (AcceptedMessageDescriptor)
 *       metadata.cq4t, yyyyMMdd-HH'F'.cq4 ...
 *     outcomes/                     Chronicle Queue, one document per flush (OutcomeRecordDescriptor)
 *     throttled/                    Chronicle Queue, one document per throttle summary (ThrottleRecordDescriptor),
 *                                   created by ThrottleJournal when alert throttling is on; not checked here
 * </pre>
 * Marker rules (checked by writers and readers alike, before any Chronicle file is opened):
 * <ul>
 *     <li>marker present: its {@code layoutVersion} must equal {@link #LAYOUT_VERSION}, else {@link JournalException}
 *     naming the marker, the version found and the version supported;</li>
 *     <li>marker absent and either queue directory holds {@code .cq4} files: refused, because the data was not
 *     written by this journal (or its marker was lost) and its layout cannot be known;</li>
 *     <li>marker absent and no queue files: a new journal. A writer creates the directories and the marker
 *     (written to a temporary file, then renamed, so a crash never leaves half a marker); a reader sees an empty
 *     journal and creates nothing.</li>
 * </ul>
 * Nothing here modifies or deletes existing data.
 * <p>
 * Threading: stateless static functions.
 */
final class JournalDirectory
{
    static final String MARKER_FILE = "otaprio-journal.properties";
    static final String ACCEPTED_QUEUE = "accepted";
    static final String OUTCOMES_QUEUE = "outcomes";
    static final String VERSION_KEY = "layoutVersion";
    static final String QUEUE_FILE_SUFFIX = ".cq4";

    /** Version of the journal as a whole: the marker, and the layouts of both queues' documents. */
    static final int LAYOUT_VERSION = 1;

    private JournalDirectory()
    {
    }

    /**
     * Check a root before reading it.
     *
     * @param config of the journal.
     * @return true when there is a journal to read, false when the root or both queues do not exist yet.
     * @throws JournalException when the root is not a readable directory or has an incompatible marker.
     */
    static boolean checkForReading(final JournalConfig config)
    {
        final Path root = config.directory();
        if (!Files.exists(root))
        {
            return false;
        }
        checkDirectory(root, false);
        checkMarker(config);
        return hasQueueFiles(config.acceptedDirectory()) || hasQueueFiles(config.outcomesDirectory());
    }

    /**
     * Check a root before writing it, creating the root, the queue directories and the marker if new.
     *
     * @param config of the journal.
     * @throws JournalException when the root cannot be created or written, or has an incompatible marker.
     */
    static void prepareForWriting(final JournalConfig config)
    {
        final Path root = config.directory();
        if (Files.exists(root))
        {
            checkDirectory(root, true);
        }
        final boolean hasMarker = checkMarker(config);
        try
        {
            OwnerOnly.createDirectories(root);
            OwnerOnly.createDirectories(config.acceptedDirectory());
            OwnerOnly.createDirectories(config.outcomesDirectory());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot create journal directory " + root + ": " + ex, ex);
        }
        checkDirectory(config.acceptedDirectory(), true);
        checkDirectory(config.outcomesDirectory(), true);
        if (!hasMarker)
        {
            writeMarker(root);
        }
    }

    /**
     * Read a side queue (throttled, policy) whole: each document, oldest first, as a copy; nothing when the queue has
     * no files yet. Needs no writer and takes no lock: the queue is opened read-only.
     *
     * @param config          the journal.
     * @param queue           the queue's directory under the root.
     * @param initialCapacity bytes of the copy before it first grows.
     * @param each            told of each document.
     * @throws JournalException when the queue cannot be opened, or as {@code each} throws it.
     */
    static void forEachDocument(
        final JournalConfig config, final String queue, final int initialCapacity, final Consumer<DocumentCopy> each)
    {
        final Path directory = config.directory().resolve(queue);
        if (!hasQueueFiles(directory))
        {
            return;
        }
        final DocumentCopy document = new DocumentCopy(initialCapacity);
        try (SingleChronicleQueue opened = openQueue(config, directory, true);
            ExcerptTailer tailer = opened.createTailer())
        {
            while (document.readNext(tailer))
            {
                each.accept(document);
            }
        }
    }

    /**
     * @param directory of a queue.
     * @return true when it holds at least one roll cycle file.
     */
    static boolean hasQueueFiles(final Path directory)
    {
        return !cycleFiles(directory).isEmpty();
    }

    /**
     * @param directory of a queue.
     * @return its roll cycle files, sorted by name (which is cycle order for every roll cycle format but WEEKLY).
     */
    static List<Path> cycleFiles(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return Collections.emptyList();
        }
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory))
        {
            list.filter((p) -> p.getFileName().toString().endsWith(QUEUE_FILE_SUFFIX)).forEach(files::add);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot list journal queue directory " + directory + ": " + ex, ex);
        }
        Collections.sort(files);
        return files;
    }

    /**
     * Open one of the queues.
     *
     * @param config    of the journal.
     * @param directory of the queue.
     * @param readOnly  true for readers: Chronicle then maps files read-only and never writes metadata.
     * @return the queue.
     * @throws JournalException naming the directory when Chronicle cannot open it.
     */
    static SingleChronicleQueue openQueue(final JournalConfig config, final Path directory, final boolean readOnly)
    {
        if (!readOnly && JournalSync.NONE != config.sync())
        {
            requireNativeMsync(config.sync(), directory);
        }
        try
        {
            return SingleChronicleQueueBuilder.binary(directory)
                .rollCycle(config.rollCycle())
                // Chronicle's default is ASYNC (mappedFile.defaultSyncMode), so NONE must be explicit.
                .syncMode(toSyncMode(config.sync()))
                .readOnly(readOnly)
                .build();
        }
        catch (final RuntimeException | Error ex)
        {
            throw new JournalException("cannot open journal queue " + directory + ": " + ex, ex);
        }
    }

    /**
     * Chronicle msyncs through its {@code PosixAPI}, which falls back, without a word, to a no-op implementation when
     * it cannot load its native binding (slf4j-api missing from the classpath is enough). With a sync mode that would
     * make every write look synced while nothing is: an Ack would no longer mean on the disk. Refuse instead.
     *
     * @param sync      the sync mode asked for (not NONE).
     * @param directory the queue about to be opened for writing, for the message.
     * @throws JournalException when msync is a no-op in this JVM.
     */
    static void requireNativeMsync(final JournalSync sync, final Path directory)
    {
        final String implementation = PosixAPI.posix().getClass().getName();
        if (implementation.contains(".noop."))
        {
            throw new JournalException("journal.sync " + sync.name().toLowerCase(Locale.ROOT) + " for " + directory +
                ": msync is not available in this JVM (Chronicle's PosixAPI is " + implementation + ", a no-op: " +
                "its native binding did not load, e.g. slf4j-api is not on the classpath), so no write would reach " +
                "the disk before its Ack; fix the classpath, or set journal.sync: none");
        }
    }

    /**
     * Open one of the queues for a journal or reader built over it; should building it fail, close the queue again,
     * so that a failed open leaves no queue file mapped.
     *
     * @param config    of the journal.
     * @param directory of the queue.
     * @param purpose   what is built to do with it, for the message: {@code "append to"} or {@code "read"}.
     * @param builder   builds the journal or reader over the open queue, which it then owns.
     * @param <T>       what it builds.
     * @return what it built.
     * @throws JournalException as the builder threw it, or naming the directory when Chronicle cannot open the queue
     *                          or the builder threw anything else.
     */
    static <T> T openQueue(
        final JournalConfig config,
        final Path directory,
        final String purpose,
        final Function<SingleChronicleQueue, T> builder)
    {
        final SingleChronicleQueue queue = openQueue(config, directory, false);
        try
        {
            return builder.apply(queue);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            if (ex instanceof JournalException)
            {
                throw ex;
            }
            throw new JournalException("cannot " + purpose + " journal queue " + directory + ": " + ex, ex);
        }
    }

    /**
     * Open a side queue (held, throttled, policy) for appending: its directory created owner-only if new, then the
     * queue, as {@link #openQueue(JournalConfig, Path, String, Function)} opens it.
     *
     * @param config    of the journal.
     * @param directory of the queue.
     * @param builder   builds the writer over the open queue, which it then owns.
     * @param <T>       the writer.
     * @return the writer.
     * @throws JournalException naming the directory when it cannot be created, or as the open throws it.
     */
    static <T> T openForAppending(
        final JournalConfig config, final Path directory, final Function<SingleChronicleQueue, T> builder)
    {
        try
        {
            OwnerOnly.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create " + directory + ": " + ex, ex);
        }
        return openQueue(config, directory, "append to", builder);
    }

    static SyncMode toSyncMode(final JournalSync sync)
    {
        switch (sync)
        {
            case SYNC:
                return SyncMode.SYNC;
            case ASYNC:
                return SyncMode.ASYNC;
            default:
                return SyncMode.NONE;
        }
    }

    /**
     * @param queue a queue.
     * @param cycle one of its cycles.
     * @return the cycle's file, or null when the cycle has no file.
     */
    static File cycleFile(final SingleChronicleQueue queue, final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (null == store)
        {
            return null;
        }
        try
        {
            return store.file();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    /**
     * Position a tailer at an index, or at the start when the index is unknown or no longer readable.
     *
     * @param tailer of a queue.
     * @param index  where to start, or -1.
     * @return true when positioned at the index.
     */
    static boolean moveToIndexOrStart(final ExcerptTailer tailer, final long index)
    {
        if (index >= 0 && tailer.moveToIndex(index))
        {
            return true;
        }
        tailer.toStart();
        return false;
    }

    private static void checkDirectory(final Path path, final boolean forWriting)
    {
        if (!Files.isDirectory(path))
        {
            throw new JournalException("journal path " + path + " is not a directory");
        }
        if (!Files.isReadable(path) || !Files.isExecutable(path))
        {
            throw new JournalException("journal directory " + path + " is not readable");
        }
        if (forWriting && !Files.isWritable(path))
        {
            throw new JournalException("journal directory " + path + " is not writable");
        }
    }

    private static boolean checkMarker(final JournalConfig config)
    {
        final Path marker = config.directory().resolve(MARKER_FILE);
        if (!Files.exists(marker))
        {
            if (hasQueueFiles(config.acceptedDirectory()) || hasQueueFiles(config.outcomesDirectory()))
            {
                throw new JournalException("journal directory " + config.directory() + " holds Chronicle queue " +
                    "files but no " + MARKER_FILE + ": not written by this journal (supported layout version " +
                    LAYOUT_VERSION + "), refusing to open it");
            }
            return false;
        }

        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(marker, StandardCharsets.ISO_8859_1))
        {
            properties.load(reader);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot read journal version marker " + marker + ": " + ex, ex);
        }
        final String found = properties.getProperty(VERSION_KEY);
        if (!String.valueOf(LAYOUT_VERSION).equals(null == found ? null : found.trim()))
        {
            throw new JournalException("journal " + marker + " has layout version " + found +
                ", this build supports layout version " + LAYOUT_VERSION);
        }
        return true;
    }

    private static void writeMarker(final Path root)
    {
        final Path marker = root.resolve(MARKER_FILE);
        final Path temp = root.resolve(MARKER_FILE + ".tmp");
        try
        {
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.ISO_8859_1,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                writer.write(
                    "# otaprio journal version marker. Readers refuse a layoutVersion they do not support.\n");
                writer.write(
                    "# accepted/ holds AcceptedMessageDescriptor documents, outcomes/ OutcomeRecordDescriptor.\n");
                writer.write(VERSION_KEY + "=" + LAYOUT_VERSION + "\n");
            }
            Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot write journal version marker " + marker + ": " + ex, ex);
        }
    }
}
