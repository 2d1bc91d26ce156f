package io.deltaplane.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * metadata-service as users run it: the jar its module built, in its own JVM, over this run's
 * throw-away database, with its warehouse in a fresh directory and every setting at its default (so
 * checkpoints come at Delta's cadence, as they would for any user). The suite talks to it over
 * {@code /api/v1} with the admin key, as a pipeline would.
 */
final class Deltaplane implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_KEY = "engine-tests-admin-key-000001";
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(90);

    private final ServiceProcess app;
    private final TestHttp http;
    private final Path warehouse;

    private Deltaplane(ServiceProcess app, Path warehouse) {
        this.app = app;
        this.http = TestHttp.local(app.port(), ADMIN_KEY);
        this.warehouse = warehouse;
    }

    static Deltaplane start(Path warehouse) throws Exception {
        Files.createDirectories(warehouse);
        ServiceProcess app = ServiceProcess.start(
                "metadata",
                ServiceProcess.Launch.jar(PlatformApps.builtJar("metadata-service")),
                ServiceProcess.SUITE_JVM_OPTIONS,
                TestDatabase.get(),
                ADMIN_KEY,
                Map.of("deltaplane.warehouse.root", warehouse.toString()));
        return new Deltaplane(app, warehouse);
    }

    /** Iceberg's own client, pointed at the Iceberg door with {@code catalog} as its warehouse; the caller closes it. */
    org.apache.iceberg.rest.RESTCatalog iceberg(String catalog) {
        return io.deltaplane.testing.IcebergReader.catalog(app.port(), catalog, ADMIN_KEY);
    }

    /** What the {@code deltaplane} CLI is pointed at: this service's URL and the admin key. */
    java.util.Map<String, String> cliEnvironment() {
        return java.util.Map.of(
                "DELTAPLANE_API_URL", "http://127.0.0.1:" + app.port(), "DELTAPLANE_API_KEY", ADMIN_KEY);
    }

    /** The directory the platform places and adopts tables in. */
    Path warehouse() {
        return warehouse;
    }

    void createSchema(String catalog, String schema) {
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

    /** {@code POST /tables/import}: the platform adopts the Delta table an engine wrote at {@code location}. */
    JsonNode importTable(String fullName, Path location) {
        return ok(tryImport(fullName, location), 201);
    }

    /** The same import, answered as it comes (a refusal, say). */
    HttpResponse<String> tryImport(String fullName, Path location) {
        String[] parts = fullName.split("\\.");
        return http.post(
                "/api/v1/tables/import",
                JSON.createObjectNode()
                        .put("catalog_name", parts[0])
                        .put("schema_name", parts[1])
                        .put("name", parts[2])
                        .put("location", location.toString())
                        .toString());
    }

    int status(String path) {
        return http.get(path).statusCode();
    }

    JsonNode table(String fullName) {
        return ok(http.get("/api/v1/tables/" + fullName), 200);
    }

    /** The actions of one version as the platform stores them ({@code /changes}). */
    JsonNode changes(String fullName, long fromVersion, long toVersion) {
        return ok(
                http.get("/api/v1/tables/" + fullName + "/changes?from_version=" + fromVersion + "&to_version="
                        + toVersion),
                200);
    }

    /**
     * {@code POST /vacuum} keeping what versions of the last {@code retentionHours} need; under the
     * service's minimum retention as the metastore admin this suite's key is. Answers the result.
     */
    JsonNode vacuum(String fullName, double retentionHours) {
        return ok(
                http.post(
                        "/api/v1/tables/" + fullName + "/vacuum",
                        JSON.createObjectNode()
                                .put("retention_hours", retentionHours)
                                .put("allow_short_retention", true)
                                .toString()),
                200);
    }

    /** A commit at {@code expectedVersion}; answers the version it became. */
    long commit(String fullName, long expectedVersion, List<ObjectNode> actions) {
        ObjectNode body = JSON.createObjectNode().put("expected_version", expectedVersion);
        ArrayNode list = body.putArray("actions");
        actions.forEach(list::add);
        return ok(http.post("/api/v1/tables/" + fullName + "/commits", body.toString()), 201)
                .get("version")
                .asLong();
    }

    /** An append the platform places at the table's next version (no {@code expected_version}). */
    long append(String fullName, List<ObjectNode> actions) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("actions");
        actions.forEach(list::add);
        return ok(http.post("/api/v1/tables/" + fullName + "/commits", body.toString()), 201)
                .get("version")
                .asLong();
    }

    /** An {@code add} of a Parquet file already inside the table, with its row count as statistics. */
    static ObjectNode add(Path tableRoot, Path file, long numRecords) throws IOException {
        ObjectNode add = JSON.createObjectNode();
        ObjectNode body = add.putObject("add");
        body.put("path", tableRoot.relativize(file).toString());
        body.putObject("partitionValues");
        body.put("size", Files.size(file));
        body.put("modificationTime", Files.getLastModifiedTime(file).toMillis());
        body.put("dataChange", true);
        body.put("stats", JSON.createObjectNode().put("numRecords", numRecords).toString());
        return add;
    }

    /** A {@code remove} of a file the table holds, as a change to its data. */
    static ObjectNode remove(Path tableRoot, Path file, long size) {
        ObjectNode remove = JSON.createObjectNode();
        ObjectNode body = remove.putObject("remove");
        body.put("path", tableRoot.relativize(file).toString());
        body.put("deletionTimestamp", System.currentTimeMillis());
        body.put("dataChange", true);
        body.put("extendedFileMetadata", true);
        body.putObject("partitionValues");
        body.put("size", size);
        return remove;
    }

    /** A {@code cdc} action: a change file under {@code _change_data/} (its rows carry {@code _change_type}). */
    static ObjectNode cdc(Path tableRoot, Path file) throws IOException {
        ObjectNode cdc = JSON.createObjectNode();
        ObjectNode body = cdc.putObject("cdc");
        body.put("path", tableRoot.relativize(file).toString());
        body.putObject("partitionValues");
        body.put("size", Files.size(file));
        body.put("dataChange", false);
        return cdc;
    }

    /**
     * Waits until {@code <version>.json} is in the table's {@code _delta_log} (the platform publishes
     * after it answers), and, when {@code checkpointAtLeast} is not negative, until {@code
     * _last_checkpoint} names a checkpoint at or after it.
     */
    static void awaitPublished(Path tableRoot, long version, long checkpointAtLeast) throws Exception {
        Path log = tableRoot.resolve("_delta_log");
        Instant deadline = Instant.now().plus(PUBLISH_WAIT);
        while (true) {
            boolean published = Files.exists(log.resolve(String.format("%020d.json", version)));
            boolean checkpointed = checkpointAtLeast < 0 || lastCheckpoint(log) >= checkpointAtLeast;
            if (published && checkpointed) {
                return;
            }
            assertThat(Instant.now())
                    .as("version %d published (and a checkpoint at or after %d) in %s", version, checkpointAtLeast, log)
                    .isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static long lastCheckpoint(Path log) throws IOException {
        Path last = log.resolve("_last_checkpoint");
        if (!Files.exists(last)) {
            return -1;
        }
        try {
            return JSON.readTree(Files.readString(last)).path("version").asLong(-1);
        } catch (RuntimeException halfWritten) {
            return -1;
        }
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        app.close();
    }
}
