package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.S3ProxyServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A catalog's {@code storage_root} (Unity Catalog's managed location) on S3 (S3Proxy), with the
 * warehouse on S3 too ({@code DELTAPLANE_WAREHOUSE_URI}): the catalog's tables created without a
 * location live under its root instead of the warehouse (by id, as Unity Catalog places them), and the root itself is governed by the
 * registered storage roots.
 */
class CatalogStorageRootTest extends MetadataTestBase {

    private static S3ProxyServer S3;

    private static S3Client client;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        S3 = S3ProxyServer.start(); // started before the Spring context, which needs its address
        Map<String, String> env = S3.environment();
        env.forEach((name, value) -> registry.add(name, () -> value));
        registry.add("deltaplane.warehouse.uri", () -> "s3://lake/warehouse"); // DELTAPLANE_WAREHOUSE_URI
        registry.add("deltaplane.warehouse.storage-roots", () -> "s3://lake/governed");
        client = S3Storage.fromEnvironment(env).client();
        client.createBucket(b -> b.bucket("lake"));
    }

    @AfterAll
    static void stop() {
        S3.close();
    }

    private String catalog(String storageRoot) {
        String catalog = "w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String root = storageRoot == null ? "" : ",\"storage_root\":\"" + storageRoot.replace("{c}", catalog) + "\"";
        var created = ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"" + root + "}"), 201);
        if (storageRoot != null) {
            assertThat(created.get("storage_root").asString()).isEqualTo(storageRoot.replace("{c}", catalog));
            assertThat(ok(http.get("/api/v1/catalogs/" + catalog), 200)
                            .get("storage_root")
                            .asString())
                    .isEqualTo(storageRoot.replace("{c}", catalog));
        }
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    private String createManaged(String catalog) {
        var created = ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + "}"),
                201);
        return created.get("location").asString();
    }

    /** {@code governed/<catalog>/__unitystorage/catalogs/<catalog id>/tables/<table id>}, the ids UC's API answers. */
    private String tableDirectory(String catalog, String table) {
        String catalogId =
                get("/api/2.1/unity-catalog/catalogs/" + catalog).get("id").asString();
        String tableId =
                get("/api/2.1/unity-catalog/tables/" + table).get("table_id").asString();
        return "governed/" + catalog + "/__unitystorage/catalogs/" + catalogId + "/tables/" + tableId;
    }

    private List<String> keys(String prefix) {
        return client.listObjectsV2(b -> b.bucket("lake").prefix(prefix)).contents().stream()
                .map(o -> o.key().substring(prefix.length()))
                .toList();
    }

    @Test
    void aCatalogsStorageRootHoldsItsManagedTables() {
        String catalog = catalog("s3://lake/governed/{c}");
        String location = createManaged(catalog);
        String table = catalog + ".s.t";
        // where Unity Catalog places it: <root>/__unitystorage/catalogs/<catalog id>/tables/<table id>
        String dir = tableDirectory(catalog, table);
        assertThat(location).isEqualTo("s3://lake/" + dir);
        ok(commit(table, 0, add("part-0.parquet", 100)), 201);
        awaitPublished(table, 1);
        assertThat(keys(dir + "/_delta_log/")).contains("00000000000000000000.json", "00000000000000000001.json");
        assertThat(keys("warehouse/" + catalog + "/")).isEmpty();

        // The catalog's own directory is the platform's: a purge takes the table's objects.
        ok(http.delete("/api/v1/tables/" + table + "?purge=true"), 204);
        assertThat(keys(dir + "/")).isEmpty();
        // the same name again is another table, in a directory of its own (its own id)
        String again = createManaged(catalog);
        assertThat(again).isNotEqualTo(location).isEqualTo("s3://lake/" + tableDirectory(catalog, table));
        // A catalog without a root still uses the warehouse.
        String plain = catalog(null);
        assertThat(createManaged(plain)).isEqualTo("s3://lake/warehouse/" + plain + "/s/t");
    }

    @Test
    void aCatalogStorageRootOutsideTheRegisteredRootsIsRefusedAndNothingIsCreated() {
        for (String root :
                List.of("s3://lake/elsewhere/c", "s3://lake/governed", "s3://other/governed/c", "/tmp/not-a-root/c")) {
            String name = "r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            assertProblem(
                    http.post("/api/v1/catalogs", "{\"name\":\"" + name + "\",\"storage_root\":\"" + root + "\"}"),
                    422,
                    "LOCATION_NOT_ALLOWED");
            assertProblem(http.get("/api/v1/catalogs/" + name), 404, "CATALOG_NOT_FOUND");
        }
        // A catalog root over an existing table's location is refused too.
        String catalog = catalog(null);
        createManaged(catalog);
        assertProblem(
                http.post(
                        "/api/v1/catalogs",
                        "{\"name\":\"x_" + catalog + "\",\"storage_root\":\"s3://lake/warehouse/" + catalog + "\"}"),
                422,
                "LOCATION_NOT_ALLOWED");
    }
}
