package io.otaprio.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchiveTool;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.otaprio.engine.IdleStrategySpec;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.function.Supplier;

/**
 * One member of an otaprio cluster in this process: Aeron's media driver, archive and consensus module
 * ({@link ClusteredMediaDriver}) plus the container running the replicated service. Built for small machines: every
 * Aeron agent shares one thread per component (SHARED driver and archive) and idles with the configured strategy,
 * the term buffers are 1 MiB and sparse, the media driver lives on /dev/shm and is deleted at start and stop.
 * <p>
 * Time in the cluster is in nanoseconds since the epoch ({@link NanosecondClusterClock}): the service stamps accept
 * times with it, the same unit the single engine's clock uses. The unit cannot change later without wiping the
 * cluster's log.
 * <p>
 * Threading: launch and close from one thread; the node runs its own threads between the two.
 */
public final class ClusterNode implements AutoCloseable
{
    /** Terms of the log, ingress and egress publications: small, as Aeron's own CI runs clusters. */
    public static final String TERM_LENGTH = "1m";

    private static final int PUBLICATION_TERM_LENGTH = 1024 * 1024;
    private static final int IPC_TERM_LENGTH = 4 * 1024 * 1024;
    private static final int ARCHIVE_SEGMENT_LENGTH = 16 * 1024 * 1024;
    private static final String LOCAL_CONTROL_CHANNEL = "aeron:ipc?term-length=64k";
    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());

    private final ClusterSettings settings;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;

    private ClusterNode(
        final ClusterSettings settings,
        final ClusteredMediaDriver driver,
        final ClusteredServiceContainer container)
    {
        this.settings = settings;
        this.driver = driver;
        this.container = container;
    }

    /**
     * Start the node: it takes part in elections at once and serves as soon as a leader is elected. The caller
     * must hold the node's lock: the mark files a killed predecessor left are removed.
     *
     * @param settings     where it lives and how it times out its peers.
     * @param service      the replicated service it runs.
     * @param errorHandler where the node's components report errors.
     * @return the running node.
     */
    public static ClusterNode launch(
        final ClusterSettings settings,
        final ClusteredService service,
        final ErrorHandler errorHandler)
    {
        try
        {
            return tryLaunch(settings, service, errorHandler);
        }
        catch (final RuntimeException ex)
        {
            if (!isTornLastFragment(ex))
            {
                throw ex;
            }
            // Killed while the archive was writing a fragment that straddles a page: the torn tail was never
            // acknowledged by this node, and the leader has it. Truncate it (what ArchiveTool verify offers to do)
            // and start again; the node catches up from the leader.
            LOG.log(System.Logger.Level.WARNING, "the Raft log's archive in " + settings.directory() + " ends in a " +
                "torn fragment (a kill mid-write): truncating it and catching up from the leader");
            ArchiveTool.verify(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                settings.directory().resolve("archive").toFile(), EnumSet.noneOf(ArchiveTool.VerifyOption.class),
                null, file -> true);
            return tryLaunch(settings, service, errorHandler);
        }
    }

    private static boolean isTornLastFragment(final Throwable failure)
    {
        for (Throwable cause = failure; null != cause; cause = cause.getCause())
        {
            if (cause instanceof ArchiveException && null != cause.getMessage() &&
                cause.getMessage().contains("straddling page boundary"))
            {
                return true;
            }
        }
        return false;
    }

    private static ClusterNode tryLaunch(
        final ClusterSettings settings,
        final ClusteredService service,
        final ErrorHandler errorHandler)
    {
        final String aeronDir = settings.aeronDirectory().toString();
        final Supplier<IdleStrategy> idle = () -> IdleStrategySpec.parse(settings.idle());
        final int memberId = settings.memberId();

        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle.get())
            .termBufferSparseFile(true)
            .publicationTermBufferLength(PUBLICATION_TERM_LENGTH)
            .ipcTermBufferLength(IPC_TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(errorHandler);

        final Archive.Context archiveCtx = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(settings.directory().resolve("archive").toFile())
            .archiveId(memberId)
            .controlChannel(udp(settings.endpoint(memberId, ClusterSettings.ARCHIVE_CONTROL_PORT_OFFSET)))
            .localControlChannel(LOCAL_CONTROL_CHANNEL)
            .replicationChannel(udp(settings.host() + ":0"))
            .recordingEventsEnabled(false)
            .segmentFileLength(ARCHIVE_SEGMENT_LENGTH)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idle)
            .deleteArchiveOnStart(false)
            .errorHandler(errorHandler);

        final AeronArchive.Context archiveClient = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(LOCAL_CONTROL_CHANNEL)
            .controlRequestStreamId(archiveCtx.localControlStreamId())
            .controlResponseChannel(LOCAL_CONTROL_CHANNEL)
            .aeronDirectoryName(aeronDir);

        final ConsensusModule.Context consensusCtx = new ConsensusModule.Context()
            .clusterMemberId(memberId)
            .clusterMembers(settings.clusterMembers())
            .clusterDir(settings.directory().resolve("consensus").toFile())
            .ingressChannel("aeron:udp?term-length=" + TERM_LENGTH)
            .logChannel("aeron:udp?term-length=" + TERM_LENGTH)
            .replicationChannel(udp(settings.host() + ":0"))
            .archiveContext(archiveClient.clone())
            .clusterClock(new NanosecondClusterClock())
            .leaderHeartbeatTimeoutNs(settings.heartbeatTimeoutNs())
            .leaderHeartbeatIntervalNs(settings.heartbeatIntervalNs())
            .electionTimeoutNs(settings.electionTimeoutNs())
            // Startup canvass must cover two heartbeat timeouts (Aeron's rule), no more: a restart rejoins fast.
            .startupCanvassTimeoutNs(2 * settings.heartbeatTimeoutNs())
            .idleStrategySupplier(idle)
            .errorHandler(errorHandler);

        final ClusteredServiceContainer.Context serviceCtx = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(archiveClient.clone())
            .clusterDir(settings.directory().resolve("service").toFile())
            .clusteredService(service)
            .idleStrategySupplier(idle)
            .errorHandler(errorHandler);

        removeMarkFiles(settings);
        ClusteredMediaDriver driver = null;
        try
        {
            driver = ClusteredMediaDriver.launch(driverCtx, archiveCtx, consensusCtx);
            final ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceCtx);
            return new ClusterNode(settings, driver, container);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * @param settings     the cluster's members (any node's settings will do).
     * @param aeronDir     the media driver the client uses (this process's node's).
     * @return a cluster client context reaching every member's ingress, its egress on an ephemeral port.
     */
    public static AeronCluster.Context clientContext(final ClusterSettings settings, final String aeronDir)
    {
        return new AeronCluster.Context()
            .aeronDirectoryName(aeronDir)
            .ingressChannel("aeron:udp?term-length=" + TERM_LENGTH)
            .ingressEndpoints(settings.ingressEndpoints())
            .egressChannel(udp(settings.host() + ":0") + "|term-length=" + TERM_LENGTH)
            // A client that hears no leader for two heartbeat timeouts gives up: the cluster has lost its majority.
            .newLeaderTimeoutNs(2 * settings.heartbeatTimeoutNs());
    }

    /** @return the node's settings. */
    public ClusterSettings settings()
    {
        return settings;
    }

    /** @return the directory of the node's media driver, for clients in this process. */
    public String aeronDirectoryName()
    {
        return driver.mediaDriver().aeronDirectoryName();
    }

    /** Stop the service, then the consensus module, archive and media driver (which deletes its directory). */
    public void close()
    {
        CloseHelper.closeAll(container, driver);
    }

    /**
     * A node killed with kill -9 leaves its components' mark files, and Aeron refuses to start on an active-looking
     * one for ten seconds: a restart right after a DR event would fail. The caller holds the node's lock (its
     * journal directory's, which names the dead owner), so no live process uses these directories.
     */
    private static void removeMarkFiles(final ClusterSettings settings)
    {
        final Path dir = settings.directory();
        for (final Path markFile : new Path[]{ dir.resolve("archive").resolve("archive-mark.dat"),
            dir.resolve("consensus").resolve("cluster-mark.dat"),
            dir.resolve("service").resolve("cluster-mark-service-0.dat") })
        {
            try
            {
                Files.deleteIfExists(markFile);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot remove the stale mark file " + markFile, ex);
            }
        }
    }

    private static String udp(final String endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint;
    }
}
