package io.deltaplane.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One of the four apps and what its own configuration says: the environment variables its
 * application.yml (and the support defaults every app inherits) read, and its default port.
 *
 * @param component the name in docker-compose.yml and the image name
 * @param valuesKey the app's block in the chart's values.yaml
 * @param directory the Maven module directory (holds the Dockerfile)
 */
record App(String component, String valuesKey, String directory) {

    static final List<App> ALL = List.of(
            new App("gateway", "gateway", "gateway"),
            new App("metadata-service", "metadata", "metadata-service"),
            new App("lineage-service", "lineage", "lineage-service"),
            new App("ingest-worker", "ingest", "ingest-worker"));

    /** Shared defaults of every service (lowest precedence). */
    static final Path SUPPORT_DEFAULTS = Path.of("libs/support/src/main/resources/deltaplane-defaults.properties");

    /** {@code ${ENV_NAME}} or {@code ${ENV_NAME:default}}; lower-case names are property references. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    /** The start of {@code ${ENV_NAME…}}, whose default may nest another placeholder. */
    private static final Pattern PLACEHOLDER_START = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?)");

    private static final Pattern SERVER_PORT =
            Pattern.compile("(?m)^server:\\s*\\n(?:[ \\t]+.*\\n)*?[ \\t]+port:\\s*(.+)$");

    Path path() {
        return Repository.ROOT.resolve(directory);
    }

    /**
     * The app's config files: every .yml|yaml|properties under its src/main/resources (application.yml
     * and property sources a package brings, such as metadata-service's lineage-relay.properties), then
     * the support defaults.
     */
    List<Path> configFiles() {
        List<Path> own = new java.util.ArrayList<>();
        for (Path module : modules()) {
            Path resources = module.resolve("src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(resources)) {
                files.filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|properties)"))
                        .sorted()
                        .forEach(own::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.concat(own.stream(), Stream.of(Repository.ROOT.resolve(SUPPORT_DEFAULTS)))
                .toList();
    }

    /**
     * The directories the app's jar is built from: its own, and for metadata-service the modules under
     * {@code metadata/} it is assembled from (their resources are on its classpath).
     */
    List<Path> modules() {
        List<Path> modules = new java.util.ArrayList<>(List.of(path()));
        if (directory.equals("metadata-service")) {
            try (Stream<Path> dirs = Files.list(Repository.ROOT.resolve("metadata"))) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                        .sorted()
                        .forEach(modules::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modules;
    }

    /**
     * Every environment variable the app's configuration reads, with its default: empty when it is
     * {@code ${NAME:}}, absent when it has none.
     */
    Map<String, Optional<String>> settings() {
        Map<String, Optional<String>> settings = new TreeMap<>();
        for (Path file : configFiles()) {
            String text = read(file);
            Matcher m = PLACEHOLDER_START.matcher(text);
            while (m.find()) {
                Optional<String> defaultValue =
                        m.group(2).isEmpty() ? Optional.empty() : Optional.of(defaultAt(text, m.end()));
                settings.putIfAbsent(m.group(1), defaultValue);
            }
        }
        return settings;
    }

    /** The default starting at {@code from}, up to the brace that closes its placeholder. */
    private static String defaultAt(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth-- == 0) {
                return text.substring(from, i);
            }
        }
        throw new AssertionError("unclosed placeholder: " + text.substring(from - 2));
    }

    /**
     * The settings a container must be given: no default, or a default that only works on a
     * developer's machine (localhost, a relative path such as {@code .platform/warehouse}).
     */
    Set<String> settingsWithoutContainerDefault() {
        Map<String, Optional<String>> required = new LinkedHashMap<>(settings());
        required.values().removeIf(d -> d.isPresent() && !localOnly(d.get()));
        return required.keySet();
    }

    static boolean localOnly(String defaultValue) {
        return defaultValue.contains("localhost")
                || defaultValue.contains("127.0.0.1")
                || defaultValue.startsWith(".")
                || (defaultValue.contains("/") && !defaultValue.contains(":") && !defaultValue.startsWith("/"));
    }

    /** The port of {@code server.port: ${PORT:8081}} in the app's application.yml. */
    int defaultPort() {
        Path yml = path().resolve("src/main/resources/application.yml");
        Matcher port = SERVER_PORT.matcher(read(yml));
        if (!port.find()) {
            throw new AssertionError(yml + " sets no server.port");
        }
        Matcher placeholder = PLACEHOLDER.matcher(port.group(1).trim());
        if (!placeholder.matches() || !placeholder.group(1).equals("PORT")) {
            throw new AssertionError(yml + ": server.port should be ${PORT:<default>}, is " + port.group(1));
        }
        return Integer.parseInt(placeholder.group(2));
    }

    /** The repackaged jar the Dockerfile copies: target/<artifactId>-<version>.jar from the module's pom. */
    String jarName() {
        String pom = read(path().resolve("pom.xml"));
        String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher artifactId = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
        Matcher version = Pattern.compile("(?s)<parent>.*?<version>([^<]+)</version>.*?</parent>")
                .matcher(pom);
        if (!artifactId.find() || !version.find()) {
            throw new AssertionError("cannot read artifactId/version of " + path().resolve("pom.xml"));
        }
        return artifactId.group(1) + "-" + version.group(1) + ".jar";
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static App byComponent(String component) {
        return ALL.stream()
                .filter(a -> a.component.equals(component))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no app " + component));
    }
}
