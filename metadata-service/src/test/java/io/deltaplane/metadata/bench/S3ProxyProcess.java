package io.deltaplane.metadata.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy on its file system backend in a JVM of its own, as {@code ./platform up --storage s3}
 * runs it (same main class, same heap and collector): a benchmark measuring the service then does
 * not also measure the emulator's garbage collections and safepoints in the service's JVM. It still
 * shares the machine's cores, which a real object store does not. Ready when Jetty's connector
 * reports it started; its output is drained and dropped.
 */
final class S3ProxyProcess implements AutoCloseable {

    /** What {@code ./platform} gives it. */
    private static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC");

    private final Process process;
    private final int port;

    private S3ProxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A server whose buckets are the directories under {@code data}, with these access keys. */
    static S3ProxyProcess start(Path data, String identity, String credential) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.createTempDirectory("deltaplane-bench-s3proxy-");
        Path properties = config.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + identity,
                        "s3proxy.credential=" + credential,
                        "jclouds.provider=filesystem",
                        "jclouds.identity=" + identity,
                        "jclouds.credential=" + credential,
                        "jclouds.filesystem.basedir=" + data,
                        ""));
        // Warnings only, but the connector's start line, which says it is ready.
        Path logback = config.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%-5level %logger{24} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.gaul.shaded.org.eclipse.jetty.server.AbstractConnector" level="INFO"/>
                  <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """);
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dlogback.configurationFile=" + logback);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "org.gaul.s3proxy.Main",
                "--properties",
                properties.toString()));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        S3ProxyProcess server = new S3ProxyProcess(process, port);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            if (line.contains("Started") && line.contains(":" + port)) {
                                ready.complete(null);
                            } else if (!ready.isDone()) {
                                System.err.println("s3proxy: " + line);
                            }
                        }
                        ready.completeExceptionally(new IllegalStateException("S3Proxy exited before listening"));
                    } catch (IOException e) {
                        ready.completeExceptionally(e);
                    }
                },
                "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
