package io.deltaplane.client;

import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real apps for end-to-end tests: metadata-service, lineage-service and the gateway, each the
 * jar the build produced, in its own JVM on a random port, over this test JVM's Postgres database.
 * The full build packages them before this module's tests run (the client is the last module).
 */
final class PlatformApps implements AutoCloseable {

    static final String ADMIN_KEY = "client-e2e-admin-key-000001";

    private final List<Process> processes = new ArrayList<>();
    private final Path logs;
    private int gatewayPort;
    private int metadataPort;

    private PlatformApps(Path logs) {
        this.logs = logs;
    }

    static PlatformApps start() throws Exception {
        Path root = repositoryRoot();
        Path work = Files.createDirectories(Path.of("target", "e2e").toAbsolutePath());
        PlatformApps apps = new PlatformApps(work);
        try {
            int metadata = freePort();
            int lineage = freePort();
            int ingest = freePort(); // not started: calls to it show the gateway's 503
            apps.metadataPort = metadata;
            apps.gatewayPort = freePort();
            apps.launch(
                    "metadata",
                    jar(root, "metadata-service"),
                    metadata,
                    Map.of(
                            "deltaplane.warehouse.root",
                            work.resolve("warehouse").toString()));
            apps.launch(
                    "lineage",
                    jar(root, "lineage-service"),
                    lineage,
                    Map.of("deltaplane.artifacts.dir", work.resolve("artifacts").toString()));
            apps.launch(
                    "gateway",
                    jar(root, "platform-api/gateway"),
                    apps.gatewayPort,
                    Map.of(
                            "deltaplane.gateway.backends.metadata.url", "http://127.0.0.1:" + metadata,
                            "deltaplane.gateway.backends.lineage.url", "http://127.0.0.1:" + lineage,
                            "deltaplane.gateway.backends.ingest.url", "http://127.0.0.1:" + ingest));
            apps.awaitReady("metadata", metadata);
            apps.awaitReady("lineage", lineage);
            apps.awaitReady("gateway", apps.gatewayPort);
            return apps;
        } catch (Exception | Error e) {
            apps.close();
            throw e;
        }
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    String metadataUrl() {
        return "http://127.0.0.1:" + metadataPort;
    }

    private void launch(String name, Path jar, int port, Map<String, String> properties) throws IOException {
        TestDatabase db = TestDatabase.get();
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.put("deltaplane.db.url", db.url());
        all.put("deltaplane.db.user", db.user());
        all.put("deltaplane.db.password", db.password());
        all.put("deltaplane.security.admin-api-key", ADMIN_KEY);
        all.put("server.port", Integer.toString(port));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start());
    }

    private void awaitReady(String name, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException("an app exited while starting; see " + logs);
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " not ready in time; see " + logs.resolve(name + ".log"));
    }

    private static Path jar(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var found = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException("No built jar in " + target + ": the end-to-end tests run the real apps;"
                + " build them first (./mvnw -B verify builds everything in order, or ./mvnw -pl " + module
                + " package -DskipTests)");
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("platform-api")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
