package io.deltaplane.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Loops between the packages of a module's compiled classes, read by the JDK's {@code jdeps}: a
 * package that reaches itself through the packages it imports from. Packages are the layers a
 * newcomer reads top-down (controllers over services over repositories and values); a loop means
 * neither side can be understood, tested or moved without the other.
 */
public final class PackageLoops {

    private static final Pattern EDGE =
            Pattern.compile("^\\s+(io\\.deltaplane\\S*)\\s+->\\s+(io\\.deltaplane\\S*)", Pattern.MULTILINE);

    private PackageLoops() {}

    /**
     * Every loop in {@code classes} (a {@code target/classes} directory), each as its packages and the
     * imports between them that close it; empty when there is none.
     */
    public static List<String> in(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled classes at " + classes.toAbsolutePath());
        }
        Map<String, Set<String>> imports = packageImports(classes);
        List<String> loops = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String pkg : imports.keySet()) {
            if (seen.contains(pkg) || !reachable(imports, pkg).contains(pkg)) {
                continue;
            }
            // the packages on a loop through pkg: those it reaches that also reach it
            Set<String> loop = new TreeSet<>();
            for (String other : reachable(imports, pkg)) {
                if (reachable(imports, other).contains(pkg)) {
                    loop.add(other);
                }
            }
            seen.addAll(loop);
            StringBuilder text = new StringBuilder(String.join(", ", loop)).append(':');
            for (String from : loop) {
                for (String to : imports.getOrDefault(from, Set.of())) {
                    if (loop.contains(to)) {
                        text.append("\n    ").append(from).append(" -> ").append(to);
                    }
                }
            }
            loops.add(text.toString());
        }
        return loops;
    }

    /** Which io.deltaplane packages each io.deltaplane package of {@code classes} imports. */
    static Map<String, Set<String>> packageImports(Path classes) {
        ToolProvider jdeps =
                ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(
                new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", classes.toString());
        if (exit != 0) {
            throw new IllegalStateException("jdeps failed (" + exit + "): " + err);
        }
        Map<String, Set<String>> imports = new TreeMap<>();
        Matcher edge = EDGE.matcher(out.toString());
        while (edge.find()) {
            if (!edge.group(1).equals(edge.group(2))) {
                imports.computeIfAbsent(edge.group(1), p -> new TreeSet<>()).add(edge.group(2));
            }
        }
        return imports;
    }

    private static Set<String> reachable(Map<String, Set<String>> imports, String from) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            for (String next : imports.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return seen;
    }
}
