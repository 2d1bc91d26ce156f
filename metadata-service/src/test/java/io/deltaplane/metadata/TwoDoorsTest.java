package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * One behaviour suite through both doors onto the one model, as Unity Catalog runs one suite
 * through its SDK and its CLI: visibility, paging, errors and grants of catalogs, schemas and tables are
 * checked identically through {@code /api/v1} and {@code /api/2.1/unity-catalog}, so a rule cannot
 * drift between them. Each door only says how it spells a call and where its answer keeps a list.
 */
class TwoDoorsTest extends MetadataTestBase {

    /** How each door spells the calls the suite makes. */
    enum Door {
        API_V1("/api/v1", "catalogs", "schemas", 201, 204),
        UNITY_CATALOG("/api/2.1/unity-catalog", "catalogs", "schemas", 200, 200);

        final String base;
        final String catalogsList;
        final String schemasList;
        final int created;
        final int deleted;

        Door(String base, String catalogsList, String schemasList, int created, int deleted) {
            this.base = base;
            this.catalogsList = catalogsList;
            this.schemasList = schemasList;
            this.created = created;
            this.deleted = deleted;
        }

        HttpResponse<String> createCatalog(TestHttp http, String name) {
            return http.post(base + "/catalogs", "{\"name\":\"" + name + "\"}");
        }

        HttpResponse<String> createSchema(TestHttp http, String catalog, String name) {
            return http.post(base + "/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"" + name + "\"}");
        }

        HttpResponse<String> getCatalog(TestHttp http, String name) {
            return http.get(base + "/catalogs/" + name);
        }

        HttpResponse<String> getSchema(TestHttp http, String fullName) {
            return http.get(base + "/schemas/" + fullName);
        }

        HttpResponse<String> deleteCatalog(TestHttp http, String name) {
            return http.delete(base + "/catalogs/" + name);
        }

        /** An EXTERNAL table with one BIGINT column {@code id} at {@code location}. */
        HttpResponse<String> createTable(TestHttp http, String catalog, String schema, String name, String location) {
            if (this == API_V1) {
                return http.post(
                        base + "/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"" + schema + "\",\"name\":\""
                                + name + "\",\"location\":\"" + location + "\",\"schema\":{\"type\":\"struct\","
                                + "\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}}");
            }
            return http.post(
                    base + "/tables",
                    "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"" + schema + "\",\"name\":\"" + name
                            + "\",\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\",\"storage_location\":\""
                            + location
                            + "\",\"columns\":[{\"name\":\"id\",\"type_name\":\"LONG\",\"type_text\":\"bigint\","
                            + "\"position\":0,\"nullable\":true}]}");
        }

        HttpResponse<String> getTable(TestHttp http, String fullName) {
            return http.get(base + "/tables/" + fullName);
        }

        HttpResponse<String> deleteTable(TestHttp http, String fullName) {
            return http.delete(base + "/tables/" + fullName);
        }

        /** Every name a listing shows, page by page, and how many pages it took. */
        Listing list(TestHttp http, String path, String key, int pageSize) {
            List<String> names = new ArrayList<>();
            int pages = 0;
            String token = null;
            do {
                String query = (path.contains("?") ? "&" : "?") + "max_results=" + pageSize
                        + (token == null ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
                JsonNode page = ok(http.get(base + path + query), 200);
                page.get(key).forEach(item -> names.add(item.get("name").asString()));
                JsonNode next = page.get("next_page_token");
                token = next == null || next.isNull() || next.asString().isEmpty() ? null : next.asString();
                pages++;
            } while (token != null && pages < 100);
            return new Listing(names, pages);
        }
    }

    record Listing(List<String> names, int pages) {}

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @ParameterizedTest
    @EnumSource(Door.class)
    void aPrincipalSeesPagesThroughAndIsRefusedExactlyWhatItsGrantsSay(Door door) {
        String prefix = "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(prefix + i);
            assertThat(door.createCatalog(http, prefix + i).statusCode()).isEqualTo(door.created);
        }
        String hidden = prefix + "hidden";
        assertThat(door.createCatalog(http, hidden).statusCode()).isEqualTo(door.created);
        assertThat(door.createSchema(http, mine.get(0), "visible").statusCode()).isEqualTo(door.created);
        assertThat(door.createSchema(http, mine.get(0), "secret").statusCode()).isEqualTo(door.created);

        String reader = prefix + "reader";
        principals.create(reader, PrincipalType.SERVICE_PRINCIPAL);
        for (String catalog : mine) {
            grant("catalog", catalog, reader, "USE_CATALOG");
        }
        grant("schema", mine.get(0) + ".visible", reader, "USE_SCHEMA");
        TestHttp asReader =
                http.withKey(keys.createFor("two-doors", reader, null).key());

        // visibility and paging: exactly the granted catalogs, each once, in name order, 2 a page
        Listing catalogs = door.list(asReader, "/catalogs", door.catalogsList, 2);
        assertThat(catalogs.names()).containsExactlyElementsOf(mine);
        assertThat(catalogs.pages()).isEqualTo(3);
        Listing schemas = door.list(asReader, "/schemas?catalog_name=" + mine.get(0), door.schemasList, 1);
        assertThat(schemas.names()).containsExactly("visible");

        // grants: what is not granted is refused the same way through either door
        assertRefused(door, door.getCatalog(asReader, hidden), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertRefused(door, door.getSchema(asReader, mine.get(0) + ".secret"), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertRefused(door, door.createCatalog(asReader, prefix + "mine_too"), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertRefused(
                door, door.createSchema(asReader, mine.get(0), "mine_too"), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertRefused(door, door.deleteCatalog(asReader, mine.get(1)), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertThat(door.getCatalog(asReader, mine.get(1)).statusCode()).isEqualTo(200);
        assertThat(door.getSchema(asReader, mine.get(0) + ".visible").statusCode())
                .isEqualTo(200);

        // errors: one code per mistake, whichever door; the UC door in UC's vocabulary, ours as the reason
        assertRefused(door, door.getCatalog(http, prefix + "missing"), 404, "CATALOG_NOT_FOUND", "CATALOG_NOT_FOUND");
        assertRefused(
                door, door.getSchema(http, mine.get(0) + ".missing"), 404, "SCHEMA_NOT_FOUND", "SCHEMA_NOT_FOUND");
        // the catalog is what is missing: named, as UC names it
        assertRefused(
                door, door.getSchema(http, prefix + "missing.visible"), 404, "CATALOG_NOT_FOUND", "CATALOG_NOT_FOUND");
        // A create of a taken name: 409 ALREADY_EXISTS on /api/v1; on UC's door what UC 0.6's server
        // answers, 400 CATALOG_ALREADY_EXISTS / SCHEMA_ALREADY_EXISTS (ours as the reason)
        int taken = door == Door.API_V1 ? 409 : 400;
        assertRefused(door, door.createCatalog(http, mine.get(0)), taken, "CATALOG_ALREADY_EXISTS", "ALREADY_EXISTS");
        assertRefused(
                door,
                door.createSchema(http, mine.get(0), "visible"),
                taken,
                "SCHEMA_ALREADY_EXISTS",
                "ALREADY_EXISTS");
        // UC's server answers a non-empty catalog's delete 400 FAILED_PRECONDITION; ours maps the
        // status, 409, to ALREADY_EXISTS (as UnityFunctionsTest pins for a schema): a known divergence.
        assertRefused(door, door.deleteCatalog(http, mine.get(0)), 409, "ALREADY_EXISTS", "CATALOG_NOT_EMPTY");
        assertRefused(door, door.createCatalog(http, prefix + "no spaces"), 400, "INVALID_ARGUMENT", "INVALID_NAME");
        assertRefused(door, door.createSchema(http, mine.get(0), "no spaces"), 400, "INVALID_ARGUMENT", "INVALID_NAME");
        assertRefused(door, door.getSchema(http, mine.get(0)), 400, "INVALID_ARGUMENT", "INVALID_NAME");

        // read back: no refused create stored anything, and the taken names are the first ones
        assertThat(door.list(http, "/catalogs", door.catalogsList, 100).names().stream()
                        .filter(name -> name.startsWith(prefix)))
                .containsExactlyInAnyOrder(
                        prefix + "0", prefix + "1", prefix + "2", prefix + "3", prefix + "4", hidden);
        assertThat(door.list(http, "/schemas?catalog_name=" + mine.get(0), door.schemasList, 100)
                        .names())
                .containsExactlyInAnyOrder("visible", "secret");
        // positive control: the names refused to the reader are free and well formed, for the owner
        assertThat(door.createCatalog(http, prefix + "mine_too").statusCode()).isEqualTo(door.created);
        assertThat(door.createSchema(http, mine.get(0), "mine_too").statusCode())
                .isEqualTo(door.created);

        assertThat(door.deleteCatalog(http, mine.get(4)).statusCode()).isEqualTo(door.deleted);
        assertRefused(door, door.getCatalog(http, mine.get(4)), 404, "CATALOG_NOT_FOUND", "CATALOG_NOT_FOUND");
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void tablesAreShownPagedRefusedAndDroppedAlikeThroughEitherDoor(Door door) throws Exception {
        String catalog = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        assertThat(door.createCatalog(http, catalog).statusCode()).isEqualTo(door.created);
        assertThat(door.createSchema(http, catalog, "s").statusCode()).isEqualTo(door.created);
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("two-doors-");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add("t" + i);
            String location = root.resolve("t" + i).toUri().toString();
            assertThat(door.createTable(http, catalog, "s", "t" + i, location).statusCode())
                    .as("create t%d", i)
                    .isEqualTo(door.created);
        }

        String reader = catalog + "_reader";
        principals.create(reader, PrincipalType.SERVICE_PRINCIPAL);
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        for (String name : List.of("t1", "t3", "t4")) {
            grant("table", catalog + ".s." + name, reader, "SELECT");
        }
        TestHttp asReader =
                http.withKey(keys.createFor("two-doors", reader, null).key());

        // visibility and paging: the owner sees all five two a page, the reader exactly its grants
        Listing all = door.list(http, "/tables?catalog_name=" + catalog + "&schema_name=s", "tables", 2);
        assertThat(all.names()).containsExactlyElementsOf(names);
        assertThat(all.pages()).isEqualTo(3);
        Listing granted = door.list(asReader, "/tables?catalog_name=" + catalog + "&schema_name=s", "tables", 2);
        assertThat(granted.names()).containsExactly("t1", "t3", "t4");

        // grants: what is not granted is refused the same way through either door
        assertThat(door.getTable(asReader, catalog + ".s.t1").statusCode()).isEqualTo(200);
        assertRefused(door, door.getTable(asReader, catalog + ".s.t0"), 403, "PERMISSION_DENIED", "FORBIDDEN");
        assertRefused(door, door.deleteTable(asReader, catalog + ".s.t1"), 403, "PERMISSION_DENIED", "FORBIDDEN");
        String mineLocation = root.resolve("mine").toUri().toString();
        assertRefused(
                door,
                door.createTable(asReader, catalog, "s", "mine", mineLocation),
                403,
                "PERMISSION_DENIED",
                "FORBIDDEN");

        // errors: one code per mistake, whichever door; the UC door in UC's vocabulary, ours as the reason
        assertRefused(door, door.getTable(http, catalog + ".s.missing"), 404, "TABLE_NOT_FOUND", "TABLE_NOT_FOUND");
        assertRefused(door, door.getTable(http, catalog + ".s"), 400, "INVALID_ARGUMENT", "INVALID_NAME");
        assertRefused(
                door,
                door.createTable(
                        http,
                        catalog,
                        "s",
                        "no spaces",
                        root.resolve("spaces").toUri().toString()),
                400,
                "INVALID_ARGUMENT",
                "INVALID_NAME");
        // a taken name: 409 ALREADY_EXISTS on /api/v1, UC's 400 TABLE_ALREADY_EXISTS on its door
        assertRefused(
                door,
                door.createTable(
                        http, catalog, "s", "t0", root.resolve("other").toUri().toString()),
                door == Door.API_V1 ? 409 : 400,
                "TABLE_ALREADY_EXISTS",
                "ALREADY_EXISTS");
        assertRefused(
                door,
                door.createTable(
                        http,
                        catalog,
                        "missing",
                        "t9",
                        root.resolve("t9").toUri().toString()),
                404,
                "SCHEMA_NOT_FOUND",
                "SCHEMA_NOT_FOUND");

        // read back: nothing refused was stored, t0 kept its own location; the reader's refused
        // table is free and well formed for the owner (positive control)
        assertThat(door.list(http, "/tables?catalog_name=" + catalog + "&schema_name=s", "tables", 100)
                        .names())
                .containsExactlyElementsOf(names);
        assertThat(java.nio.file.Path.of(java.net.URI.create(ok(http.get("/api/v1/tables/" + catalog + ".s.t0"), 200)
                        .get("location")
                        .asString())))
                .isEqualTo(root.resolve("t0"));
        assertThat(door.createTable(http, catalog, "s", "mine", mineLocation).statusCode())
                .isEqualTo(door.created);

        // drop: gone through both doors, its files kept
        assertThat(door.deleteTable(http, catalog + ".s.t0").statusCode()).isEqualTo(door.deleted);
        assertRefused(door, door.getTable(http, catalog + ".s.t0"), 404, "TABLE_NOT_FOUND", "TABLE_NOT_FOUND");
        assertProblem(http.get("/api/v1/tables/" + catalog + ".s.t0"), 404, "TABLE_NOT_FOUND");
        assertThat(root.resolve("t0").resolve("_delta_log")).isDirectory();
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void aNameIsOneNameHoweverItIsSpelledAndIsAnsweredFolded(Door door) throws Exception {
        String catalog = "Up"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        String folded = catalog.toLowerCase(java.util.Locale.ROOT);
        assertThat(ok(door.createCatalog(http, catalog), door.created)
                        .get("name")
                        .asString())
                .isEqualTo(folded);
        assertThat(ok(door.getCatalog(http, catalog.toUpperCase()), 200)
                        .get("name")
                        .asString())
                .isEqualTo(folded);
        // UC's server answers a taken name 400 with its own code for each collection
        assertRefused(
                door,
                door.createCatalog(http, folded),
                door == Door.API_V1 ? 409 : 400,
                "CATALOG_ALREADY_EXISTS",
                "ALREADY_EXISTS");
        assertThat(ok(door.createSchema(http, catalog.toUpperCase(), "Sales"), door.created)
                        .get("full_name")
                        .asString())
                .isEqualTo(folded + ".sales");
        assertThat(door.list(http, "/schemas?catalog_name=" + catalog, door.schemasList, 10)
                        .names())
                .contains("sales");
        String location = java.nio.file.Files.createTempDirectory("two-doors-case-")
                .resolve("orders")
                .toUri()
                .toString();
        assertThat(threePartName(ok(door.createTable(http, catalog, "SALES", "Orders", location), door.created)))
                .isEqualTo(folded + ".sales.orders");
        assertThat(threePartName(ok(door.getTable(http, catalog.toUpperCase() + ".Sales.ORDERS"), 200)))
                .isEqualTo(folded + ".sales.orders");
        assertThat(door.list(http, "/tables?catalog_name=" + catalog + "&schema_name=SALES", "tables", 10)
                        .names())
                .containsExactly("orders");

        // A grant made on one spelling holds for every other.
        String reader = folded + "_reader";
        principals.create(reader, PrincipalType.SERVICE_PRINCIPAL);
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".SALES", reader, "USE_SCHEMA");
        grant("table", catalog + ".Sales.Orders", reader, "SELECT");
        TestHttp asReader =
                http.withKey(keys.createFor("two-doors", reader, null).key());
        assertThat(door.getTable(asReader, folded + ".sales.orders").statusCode())
                .isEqualTo(200);
        assertThat(door.deleteTable(http, catalog + ".sales.ORDERS").statusCode())
                .isEqualTo(door.deleted);
        assertRefused(door, door.getTable(http, folded + ".sales.orders"), 404, "TABLE_NOT_FOUND", "TABLE_NOT_FOUND");
    }

    /**
     * A refusal as {@code door} answers it, exactly: the status; on {@code /api/v1} a problem+json
     * document whose {@code error_code} is ours; on Unity Catalog's door UC's own JSON (not a problem
     * document) whose {@code error_code} is the UC code a UC client matches on ({@code unityCode}:
     * NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, INVALID_ARGUMENT) and whose {@code
     * google.rpc.ErrorInfo} reason is ours, so the one mistake is named alike through both doors.
     */
    private static void assertRefused(
            Door door, HttpResponse<String> response, int status, String unityCode, String ourCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).as(response.body()).isEqualTo(status);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (door == Door.API_V1) {
            assertThat(type).startsWith("application/problem+json");
            assertThat(body.get("error_code").asString()).as(response.body()).isEqualTo(ourCode);
            assertThat(body.has("details")).as(response.body()).isFalse();
        } else {
            assertThat(type).startsWith("application/json");
            assertThat(body.get("error_code").asString()).as(response.body()).isEqualTo(unityCode);
            assertThat(body.get("message").asString()).isNotBlank();
            JsonNode info = body.get("details").get(0);
            assertThat(info.get("@type").asString()).isEqualTo("google.rpc.ErrorInfo");
            assertThat(info.get("reason").asString()).as(response.body()).isEqualTo(ourCode);
        }
    }

    /** A table answer's catalog.schema.table, as both doors spell its parts. */
    private static String threePartName(JsonNode table) {
        return table.get("catalog_name").asString() + "."
                + table.get("schema_name").asString() + "." + table.get("name").asString();
    }
}
