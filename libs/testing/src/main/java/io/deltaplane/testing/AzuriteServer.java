package io.deltaplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Azurite, the Azure Storage emulator, as a child process of the test JVM: the version pinned in
 * tools/azurite/package-lock.json (installed with {@code npm ci} on first use), Blob API only, in
 * memory (or, with {@link #startOnDisk()}, in a temporary directory), on a free port. Ready when it
 * prints that it listens. Shared by the storage contract and the services' tests of tables on Azure.
 */
public final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account (public, in Microsoft's documentation). */
    public static final String ACCOUNT = "devstoreaccount1";

    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;
    private final Path location; // null when in memory
    /** The emulator's connections beyond loopback, watched for its whole life: there must be none. */
    private final ConnectionWatch beyondLoopback;
    /** How often the watch looks: telemetry's connections, when it is on, stay open for minutes. */
    private static final java.time.Duration WATCH_EVERY = java.time.Duration.ofMillis(500);

    private AzuriteServer(Process process, int port, Path location) {
        this.process = process;
        this.port = port;
        this.location = location;
        this.beyondLoopback = ConnectionWatch.start(
                () -> ProcessSockets.withDescendants(process.pid()), address -> false, WATCH_EVERY);
    }

    public static AzuriteServer start() throws Exception {
        return start(null);
    }

    /**
     * Blobs in files under a temporary directory instead of Azurite's memory: for gigabyte
     * objects, which would otherwise sit in the emulator's RAM. The directory goes with {@link
     * #close()}.
     */
    public static AzuriteServer startOnDisk() throws Exception {
        return start(Files.createTempDirectory("azurite"));
    }

    private static AzuriteServer start(Path location) throws Exception {
        Path tools = toolsDir();
        Path main = tools.resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.exists(main)) {
            run(tools, List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new java.util.ArrayList<>(
                List.of("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port)));
        if (location == null) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", location.toString()));
        }
        // --disableTelemetry: by default Azurite starts Application Insights, which connects to the
        // cloud metadata endpoint (169.254.169.254) and looks up Microsoft's ingestion host — no
        // test of ours may reach beyond this machine (close() fails if it did).
        command.addAll(List.of("--skipApiVersionCheck", "--loose", "--disableTelemetry"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        AzuriteServer server = new AzuriteServer(process, port, location);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.contains("successfully listens")) {
                        listening.complete(null);
                    }
                }
                listening.completeExceptionally(new IllegalStateException("Azurite exited before listening"));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String connectionString() {
        return connectionString(port);
    }

    /** The connection string for this account at another port (a proxy in front of Azurite). */
    public static String connectionString(int port) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    /** The emulator's process id. */
    public long pid() {
        return process.pid();
    }

    /** The port Azurite's Blob service listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /**
     * Stops the emulator. Fails (after stopping it) if the emulator connected to anything beyond
     * loopback while it ran — telemetry left on, or a lookup of a cloud endpoint: no test of ours may
     * reach beyond this machine, and every test that runs Azurite checks it so.
     */
    @Override
    public void close() {
        List<ProcessSockets.Connection> seen;
        try {
            seen = beyondLoopback.lookNow();
        } finally {
            // the emulator stops even when the watch could not look
            try {
                beyondLoopback.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop();
        }
        if (!seen.isEmpty()) {
            throw new IllegalStateException("Azurite connected beyond loopback (telemetry left on?): " + seen);
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (location != null) {
            deleteRecursively(location);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Removing Azurite's directory " + dir, e);
        }
    }

    private static Path toolsDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/azurite/package-lock.json");
            if (Files.exists(candidate)) {
                return candidate.getParent();
            }
        }
        throw new IllegalStateException(
                "tools/azurite/package-lock.json not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs a setup command with its output in a log file. Never inherit the test JVM's stdin: node
     * makes an inherited stdin non-blocking, which breaks surefire's command channel on it.
     */
    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("azurite-setup", ".log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new UncheckedIOException(
                    new IOException(command + " failed in " + dir + ":\n" + Files.readString(log)));
        }
        Files.deleteIfExists(log);
    }
}
