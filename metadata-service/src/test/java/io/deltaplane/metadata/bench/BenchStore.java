package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the warehouse lives for one measurement: the local directory, S3Proxy (file system backend
 * in a temp directory, in a JVM of its own as ./platform up --storage s3 runs it, or with {@code
 * -Dbench.s3.jvm=shared} in this JVM), or Azurite (tools/azurite). {@code where} says which, for the
 * output.
 */
record BenchStore(String name, String warehouse, Map<String, String> environment, AutoCloseable server, String where)
        implements AutoCloseable {

    static BenchStore start(String name) throws Exception {
        switch (name) {
            case "local" -> {
                return new BenchStore(name, null, Map.of(), () -> {}, "a local temp directory");
            }
            case "s3" -> {
                Path data = Files.createTempDirectory("deltaplane-bench-s3-");
                Files.createDirectories(data.resolve("lake")); // the file system backend's bucket
                Map<String, String> environment;
                AutoCloseable server;
                String where;
                if (System.getProperty("bench.s3.jvm", "own").equals("shared")) {
                    org.gaul.s3proxy.S3Proxy proxy = startInThisJvm(data);
                    environment = s3Environment(proxy.getPort());
                    server = proxy::stop;
                    where = "S3Proxy in the benchmark's JVM (-Dbench.s3.jvm=shared)";
                } else {
                    S3ProxyProcess proxy = S3ProxyProcess.start(data, "bench", "bench-secret");
                    environment = s3Environment(proxy.port());
                    server = proxy;
                    where = "S3Proxy in a JVM of its own (pid " + proxy.pid() + "), as ./platform up --storage s3";
                }
                return new BenchStore(name, "s3://lake/warehouse", environment, server, where);
            }
            case "azurite" -> {
                AzuriteServer azurite = AzuriteServer.start();
                new com.azure.storage.blob.BlobServiceClientBuilder()
                        .connectionString(azurite.connectionString())
                        .buildClient()
                        .createBlobContainer("lake");
                return new BenchStore(
                        name,
                        "abfss://lake@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/warehouse",
                        Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()),
                        azurite,
                        "Azurite (node, a process of its own, in memory)");
            }
            default -> throw new IllegalArgumentException("bench.storage: local, s3 or azurite, not " + name);
        }
    }

    /**
     * The real metadata-service in this JVM on a random port, over {@code db}, with its warehouse on
     * this store (a temp directory when local) and {@code extra} settings ({@code --name=value}).
     */
    ConfigurableApplicationContext startMetadataService(TestDatabase db, String adminKey, List<String> extra)
            throws java.io.IOException {
        Path warehouse = Files.createTempDirectory("deltaplane-bench-");
        // Command-line arguments: they outrank application.yml (server.port=${PORT:8081} there).
        List<String> arguments = new ArrayList<>(List.of(
                "--deltaplane.db.url=" + db.url(),
                "--deltaplane.db.user=" + db.user(),
                "--deltaplane.db.password=" + db.password(),
                "--deltaplane.security.admin-api-key=" + adminKey,
                "--deltaplane.warehouse.root=" + warehouse,
                "--server.port=0",
                "--logging.level.root=WARN",
                "--logging.level.io.delta=WARN"));
        environment.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        if (this.warehouse != null) {
            arguments.add("--deltaplane.warehouse.uri=" + this.warehouse);
        }
        arguments.addAll(extra);
        return new SpringApplicationBuilder(MetadataServiceApplication.class).run(arguments.toArray(String[]::new));
    }

    /** The same store, reached at another S3 endpoint (a proxy in front of it). */
    BenchStore withEndpoint(String endpoint) {
        Map<String, String> changed = new java.util.HashMap<>(environment);
        changed.put("AWS_ENDPOINT_URL_S3", endpoint);
        return new BenchStore(name, warehouse, Map.copyOf(changed), server, where + ", through a latency proxy");
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    private static org.gaul.s3proxy.S3Proxy startInThisJvm(Path data) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        properties.setProperty("jclouds.identity", "bench");
        properties.setProperty("jclouds.credential", "bench-secret");
        org.gaul.s3proxy.S3Proxy proxy = org.gaul.s3proxy.S3Proxy.builder()
                .blobStore(org.gaul.s3proxy.BlobStores.create("filesystem", properties))
                .endpoint(java.net.URI.create("http://127.0.0.1:" + freePort()))
                .awsAuthentication(org.gaul.s3proxy.auth.AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret")
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            sleepQuietly(10);
        }
        return proxy;
    }

    private static Map<String, String> s3Environment(int port) {
        return Map.of(
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + port,
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "bench",
                "AWS_SECRET_ACCESS_KEY", "bench-secret");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
