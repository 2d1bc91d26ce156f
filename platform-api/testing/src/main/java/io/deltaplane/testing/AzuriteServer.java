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
 * memory, on a free port. Ready when it prints that it listens. Shared by the storage contract and
 * the services' tests of tables on Azure.
 */
public final class AzuriteServer implements AutoCloseable {

    /** Azurite's well-known development account (public, in Microsoft's documentation). */
    public static final String ACCOUNT = "devstoreaccount1";

    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;

    private AzuriteServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static AzuriteServer start() throws Exception {
        Path tools = toolsDir();
        Path main = tools.resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.exists(main)) {
            run(tools, List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(
                        "node",
                        main.toString(),
                        "--blobHost",
                        "127.0.0.1",
                        "--blobPort",
                        Integer.toString(port),
                        "--inMemoryPersistence",
                        "--skipApiVersionCheck",
                        "--loose")
                .redirectErrorStream(true)
                .start();
        AzuriteServer server = new AzuriteServer(process, port);
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
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
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
