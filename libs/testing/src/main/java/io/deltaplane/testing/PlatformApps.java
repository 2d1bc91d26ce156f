package io.deltaplane.testing;

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
 * The real apps for end-to-end tests of the clients, the CLI and the console: metadata-service,
 * lineage-service, the gateway and (when asked, with a Kafka broker) the ingest worker, each the
 * jar the build produced, in its own JVM on a random port, over this test JVM's Postgres database.
 * The full build packages the apps before the modules that use this run their tests.
 */
public final class PlatformApps implements AutoCloseable {

    /** The admin key every app is started with. */
    public static final String ADMIN_KEY = "client-e2e-admin-key-000001";

    private static final String TRUSTED_PROXIES = "deltaplane.security.trusted-proxies";
    private static final String LOOPBACK = "127.0.0.1,::1";

    /** Each app's process now, by name (metadata, lineage, gateway, ingest). */
    private final Map<String, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    /** How each app was started, to start it again ({@link #restart}): the JVM and its options. */
    private final Map<String, List<String>> commands = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each app's jar, extracted, with its class-data-sharing archive ({@link AppJar}). */
    private final Map<String, AppJar> jars = new java.util.concurrent.ConcurrentHashMap<>();
    /** How each app's running JVM was started (whether it records the archive). */
    private final Map<String, AppJar.Started> started = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private final Path logs;
    private int gatewayPort;
    private int metadataPort;
    private int lineagePort;
    private int ingestPort;

    private final Map<String, String> everyApp;
    private final String databaseUrl;

    private PlatformApps(Path logs, Map<String, String> everyApp, String databaseUrl) {
        this.logs = logs;
        this.everyApp = Map.copyOf(everyApp);
        this.databaseUrl = databaseUrl;
    }

    /** Metadata, lineage and the gateway; calls to the ingest routes get the gateway's 503. */
    public static PlatformApps start() throws Exception {
        return start(null);
    }

    /**
     * As {@link #start()}, plus the ingest worker reading from {@code kafkaBootstrapServers} (null:
     * no ingest worker) with its warehouses in a fresh directory under {@code target/e2e}.
     */
    public static PlatformApps start(String kafkaBootstrapServers) throws Exception {
        return start(kafkaBootstrapServers, Map.of());
    }

    /**
     * As {@link #start(String)}, with {@code metadataProperties} added to metadata-service's
     * settings (storage roots, the object store SDKs' variables).
     */
    public static PlatformApps start(String kafkaBootstrapServers, Map<String, String> metadataProperties)
            throws Exception {
        return start(kafkaBootstrapServers, metadataProperties, Map.of());
    }

    /**
     * As {@link #start(String, Map)}, with {@code everyApp} added to every app's settings (single
     * sign-on's issuer and audience, which each app checks for itself).
     */
    public static PlatformApps start(
            String kafkaBootstrapServers, Map<String, String> metadataProperties, Map<String, String> everyApp)
            throws Exception {
        return start(
                kafkaBootstrapServers,
                metadataProperties,
                everyApp,
                TestDatabase.get().url());
    }

    /**
     * As {@link #start(String, Map, Map)}, every app reaching the test database at {@code
     * databaseUrl} (through a proxy that injects faults, say) instead of its own address.
     */
    public static PlatformApps start(
            String kafkaBootstrapServers,
            Map<String, String> metadataProperties,
            Map<String, String> everyApp,
            String databaseUrl)
            throws Exception {
        Path root = repositoryRoot();
        // A fresh directory per start, like the fresh database: a warehouse left by an earlier run
        // holds tables the new database does not know (their locations would be "in use").
        Path work = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "e2e").toAbsolutePath()), "run-");
        PlatformApps apps = new PlatformApps(work, everyApp, databaseUrl);
        try {
            int metadata = freePort();
            int lineage = freePort();
            int ingest = freePort(); // started only with a broker; otherwise the gateway answers 503
            apps.metadataPort = metadata;
            apps.lineagePort = lineage;
            apps.ingestPort = ingest;
            apps.gatewayPort = freePort();
            Map<String, String> metadataSettings = new LinkedHashMap<>(Map.of(
                    "deltaplane.warehouse.root",
                    work.resolve("warehouse").toString(),
                    // Every commit reaches lineage as a snapshot, as on ./platform up.
                    "deltaplane.lineage.base-url",
                    "http://127.0.0.1:" + lineage,
                    "deltaplane.lineage.api-key",
                    ADMIN_KEY));
            metadataSettings.putAll(metadataProperties);
            apps.launch("metadata", jar(root, "metadata-service"), metadata, metadataSettings);
            apps.launch(
                    "lineage",
                    jar(root, "lineage-service"),
                    lineage,
                    Map.of("deltaplane.artifacts.dir", work.resolve("artifacts").toString()));
            apps.launch(
                    "gateway",
                    jar(root, "gateway"),
                    apps.gatewayPort,
                    Map.of(
                            "deltaplane.gateway.backends.metadata.url", "http://127.0.0.1:" + metadata,
                            "deltaplane.gateway.backends.lineage.url", "http://127.0.0.1:" + lineage,
                            "deltaplane.gateway.backends.ingest.url", "http://127.0.0.1:" + ingest));
            if (kafkaBootstrapServers != null) {
                apps.launch(
                        "ingest",
                        jar(root, "ingest-worker"),
                        ingest,
                        Map.of(
                                "deltaplane.ingest.kafka-bootstrap",
                                kafkaBootstrapServers,
                                "deltaplane.ingest.policy.allowed-hosts",
                                kafkaBootstrapServers,
                                "deltaplane.warehouse.duckdb",
                                work.resolve("ingest-warehouse.duckdb").toString(),
                                "deltaplane.services.metadata-url",
                                "http://127.0.0.1:" + metadata,
                                "deltaplane.services.lineage-url",
                                "http://127.0.0.1:" + lineage,
                                "deltaplane.services.api-key",
                                ADMIN_KEY,
                                "deltaplane.delta-target.staging-dir",
                                work.resolve("ingest-staging").toString(),
                                // one worker, restarted under the same id (as a pod keeps its name)
                                "deltaplane.delta-target.worker-id",
                                "ingest-1"));
            }
            apps.awaitReady("metadata", metadata);
            apps.awaitReady("lineage", lineage);
            if (kafkaBootstrapServers != null) {
                apps.awaitReady("ingest", ingest);
            }
            apps.awaitReady("gateway", apps.gatewayPort);
            return apps;
        } catch (Exception | Error e) {
            apps.close();
            throw e;
        }
    }

    /** The gateway's base URL, {@code http://127.0.0.1:<port>}. */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** The metadata service's own base URL (behind the gateway). */
    public String metadataUrl() {
        return "http://127.0.0.1:" + metadataPort;
    }

    /** The lineage service's own base URL (behind the gateway). */
    public String lineageUrl() {
        return "http://127.0.0.1:" + lineagePort;
    }

    /** The ingest worker's own base URL (behind the gateway); serves only when started with a broker. */
    public String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    /** The ingest worker's DuckDB warehouse file (read it once the worker is stopped: DuckDB locks it). */
    public Path ingestWarehouse() {
        return logs.resolve("ingest-warehouse.duckdb");
    }

    /** Where each app's output goes ({@code <name>.log}). */
    public Path logs() {
        return logs;
    }

    private void launch(String name, Path jar, int port, Map<String, String> properties) throws IOException {
        TestDatabase db = TestDatabase.get();
        Map<String, String> all = new LinkedHashMap<>(everyApp);
        all.putAll(properties);
        all.put("deltaplane.db.url", databaseUrl);
        all.put("deltaplane.db.user", db.user());
        all.put("deltaplane.db.password", db.password());
        all.put("deltaplane.db.min-idle", TestDatabase.MIN_IDLE);
        all.put("deltaplane.db.idle-timeout", TestDatabase.IDLE_TIMEOUT);
        all.put("deltaplane.security.admin-api-key", ADMIN_KEY);
        all.put("server.port", Integer.toString(port));
        if (!name.equals("gateway")) {
            // As ./platform runs them: the services take the client's address from the gateway,
            // which reaches them over the loopback interface.
            String trusted = everyApp.getOrDefault(TRUSTED_PROXIES, "");
            all.put(TRUSTED_PROXIES, (trusted.isEmpty() ? "" : trusted + ",") + LOOPBACK);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(SuiteJvm.COMPILER_AND_COLLECTOR);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        commands.put(name, List.copyOf(command));
        jars.put(name, AppJar.of(jar));
        ports.put(name, port);
        spawn(name);
    }

    private void spawn(String name) throws IOException {
        AppJar.Started start = jars.get(name).start();
        List<String> command = new ArrayList<>(commands.get(name));
        command.addAll(start.arguments());
        started.put(name, start);
        processes.put(
                name,
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                logs.resolve(name + ".log").toFile()))
                        .start());
    }

    /** Kills an app ({@code metadata}, {@code lineage}, {@code gateway}, {@code ingest}) as {@code kill -9} does. */
    public void kill(String app) throws InterruptedException {
        Process process = processes.remove(app);
        if (process == null) {
            throw new IllegalArgumentException("no app " + app + " is running");
        }
        process.destroyForcibly();
        started.remove(app).ended(process.waitFor());
    }

    /** Stops an app as its orchestrator would (SIGTERM: it shuts down gracefully). */
    public void stop(String app) throws InterruptedException {
        Process process = processes.remove(app);
        if (process == null) {
            throw new IllegalArgumentException("no app " + app + " is running");
        }
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        started.remove(app).ended(process.waitFor());
    }

    /** Starts a killed or stopped app again, as it was started, and waits until it is ready. */
    public void restart(String app) throws Exception {
        if (!commands.containsKey(app)) {
            throw new IllegalArgumentException("no app " + app + " was started");
        }
        if (processes.containsKey(app)) {
            throw new IllegalStateException(app + " is running");
        }
        spawn(app);
        awaitReady(app, ports.get(app));
    }

    private void awaitReady(String name, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (processes.values().stream().anyMatch(p -> !p.isAlive())) {
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

    /**
     * The jar {@code module} (a directory of the repository, e.g. {@code metadata-service}) built in
     * its {@code target/}, for a suite that runs one app by itself ({@link ServiceProcess}).
     */
    public static Path builtJar(String module) throws IOException {
        return jar(repositoryRoot(), module);
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
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Map.Entry<String, Process> app : processes.entrySet()) {
            Process p = app.getValue();
            try {
                // a JVM that records its class-data-sharing archive writes it while it stops
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                AppJar.Started start = started.remove(app.getKey());
                if (start != null) {
                    start.ended(p.waitFor());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
