package io.otaprio.server;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT as a latch, so that the engine process stops on either by closing the engine in order and then
 * exits 0. Only {@code sun.misc.Signal} (module {@code jdk.unsupported}) handles a signal without starting the JVM's
 * shutdown, whose exit status would be 128 + the signal's number, with the engine closed by a shutdown hook racing
 * the others. It is reached reflectively because javac's warning for a proprietary API is mandatory: no
 * {@code @SuppressWarnings} silences it, and the build compiles with {@code -Werror}.
 */
final class StopSignals
{
    private StopSignals()
    {
    }

    /**
     * @return a latch counted down by the first SIGTERM or SIGINT from now on.
     * @throws IllegalStateException if this JVM cannot handle signals.
     */
    static CountDownLatch latch()
    {
        final CountDownLatch stop = new CountDownLatch(1);
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(),
                new Class<?>[]{ handlerClass }, (proxy, method, args) -> onCall(proxy, method, args, stop));
            final Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (final String name : new String[]{ "TERM", "INT" })
            {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("this JVM cannot handle SIGTERM and SIGINT (no sun.misc.Signal)", ex);
        }
        return stop;
    }

    private static Object onCall(
        final Object proxy, final Method method, final Object[] args, final CountDownLatch stop)
    {
        switch (method.getName())
        {
            case "handle":
                stop.countDown();
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                return "StopSignals";
        }
    }
}
