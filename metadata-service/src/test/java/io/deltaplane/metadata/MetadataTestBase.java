package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Spring context (same properties) for every test class: the real app on a random port over a
 * fresh Postgres database, called through real HTTP with an admin key.
 */
@SpringBootTest(
        classes = MetadataServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.security.admin-api-key=" + MetadataTestBase.ADMIN_KEY,
            "deltaplane.warehouse.root=target/test-warehouse",
            // Tests put external tables and imports under the temp directory.
            "deltaplane.warehouse.storage-roots=${java.io.tmpdir}",
            // checkpoints every 10 versions, as soon as they are due (production: 10 and at most once a minute)
            "deltaplane.publish.checkpoint-interval=10",
            "deltaplane.publish.checkpoint-min-interval=0s",
            // table maintenance runs when a test asks for a round (MaintenanceWorkerTest)
            "deltaplane.maintenance.auto-enabled=false",
            // health passes run when a test asks for one (TableHealthTest)
            "deltaplane.health.enabled=false",
            // Iceberg metadata is made when a test loads a table or runs a round (IcebergServingTest)
            "deltaplane.iceberg.background=false",
            "deltaplane.maintenance.optimize-min-small-files=3"
        })
public abstract class MetadataTestBase {

    public static final String ADMIN_KEY = "test-admin-key-metadata-0001";
    public static final String SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
            + "{\"name\":\"amount\",\"type\":\"decimal(10,2)\",\"nullable\":true,\"metadata\":{}}]}";

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    protected TestHttp http;

    @BeforeEach
    void setUpHttp() {
        http = TestHttp.local(port, ADMIN_KEY);
    }

    /** Creates a fresh catalog + schema + table (unique names) and returns the table's full name. */
    protected String newTable(String... partitionColumns) {
        return newTable(Map.of(), partitionColumns);
    }

    /** The same, with table properties given at create. */
    protected String newTable(Map<String, String> properties, String... partitionColumns) {
        String catalog = newCatalogWithSchemaS();
        ok(http.post("/api/v1/tables", tableBody(catalog, properties, partitionColumns)), 201);
        return catalog + ".s.t";
    }

    /** Creates a fresh catalog (unique name) with a schema {@code s}; returns the catalog's name. */
    protected String newCatalogWithSchemaS() {
        String catalog = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    /** The body of {@code POST /api/v1/tables} for table {@code <catalog>.s.t} with {@link #SCHEMA}. */
    protected static String tableBody(String catalog, Map<String, String> properties, String... partitionColumns) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_name", catalog);
        body.put("schema_name", "s");
        body.put("name", "t");
        body.put("schema", JSON.readTree(SCHEMA));
        body.put("partition_columns", List.of(partitionColumns));
        body.put("properties", properties);
        return JSON.writeValueAsString(body);
    }

    protected static String add(String path, long size, Map<String, String> partitionValues) {
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", partitionValues);
        add.put("size", size);
        add.put("modificationTime", 1_700_000_000_000L);
        add.put("dataChange", true);
        add.put("stats", "{\"numRecords\":" + size / 10 + "}");
        return JSON.writeValueAsString(Map.of("add", add));
    }

    protected static String add(String path, long size) {
        return add(path, size, Map.of());
    }

    protected static String remove(String path) {
        return "{\"remove\":{\"path\":\"" + path + "\",\"deletionTimestamp\":1700000000000,\"dataChange\":true}}";
    }

    protected static String commitBody(long expectedVersion, List<String> actions) {
        return "{\"expected_version\":" + expectedVersion + ",\"actions\":[" + String.join(",", actions) + "]}";
    }

    protected HttpResponse<String> commit(String table, long expectedVersion, String... actions) {
        return http.post("/api/v1/tables/" + table + "/commits", commitBody(expectedVersion, List.of(actions)));
    }

    protected JsonNode get(String path) {
        return ok(http.get(path), 200);
    }

    protected long version(String table) {
        return get("/api/v1/tables/" + table).get("version").asLong();
    }

    /** Live file paths at a version, read through the paged endpoint. */
    protected List<String> livePaths(String table, Long version, int pageSize) {
        List<String> paths = new ArrayList<>();
        String token = null;
        do {
            String query = "?max_results=" + pageSize + (version == null ? "" : "&version=" + version)
                    + (token == null ? "" : "&page_token=" + token);
            JsonNode page = get("/api/v1/tables/" + table + "/snapshot/files" + query);
            page.get("files").forEach(f -> paths.add(f.get("path").asString()));
            JsonNode next = page.get("next_page_token");
            token = next == null || next.isNull() ? null : next.asString();
        } while (token != null);
        return paths;
    }

    protected static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /**
     * An error with our {@code errorCode}, in the shape of the surface it came from: problem+json on
     * {@code /api/v1}; Unity Catalog's shape (our code as the {@code details} reason) on {@code
     * /api/2.1/unity-catalog}; the Delta REST API's {@code error} object on its {@code /delta/v1}.
     */
    protected static void assertProblem(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        String path = response.uri().getPath();
        if (path.startsWith("/api/2.1/unity-catalog/delta/v1/")) {
            assertThat(body.get("error").get("code").asInt()).isEqualTo(status);
            assertThat(body.get("error").get("type").asString()).endsWith("Exception");
            assertThat(body.get("error").get("error_code").asString()).isEqualTo(errorCode);
        } else if (path.startsWith("/api/2.1/unity-catalog/")) {
            // UC's own code (NOT_FOUND, PERMISSION_DENIED, ALREADY_EXISTS …); ours is the reason
            assertThat(body.get("error_code").asString()).isUpperCase();
            assertThat(body.get("message").asString()).isNotBlank();
            assertThat(body.get("details").get(0).get("reason").asString()).isEqualTo(errorCode);
        } else {
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(body.get("error_code").asString()).isEqualTo(errorCode);
        }
    }

    /**
     * What an answer was, as one line that the answers to a set of inputs can be compared on: its
     * status, its error code (read as {@link #assertProblem} reads it on the surface it came from),
     * and whether its body names {@code name} — {@code "400 INVALID_ACTION naming delta.x"}.
     */
    protected static String refusal(HttpResponse<String> response, String name) {
        String code;
        try {
            JsonNode body = JSON.readTree(response.body());
            String path = response.uri().getPath();
            JsonNode value = path.startsWith("/api/2.1/unity-catalog/delta/v1/")
                    ? body.path("error").path("error_code")
                    : path.startsWith("/api/2.1/unity-catalog/")
                            ? body.path("details").path(0).path("reason")
                            : body.path("error_code");
            code = value.isString() ? value.asString() : "(no error code)";
        } catch (RuntimeException notJson) {
            code = "(no error code)";
        }
        return response.statusCode() + " " + code + (response.body().contains(name) ? " naming " : " not naming ")
                + name;
    }

    /** Grants {@code privilege} on a securable ({@code catalog}, {@code schema}, {@code table}) to a principal, as its owner would. */
    protected void grant(String type, String name, String principal, String privilege) {
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/permissions/" + type + "/" + name,
                        "{\"changes\":[{\"principal\":\"" + principal + "\",\"add\":[\"" + privilege + "\"]}]}"),
                200);
    }

    /** Waits (bounded) until the table's _delta_log has {@code version}. */
    protected void awaitPublished(String table, long version) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (get("/api/v1/tables/" + table + "/publish")
                        .get("published_version")
                        .asLong(-1)
                < version) {
            assertThat(System.nanoTime())
                    .as("version %d of %s published", version, table)
                    .isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The protocol action of {@code version}, as the table's changes feed answers it. */
    protected JsonNode protocolAt(String table, long version) {
        for (JsonNode action : get("/api/v1/tables/" + table + "/changes?from_version=" + version)
                .get("changes")
                .get(0)
                .get("actions")) {
            if (action.has("protocol")) {
                return action.get("protocol");
            }
        }
        throw new AssertionError("no protocol action at version " + version + " of " + table);
    }

    /**
     * A {@code metaData} action for the table as it is now, with {@code schemaString} (null: its
     * current schema), {@code partitionColumns} and {@code changed} configuration over its own.
     */
    protected String metaDataAction(
            String table, String schemaString, List<String> partitionColumns, Map<String, String> changed) {
        JsonNode created = get("/api/v1/tables/" + table);
        Map<String, String> configuration = new java.util.LinkedHashMap<>();
        created.get("properties")
                .properties()
                .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
        configuration.putAll(changed);
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        metadata.put("id", created.get("table_id").asString());
        metadata.put("format", Map.of("provider", "parquet", "options", Map.of()));
        metadata.put(
                "schemaString",
                schemaString != null ? schemaString : created.get("schema").toString());
        metadata.put("partitionColumns", partitionColumns);
        metadata.put("configuration", configuration);
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }
}
