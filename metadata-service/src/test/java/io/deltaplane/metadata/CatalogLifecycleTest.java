package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CatalogLifecycleTest extends MetadataTestBase {

    @Test
    void noKeyIs401AndReadKeyCannotCommit() {
        assertProblem(http.withKey(null).get("/api/v1/catalogs"), 401, "UNAUTHENTICATED");
        assertProblem(http.withKey(null).post("/api/v1/catalogs", "{\"name\":\"x\"}"), 401, "UNAUTHENTICATED");
        String table = newTable();
        assertProblem(
                http.withKey(null).post("/api/v1/tables/" + table + "/commits", commitBody(0, List.of())),
                401,
                "UNAUTHENTICATED");
        assertThat(version(table)).isZero();
    }

    @Test
    void catalogCrudAndErrors() {
        ok(http.post("/api/v1/catalogs", "{\"name\":\"sales\",\"comment\":\"money\"}"), 201);
        assertProblem(http.post("/api/v1/catalogs", "{\"name\":\"sales\"}"), 409, "ALREADY_EXISTS");
        JsonNode sales = get("/api/v1/catalogs/sales");
        assertThat(sales.get("comment").asString()).isEqualTo("money");
        assertThat(sales.has("created_at")).isTrue();
        assertProblem(http.get("/api/v1/catalogs/nope"), 404, "CATALOG_NOT_FOUND");
        assertProblem(http.post("/api/v1/catalogs", "{\"name\":\"bad name\"}"), 400, "INVALID_NAME");
        assertProblem(http.post("/api/v1/catalogs", "{\"name\":\"a.b\"}"), 400, "INVALID_NAME");
        assertProblem(http.post("/api/v1/catalogs", "{}"), 400, "INVALID_NAME");
        assertProblem(http.get("/api/v1/catalogs/nope"), 404, "CATALOG_NOT_FOUND");

        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"sales\",\"name\":\"eu\"}"), 201);
        assertProblem(http.delete("/api/v1/catalogs/sales"), 409, "CATALOG_NOT_EMPTY");
        assertThat(get("/api/v1/schemas/sales.eu").get("full_name").asString()).isEqualTo("sales.eu");
        ok(http.delete("/api/v1/catalogs/sales?force=true"), 204);
        assertProblem(http.get("/api/v1/catalogs/sales"), 404, "CATALOG_NOT_FOUND");
        // its schema went with it: what is missing is the catalog, and the answer names it
        assertProblem(http.get("/api/v1/schemas/sales.eu"), 404, "CATALOG_NOT_FOUND");
        assertProblem(http.delete("/api/v1/catalogs/sales"), 404, "CATALOG_NOT_FOUND");
    }

    @Test
    void forcedCatalogDeleteDropsItsTables() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1)), 201);
        String catalog = table.split("\\.")[0];
        assertProblem(http.delete("/api/v1/catalogs/" + catalog), 409, "CATALOG_NOT_EMPTY");
        ok(http.delete("/api/v1/catalogs/" + catalog + "?force=true"), 204);
        assertProblem(http.get("/api/v1/tables/" + table), 404, "TABLE_NOT_FOUND");
        assertProblem(http.get("/api/v1/tables/" + table + "/snapshot"), 404, "TABLE_NOT_FOUND");
        assertProblem(http.get("/api/v1/tables/" + table + "/publish"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void emptyCatalogDeletesWithoutForce() {
        ok(http.post("/api/v1/catalogs", "{\"name\":\"empty_one\"}"), 201);
        ok(http.delete("/api/v1/catalogs/empty_one"), 204);
        assertProblem(http.get("/api/v1/catalogs/empty_one"), 404, "CATALOG_NOT_FOUND");
    }

    @Test
    void catalogListIsPaged() {
        for (int i = 0; i < 5; i++) {
            ok(http.post("/api/v1/catalogs", "{\"name\":\"paged_" + i + "\"}"), 201);
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get("/api/v1/catalogs?max_results=2" + (token == null ? "" : "&page_token=" + token));
            assertThat(page.get("catalogs").size()).isLessThanOrEqualTo(2);
            page.get("catalogs").forEach(c -> names.add(c.get("name").asString()));
            token = page.get("next_page_token").isNull()
                    ? null
                    : page.get("next_page_token").asString();
        } while (token != null);
        assertThat(names)
                .isSorted()
                .doesNotHaveDuplicates()
                .contains("paged_0", "paged_1", "paged_2", "paged_3", "paged_4");
    }

    @Test
    void schemaErrors() {
        assertProblem(
                http.post("/api/v1/schemas", "{\"catalog_name\":\"missing\",\"name\":\"s\"}"),
                404,
                "CATALOG_NOT_FOUND");
        ok(http.post("/api/v1/catalogs", "{\"name\":\"schemas_cat\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"schemas_cat\",\"name\":\"a\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"schemas_cat\",\"name\":\"b\"}"), 201);
        assertProblem(
                http.post("/api/v1/schemas", "{\"catalog_name\":\"schemas_cat\",\"name\":\"a\"}"),
                409,
                "ALREADY_EXISTS");
        JsonNode list = get("/api/v1/schemas?catalog_name=schemas_cat");
        assertThat(list.get("schemas").size()).isEqualTo(2);
        assertProblem(http.get("/api/v1/schemas/schemas_cat.zzz"), 404, "SCHEMA_NOT_FOUND");
        assertProblem(http.get("/api/v1/schemas/nodot"), 400, "INVALID_NAME");
        ok(http.delete("/api/v1/schemas/schemas_cat.b"), 204);
        assertThat(get("/api/v1/schemas?catalog_name=schemas_cat")
                        .get("schemas")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void tableLifecycle() {
        String table = newTable("day");
        String catalog = table.split("\\.")[0];
        JsonNode created = get("/api/v1/tables/" + table);
        assertThat(created.get("version").asLong()).isZero();
        assertThat(created.get("full_name").asString()).isEqualTo(table);
        assertThat(created.get("partition_columns").get(0).asString()).isEqualTo("day");
        assertThat(created.get("schema").get("fields").size()).isEqualTo(3);
        assertThat(created.get("location").asString())
                .startsWith("file:/")
                .endsWith("/test-warehouse/" + catalog + "/s/t");
        assertThat(created.get("table_id").asString()).hasSize(36);

        // version 0 is protocol 1/7 (In-Commit Timestamps) + metaData (id = table id) + commitInfo,
        // commitInfo first
        JsonNode changes = get("/api/v1/tables/" + table + "/changes?from_version=0");
        JsonNode actions = changes.get("changes").get(0).get("actions");
        assertThat(actions.get(0).has("commitInfo")).isTrue();
        assertThat(actions.get(0).get("commitInfo").get("inCommitTimestamp").isIntegralNumber())
                .isTrue();
        assertThat(actions.get(1).get("protocol").get("minReaderVersion").asInt())
                .isEqualTo(1);
        assertThat(actions.get(1).get("protocol").get("minWriterVersion").asInt())
                .isEqualTo(7);
        assertThat(actions.get(1).get("protocol").get("writerFeatures").toString())
                .contains("inCommitTimestamp");
        JsonNode metaData = actions.get(2).get("metaData");
        assertThat(metaData.get("id").asString())
                .isEqualTo(created.get("table_id").asString());
        assertThat(metaData.get("format").get("provider").asString()).isEqualTo("parquet");
        assertThat(JSON.readTree(metaData.get("schemaString").asString())).isEqualTo(JSON.readTree(SCHEMA));

        String body =
                "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":" + SCHEMA + "}";
        assertProblem(http.post("/api/v1/tables", body), 409, "ALREADY_EXISTS");
        assertProblem(http.post("/api/v1/tables", body.replace("\"s\"", "\"nope\"")), 404, "SCHEMA_NOT_FOUND");
        assertProblem(
                http.post("/api/v1/tables", body.replace(SCHEMA, "{\"type\":\"struct\"}")), 400, "INVALID_ACTION");
        assertProblem(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t2\","
                                + "\"location\":\"relative/dir\",\"schema\":" + SCHEMA + "}"),
                400,
                "VALIDATION_FAILED");

        JsonNode list = get("/api/v1/tables?catalog_name=" + catalog + "&schema_name=s");
        assertThat(list.get("tables").size()).isEqualTo(1);
        assertProblem(http.delete("/api/v1/schemas/" + catalog + ".s"), 409, "SCHEMA_NOT_EMPTY");
        awaitPublished(table, 0);
        ok(http.delete("/api/v1/tables/" + table), 204);
        assertProblem(http.get("/api/v1/tables/" + table), 404, "TABLE_NOT_FOUND");
        assertProblem(commit(table, 0, add("a.parquet", 1)), 404, "TABLE_NOT_FOUND");
        // the name is free again; the dropped table's kept directory is never the new table's:
        // it gets a directory of its own (<table>-<id>), and the old log stays as it was
        String oldLocation = created.get("location").asString();
        JsonNode again = ok(http.post("/api/v1/tables", body), 201);
        String tableId = again.get("table_id").asString();
        assertThat(again.get("location").asString()).isEqualTo(oldLocation + "-" + tableId);
        assertThat(again.get("table_type").asString()).isEqualTo("MANAGED");
        assertThat(again.get("version").asLong()).isZero();
        assertThat(Path.of(java.net.URI.create(oldLocation.replace("file:/", "file:///")))
                        .resolve("_delta_log")
                        .resolve("00000000000000000000.json"))
                .exists();
    }

    @Test
    void explicitLocationIsNormalised() {
        String table = newTable();
        String catalog = table.split("\\.")[0];
        String body = "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"ext\",\"schema\":"
                + SCHEMA + ",\"location\":\"/tmp/deltaplane-ext-" + catalog + "/\"}";
        JsonNode created = ok(http.post("/api/v1/tables", body), 201);
        assertThat(created.get("location").asString()).isEqualTo("file:/tmp/deltaplane-ext-" + catalog);
        String again = body.replace("\"ext\"", "\"ext2\"");
        awaitPublished(catalog + ".s.ext", 0);
        // A live table's location is nobody else's.
        assertProblem(http.post("/api/v1/tables", again), 422, "LOCATION_NOT_ALLOWED");
        // Dropped without purging, its _delta_log is still there: adopt it with import instead.
        assertThat(http.delete("/api/v1/tables/" + catalog + ".s.ext").statusCode())
                .isEqualTo(204);
        assertProblem(http.post("/api/v1/tables", again), 409, "LOCATION_IN_USE");
    }
}
