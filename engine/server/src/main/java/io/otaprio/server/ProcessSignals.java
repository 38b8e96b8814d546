package io.otaprio.server;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * The engine process's signals: SIGTERM and SIGINT as a latch, so that the engine stops on either by closing in order
 * and then exits 0; SIGHUP as "reload the policy". Only {@code sun.misc.Signal} (module {@code jdk.unsupported})
 * handles a signal without starting the JVM's shutdown, whose exit status would be 128 + the signal's number, with
 * the engine closed by a shutdown hook racing the others. It is reached reflectively because javac's warning for a
 * proprietary API is mandatory: no {@code @SuppressWarnings} silences it, and the build compiles with
 * {@code -Werror}.
 */
final class ProcessSignals
{
    private ProcessSignals()
    {
    }

    /**
     * @return a latch counted down by the first SIGTERM or SIGINT from now on.
     * @throws IllegalStateException if this JVM cannot handle signals.
     */
    static CountDownLatch stopLatch()
    {
        final CountDownLatch stop = new CountDownLatch(1);
        handle(stop::countDown, "TERM", "INT");
        return stop;
    }

    /**
     * @param action run on a thread of its own, named {@code otaprio-sighup}, at each SIGHUP: the JVM's signal thread
     *               is never held up by it.
     * @throws IllegalStateException if this JVM cannot handle signals.
     */
    static void onHangUp(final Runnable action)
    {
        handle(() ->
        {
            final Thread thread = new Thread(action, "otaprio-sighup");
            thread.setDaemon(true);
            thread.start();
        }, "HUP");
    }

    private static void handle(final Runnable action, final String... names)
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object handler = Proxy.newProxyInstance(ProcessSignals.class.getClassLoader(),
                new Class<?>[]{ handlerClass }, (proxy, method, args) -> onCall(proxy, method, args, action));
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (final String name : names)
            {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("this JVM cannot handle SIG" + String.join(", SIG", names) +
                " (no sun.misc.Signal)", ex);
        }
    }

    private static Object onCall(final Object proxy, final Method method, final Object[] args, final Runnable action)
    {
        switch (method.getName())
        {
            case "handle":
                action.run();
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                return "ProcessSignals";
        }
    }
}
