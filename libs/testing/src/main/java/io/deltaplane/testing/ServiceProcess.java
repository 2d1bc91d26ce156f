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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the platform's services in its own JVM on a free port, over a benchmark's throw-away
 * database, as {@link PlatformApps} starts the apps for the end-to-end suites: the clients that
 * measure it stay in the benchmark's JVM and never share its CPU accounting or heap. It runs either
 * from a class path and main class (the module's compiled classes and the benchmark's class path,
 * what {@code tools/bench} builds, so the command works on a fresh clone without packaging) or from
 * a built jar (another module's service). Its output goes to {@code target/bench-<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The default JVM options: a fixed heap, the JIT as in production. */
    public static final String DEFAULT_JVM_OPTIONS = "-Xms512m -Xmx512m";

    /** The options of a service a test suite starts (not a benchmark's): {@link SuiteJvm#OPTIONS}. */
    public static final String SUITE_JVM_OPTIONS = String.join(" ", SuiteJvm.OPTIONS);

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** A JVM that records its class-data-sharing archive writes it while it stops. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    /** Null when it runs from a class path. */
    private final AppJar.Started started;

    private ServiceProcess(String name, Process process, int port, Path log, AppJar.Started started) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.started = started;
    }

    /**
     * What to run: {@code -cp <class path> <main class>}, or an app's jar ({@link AppJar}: extracted,
     * with its class-data-sharing archive).
     */
    public record Launch(List<String> arguments, AppJar app) {
        public Launch {
            arguments = List.copyOf(arguments);
        }

        /** The main class on this JVM's own class path (the benchmark's, which holds the module's classes). */
        public static Launch mainClass(String mainClass) {
            return new Launch(List.of("-cp", System.getProperty("java.class.path"), mainClass), null);
        }

        public static Launch jar(Path jar) {
            return new Launch(List.of(), AppJar.of(jar));
        }
    }

    /**
     * Starts the service and waits until it reports ready ({@code /actuator/health/readiness}).
     *
     * @param name the service's name in messages and its log file's name
     * @param jvmOptions options of its JVM, blank-separated (e.g. {@link #DEFAULT_JVM_OPTIONS})
     * @param properties its settings besides the port, the database, the admin key and the log level
     */
    public static ServiceProcess start(
            String name,
            Launch launch,
            String jvmOptions,
            TestDatabase db,
            String adminKey,
            Map<String, String> properties)
            throws Exception {
        return start(name, launch, jvmOptions, db, db.url(), adminKey, properties);
    }

    /**
     * The same, reaching the database at {@code dbUrl} (through a proxy that injects faults, say)
     * instead of the database's own address.
     */
    public static ServiceProcess start(
            String name,
            Launch launch,
            String jvmOptions,
            TestDatabase db,
            String dbUrl,
            String adminKey,
            Map<String, String> properties)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createDirectories(Path.of("target")).resolve("bench-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(jvmOptions.split("\\s+"))
                .filter(option -> !option.isBlank())
                .forEach(command::add);
        AppJar.Started started = launch.app() == null ? null : launch.app().start();
        command.addAll(started == null ? launch.arguments() : started.arguments());
        // Command-line arguments outrank application.yml and the shared defaults: the app really binds
        // this port and uses the throw-away database.
        command.add("--server.port=" + port);
        command.add("--deltaplane.db.url=" + dbUrl);
        command.add("--deltaplane.db.user=" + db.user());
        command.add("--deltaplane.db.password=" + db.password());
        command.add("--deltaplane.db.min-idle=" + TestDatabase.MIN_IDLE);
        command.add("--deltaplane.db.idle-timeout=" + TestDatabase.IDLE_TIMEOUT);
        command.add("--deltaplane.security.admin-api-key=" + adminKey);
        command.add("--logging.level.root=WARN");
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(name, process, port, log, started);
        // Never leave it running (the database it uses is dropped at exit).
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stop-" + name));
        try {
            service.awaitReady();
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
        return service;
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The operating system's id of the service's JVM (for {@code /proc/<pid>}). */
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** CPU time the service's JVM has used so far, in nanoseconds. */
    public long cpuNanos() {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report a process's CPU time"))
                .toNanos();
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready in time; see " + log);
    }

    /** Kills the JVM at once ({@code kill -9}): no shutdown hook, no draining, as a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        ended(process.waitFor());
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            ended(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void ended(int exitCode) {
        if (started != null) {
            started.ended(exitCode);
        }
    }
}
