package io.otaprio.loadgen;

import io.otaprio.server.StartupException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio engine} as a child process, for the demo and tests: started with the same JVM and flags as this
 * one, its output copied to a log file, ready once it says it is listening; stopped with SIGTERM or killed with
 * {@code kill -9} (the simulated DR event).
 */
public final class EngineProcess implements AutoCloseable
{
    /** JVM flags Agrona and Chronicle need; the same list as the launcher's. */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true");

    /**
     * JVM flags for latency, the same as the launcher's: no safepoint once a second just for the JVM's cleanup. On a
     * small or shared machine a thread of the engine waits milliseconds for a core, and every other thread of the
     * engine stops at that safepoint until it is reached (the TCP sweep saw up to 140 ms to reach it, once a second).
     * The cleanup is done at the safepoints the JVM needs anyway (a GC, a full inline-cache buffer). And no Chronicle
     * check, on every journal write, of which thread uses each queue object: each journal has one writer by design,
     * and the check was 18% of the scheduler thread's JFR samples at 50k msgs/s over TCP (a small sample: 66). And
     * the heap on transparent huge pages where the kernel allows them (madvise or always): a 4 KiB page fault costs
     * ~10 us on this class of VM, and faulting in the rings' hundreds of megabytes was a second or more of a restart.
     */
    public static final List<String> LATENCY_FLAGS = List.of(
        "-XX:+UnlockDiagnosticVMOptions",
        "-XX:GuaranteedSafepointInterval=0",
        "-Ddisable.single.threaded.check=true",
        "-XX:+UseTransparentHugePages");

    private final Process process;
    private final Thread pump;
    /** Counted down when the child says it listens, or when its output ends without that (it exited). */
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean listening;
    private volatile String lastLine = "";

    private EngineProcess(final List<String> command, final Path log) throws IOException
    {
        final PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            out.close();
            throw ex;
        }
        pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    out.println(line);
                    lastLine = line;
                    if (line.contains(" listening on "))
                    {
                        listening = true;
                        started.countDown();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // The child was killed: its output simply ends.
            }
            finally
            {
                out.close();
                started.countDown();
            }
        }, "otaprio-engine-log");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Start {@code otaprio engine} with these arguments and wait until it listens.
     *
     * @param args      engine arguments, e.g. {@code --journal DIR --listen 127.0.0.1:7400}.
     * @param log       where its output goes.
     * @param timeoutMs how long to wait for it to listen.
     * @return the running child.
     * @throws IOException      if it cannot start or does not come up in time.
     * @throws StartupException if it exits before listening (its port taken, its journal held or not writable):
     *                          the message is its last line, which says what failed and where, and the log.
     */
    public static EngineProcess start(final List<String> args, final Path log, final long timeoutMs)
        throws IOException
    {
        final EngineProcess engine = new EngineProcess(command(args), log);
        try
        {
            if (!engine.started.await(timeoutMs, TimeUnit.MILLISECONDS))
            {
                engine.kill();
                throw new IOException("engine did not start listening within " + timeoutMs + " ms; see " + log);
            }
            if (!engine.listening)
            {
                engine.waitQuietly(10_000);
                throw new StartupException("the engine exited" +
                    (engine.process.isAlive() ? "" : " with code " + engine.process.exitValue()) +
                    " before listening: " + engine.lastLine + " (its output: " + log + ")", null);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            engine.kill();
            throw new IOException("interrupted while starting the engine", ex);
        }
        return engine;
    }

    /**
     * @param args engine arguments.
     * @return the child's command line: this JVM's java, the flags, this class path, {@code otaprio engine}, the
     * arguments (any-port metrics, DUIS and admin endpoints unless the arguments name them).
     */
    static List<String> command(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(LATENCY_FLAGS);
        command.addAll(Arrays.asList("-XX:+UseParallelGC", "-Xms512m", "-Xmx2g", "-Djava.awt.headless=true"));
        final String home = System.getProperty("otaprio.home");
        if (null != home)
        {
            command.add("-Dotaprio.home=" + home);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.otaprio.server.OtaprioServer");
        command.add("engine");
        if (!args.contains("--metrics"))
        {
            // Child engines (the demo, the TCP sweep, tests) may run beside an operator's engine: any free port.
            command.add("--metrics");
            command.add("127.0.0.1:0");
        }
        if (!args.contains("--duis"))
        {
            command.add("--duis");
            command.add("127.0.0.1:0");
        }
        if (!args.contains("--admin"))
        {
            command.add("--admin");
            command.add("127.0.0.1:0");
        }
        command.addAll(args);
        return command;
    }

    /** @return a TCP port free on 127.0.0.1 right now. */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the child's pid. */
    public long pid()
    {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no flush, no close. Waits for the process to be gone. */
    public void kill()
    {
        process.destroyForcibly();
        waitQuietly(10_000);
    }

    /**
     * SIGTERM, then wait for a clean exit.
     *
     * @return the exit code, or -1 if it had to be killed after the timeout.
     */
    public int stop()
    {
        process.destroy();
        if (!waitQuietly(30_000))
        {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    public void close()
    {
        if (process.isAlive())
        {
            kill();
        }
    }

    private boolean waitQuietly(final long timeoutMs)
    {
        try
        {
            final boolean exited = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            pump.join(1000);
            return exited;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
