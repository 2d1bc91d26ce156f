package io.deltaplane.lineage.bench;

import io.deltaplane.lineage.LineageServiceApplication;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real lineage-service in its own JVM on a random port, over the benchmark's throw-away
 * database, as {@code io.deltaplane.testing.PlatformApps} starts the apps for the end-to-end suites:
 * the clients that measure it stay in the benchmark's JVM and never share its CPU accounting or heap.
 * It runs from the module's compiled classes and the benchmark's class path (what {@code tools/bench}
 * builds), so the command works on a fresh clone without packaging the jar first. JVM options:
 * {@code -Dbench.service.jvm} (default {@code -Xms512m -Xmx512m}: a fixed heap, the JIT as in production).
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ServiceProcess start(TestDatabase db, String adminKey) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createDirectories(Path.of("target")).resolve("bench-lineage-service.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option :
                System.getProperty("bench.service.jvm", "-Xms512m -Xmx512m").split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LineageServiceApplication.class.getName());
        // Command-line arguments outrank application.yml and the shared defaults: the app really binds
        // this port and uses the throw-away database.
        command.add("--server.port=" + port);
        command.add("--deltaplane.db.url=" + db.url());
        command.add("--deltaplane.db.user=" + db.user());
        command.add("--deltaplane.db.password=" + db.password());
        command.add("--deltaplane.db.max-pool-size=16");
        command.add("--deltaplane.security.admin-api-key=" + adminKey);
        command.add("--deltaplane.artifacts.dir=target/bench-artifacts");
        command.add("--logging.level.root=WARN");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        // Never leave it running (the database it uses is dropped at exit).
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stop-lineage-service"));
        service.awaitReady();
        return service;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** CPU time the service's JVM has used so far, in nanoseconds. */
    long cpuNanos() {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report a process's CPU time"))
                .toNanos();
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("lineage-service exited while starting; see " + log);
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
        throw new IllegalStateException("lineage-service not ready in time; see " + log);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
