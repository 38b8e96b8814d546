package io.otaprio.architecture;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package of otaprio's main code depends, through any chain, on a package that depends back on it. The graph is
 * what the JDK's {@code jdeps} reads from the compiled classes of every otaprio module on this test's class path
 * (the load generator depends on all of them), so it sees what the bytecode uses, imports or not.
 */
class PackageCyclesTest
{
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.otaprio\\S*)\\s+->\\s+(io\\.otaprio\\S*)\\s");

    @Test
    void shouldFindNoPackageCycleInTheMainCodeOfAnyModule()
    {
        final List<String> roots = otaprioMainOutputs();
        assertTrue(roots.size() >= 6, "expected every module's main classes on the class path, found " + roots);

        final Map<String, Set<String>> graph = packageGraph(roots);
        assertTrue(graph.containsKey("io.otaprio.admission") && graph.containsKey("io.otaprio.protocol"),
            "jdeps should have read the engine and the client: " + graph.keySet());

        final List<Set<String>> cycles = stronglyConnected(graph);
        assertEquals(List.of(), cycles, "package cycles (each set depends on itself through its members): " + cycles);
    }

    private static List<String> otaprioMainOutputs()
    {
        final List<String> roots = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final String name = entry.replace('\\', '/');
            final boolean moduleClasses = name.endsWith("/target/classes") && new File(entry).isDirectory();
            final boolean moduleJar = name.matches(".*/otaprio-[a-z]+-[^/]*\\.jar");
            if (moduleClasses || moduleJar)
            {
                roots.add(entry);
            }
        }
        return roots;
    }

    private static Map<String, Set<String>> packageGraph(final List<String> roots)
    {
        final ToolProvider jdeps = ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        final List<String> args =
            new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "io\\.otaprio\\..*"));
        args.addAll(roots);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
        assertEquals(0, exit, "jdeps failed: " + err);

        final Map<String, Set<String>> graph = new TreeMap<>();
        for (final String line : out.toString().split("\n"))
        {
            final Matcher edge = EDGE.matcher(line);
            if (edge.find())
            {
                graph.computeIfAbsent(edge.group(1), k -> new TreeSet<>());
                graph.computeIfAbsent(edge.group(2), k -> new TreeSet<>());
                if (!edge.group(1).equals(edge.group(2)))
                {
                    graph.get(edge.group(1)).add(edge.group(2));
                }
            }
        }
        return graph;
    }

    /** Tarjan's algorithm: every strongly connected component of more than one package is a cycle. */
    private static List<Set<String>> stronglyConnected(final Map<String, Set<String>> graph)
    {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> cycles = new ArrayList<>();
        final int[] next = { 0 };
        for (final String node : graph.keySet())
        {
            if (!index.containsKey(node))
            {
                visit(node, graph, index, low, stack, onStack, cycles, next);
            }
        }
        return cycles;
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    private static void visit(
        final String node,
        final Map<String, Set<String>> graph,
        final Map<String, Integer> index,
        final Map<String, Integer> low,
        final Deque<String> stack,
        final Set<String> onStack,
        final List<Set<String>> cycles,
        final int[] next)
    {
        index.put(node, next[0]);
        low.put(node, next[0]);
        next[0]++;
        stack.push(node);
        onStack.add(node);
        for (final String to : graph.getOrDefault(node, Set.of()))
        {
            if (!index.containsKey(to))
            {
                visit(to, graph, index, low, stack, onStack, cycles, next);
                low.put(node, Math.min(low.get(node), low.get(to)));
            }
            else if (onStack.contains(to))
            {
                low.put(node, Math.min(low.get(node), index.get(to)));
            }
        }
        if (low.get(node).equals(index.get(node)))
        {
            final Set<String> component = new TreeSet<>();
            String member;
            do
            {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            }
            while (!member.equals(node));
            if (component.size() > 1)
            {
                cycles.add(component);
            }
        }
    }
}
