package io.deltaplane.engines.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform as an Iceberg engine reaches it: metadata-service's jar and the gateway's jar, each in
 * its own JVM over this run's throw-away database, the gateway in front (as {@code ./platform up}
 * runs them, {@link PlatformApps}), every setting at its default. The suite makes and changes tables
 * over the gateway's {@code /api/v1} with the admin key, as a pipeline would, and Spark reads them
 * through the gateway's Iceberg REST door.
 */
final class Deltaplane implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ADMIN_KEY = "engine-tests-iceberg-admin-key-01";
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(90);

    private final ServiceProcess metadata;
    private final ServiceProcess gateway;
    private final TestHttp http;

    private Deltaplane(ServiceProcess metadata, ServiceProcess gateway) {
        this.metadata = metadata;
        this.gateway = gateway;
        this.http = TestHttp.local(gateway.port(), ADMIN_KEY);
    }

    static Deltaplane start(Path warehouse) throws Exception {
        Files.createDirectories(warehouse);
        ServiceProcess metadata = ServiceProcess.start(
                "metadata",
                ServiceProcess.Launch.jar(PlatformApps.builtJar("metadata-service")),
                ServiceProcess.SUITE_JVM_OPTIONS,
                TestDatabase.get(),
                ADMIN_KEY,
                Map.of(
                        "deltaplane.warehouse.root",
                        warehouse.toString(),
                        // as ./platform runs it: the client's address comes from the gateway, over loopback
                        "deltaplane.security.trusted-proxies",
                        "127.0.0.1,::1"));
        try {
            // lineage and ingest are not started: the gateway answers their routes 503, as PlatformApps does
            String nowhere = "http://127.0.0.1:" + freePort();
            ServiceProcess gateway = ServiceProcess.start(
                    "gateway",
                    ServiceProcess.Launch.jar(PlatformApps.builtJar("gateway")),
                    ServiceProcess.SUITE_JVM_OPTIONS,
                    TestDatabase.get(),
                    ADMIN_KEY,
                    Map.of(
                            "deltaplane.gateway.backends.metadata.url", metadata.baseUrl(),
                            "deltaplane.gateway.backends.lineage.url", nowhere,
                            "deltaplane.gateway.backends.ingest.url", nowhere));
            return new Deltaplane(metadata, gateway);
        } catch (Exception | Error e) {
            metadata.close();
            throw e;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The gateway's port: where Spark's Iceberg catalog points. */
    int gatewayPort() {
        return gateway.port();
    }

    void createCatalogAndSchema(String catalog, String schema) {
        ok(
                http.post(
                        "/api/v1/catalogs",
                        JSON.createObjectNode().put("name", catalog).toString()),
                201);
        ok(
                http.post(
                        "/api/v1/schemas",
                        JSON.createObjectNode()
                                .put("catalog_name", catalog)
                                .put("name", schema)
                                .toString()),
                201);
    }

    /** {@code POST /api/v1/tables}: a managed table in the warehouse; answers the table as created. */
    JsonNode createTable(
            String fullName, String schemaJson, List<String> partitionColumns, Map<String, String> properties) {
        String[] parts = fullName.split("\\.");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_name", parts[0]);
        body.put("schema_name", parts[1]);
        body.put("name", parts[2]);
        body.put("schema", JSON.readTree(schemaJson));
        body.put("partition_columns", partitionColumns);
        body.put("properties", properties);
        return ok(http.post("/api/v1/tables", JSON.writeValueAsString(body)), 201);
    }

    JsonNode table(String fullName) {
        return ok(http.get("/api/v1/tables/" + fullName), 200);
    }

    /** A commit at {@code expectedVersion}; answers the version it became. */
    long commit(String fullName, long expectedVersion, List<? extends JsonNode> actions) {
        ObjectNode body = JSON.createObjectNode().put("expected_version", expectedVersion);
        ArrayNode list = body.putArray("actions");
        actions.forEach(list::add);
        return ok(http.post("/api/v1/tables/" + fullName + "/commits", body.toString()), 201)
                .get("version")
                .asLong();
    }

    /** {@code POST /api/v1/tables/{t}/optimize} with the defaults; answers what it did. */
    JsonNode optimize(String fullName) {
        return ok(http.post("/api/v1/tables/" + fullName + "/optimize", "{}"), 200);
    }

    /**
     * A {@code metaData} action for the table as it is now, with {@code schema} and {@code
     * partitionColumns} (a rename, a new partitioning).
     */
    ObjectNode metaData(String fullName, JsonNode schema, List<String> partitionColumns) {
        JsonNode table = table(fullName);
        ObjectNode metaData = JSON.createObjectNode();
        ObjectNode body = metaData.putObject("metaData");
        body.put("id", table.get("table_id").asString());
        body.putObject("format").put("provider", "parquet").putObject("options");
        body.put("schemaString", schema.toString());
        ArrayNode columns = body.putArray("partitionColumns");
        partitionColumns.forEach(columns::add);
        ObjectNode configuration = body.putObject("configuration");
        table.get("properties")
                .properties()
                .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
        return metaData;
    }

    /** A {@code remove} of a file the table holds, as a change to its data. */
    static ObjectNode remove(String path) {
        ObjectNode remove = JSON.createObjectNode();
        remove.putObject("remove")
                .put("path", path)
                .put("deletionTimestamp", System.currentTimeMillis())
                .put("dataChange", true);
        return remove;
    }

    /** Waits until the platform has published {@code version} of the table's {@code _delta_log}. */
    void awaitPublished(String fullName, long version) throws InterruptedException {
        Instant deadline = Instant.now().plus(PUBLISH_WAIT);
        while (ok(http.get("/api/v1/tables/" + fullName + "/publish"), 200)
                        .path("published_version")
                        .asLong(-1)
                < version) {
            assertThat(Instant.now())
                    .as("version %d of %s published", version, fullName)
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            metadata.close();
        }
    }
}
