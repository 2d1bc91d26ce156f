package io.deltaplane.gateway;

import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;

/**
 * The gateway in a child JVM with JVM options of our choosing (e.g. a small heap), on this test
 * JVM's Postgres database and classpath. Its log goes to {@code target/forked-gateway-*.log}.
 */
final class ForkedGateway implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ForkedGateway(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ForkedGateway start(List<String> jvmOptions, Map<String, String> properties) throws Exception {
        int port = freePort();
        TestDatabase db = TestDatabase.get();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Ddeltaplane.db.url=" + db.url());
        command.add("-Ddeltaplane.db.user=" + db.user());
        command.add("-Ddeltaplane.db.password=" + db.password());
        command.add("-Dserver.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayApplication.class.getName());
        Path log = Files.createDirectories(Path.of("target"))
                .resolve("forked-gateway-" + port + ".log")
                .toAbsolutePath();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ForkedGateway gateway = new ForkedGateway(process, port, log);
        gateway.awaitReady(Duration.ofMinutes(3));
        return gateway;
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("forked gateway exited:\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("forked gateway not ready in " + timeout + ":\n" + tail());
    }

    private String tail() {
        String text = logText();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
