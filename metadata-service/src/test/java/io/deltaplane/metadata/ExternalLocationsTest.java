package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Storage is a securable: a team holding every privilege on a catalog of its own cannot register an
 * EXTERNAL table, import a table or root a catalog over a path under the operator's storage roots
 * until a metastore admin registers an external location there and grants it {@code
 * CREATE_EXTERNAL_TABLE} (for tables: {@code /api/v1} EXTERNAL, import, Unity Catalog's EXTERNAL
 * create) or {@code CREATE_MANAGED_STORAGE} (for a catalog's storage root) — and then can, through
 * every one of those doors; another team's prefix stays closed, and tables registered before keep
 * working.
 */
class ExternalLocationsTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    private record Team(String principal, TestHttp http, String catalog) {}

    private Team team() {
        String name = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(name, PrincipalType.SERVICE_PRINCIPAL);
        grant("metastore", "metastore", name, "CREATE_CATALOG");
        TestHttp asTeam = http.withKey(keys.createFor("k", name, null).key());
        String catalog = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(asTeam.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(asTeam.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return new Team(name, asTeam, catalog);
    }

    private static String external(Team team, String name, String location) {
        return "{\"catalog_name\":\"" + team.catalog() + "\",\"schema_name\":\"s\",\"name\":\"" + name
                + "\",\"schema\":" + SCHEMA + ",\"location\":\"" + location + "\"}";
    }

    private static String importBody(Team team, String name, String location) {
        return "{\"catalog_name\":\"" + team.catalog() + "\",\"schema_name\":\"s\",\"name\":\"" + name
                + "\",\"location\":\"" + location + "\"}";
    }

    private static String unityExternal(Team team, String name, String location) {
        return "{\"name\":\"" + name + "\",\"catalog_name\":\"" + team.catalog() + "\",\"schema_name\":\"s\","
                + "\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\",\"storage_location\":\"" + location
                + "\"}";
    }

    private static String rootedCatalog(String name, String root) {
        return "{\"name\":\"" + name + "\",\"storage_root\":\"" + root + "\"}";
    }

    /** A Delta table of one column at version 0 in {@code dir}: a commit file an engine wrote. */
    private static String deltaTableAt(Path dir) throws Exception {
        Path log = Files.createDirectories(dir.resolve("_delta_log"));
        Files.writeString(
                log.resolve("00000000000000000000.json"),
                "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
                        + "{\"metaData\":{\"id\":\"" + UUID.randomUUID() + "\",\"format\":{\"provider\":\"parquet\","
                        + "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":"
                        + "\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
                        + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1700000000000}}\n");
        return dir.toUri().toString();
    }

    /** The local path of a {@code file:} location as the service answers it. */
    private static Path path(String location) {
        return Path.of(java.net.URI.create(location));
    }

    /** The names of the tables in the team's schema, as the team lists them. */
    private List<String> tablesOf(Team team) {
        List<String> names = new java.util.ArrayList<>();
        ok(team.http().get("/api/v1/tables?catalog_name=" + team.catalog() + "&schema_name=s"), 200)
                .get("tables")
                .forEach(table -> names.add(table.get("name").asString()));
        return names;
    }

    /** Every catalog's name in Unity Catalog's list, as the admin lists them. */
    private List<String> catalogNames() {
        List<String> names = new java.util.ArrayList<>();
        String token = null;
        do {
            JsonNode page = ok(
                    http.get("/api/2.1/unity-catalog/catalogs?max_results=1000"
                            + (token == null ? "" : "&page_token=" + token)),
                    200);
            page.get("catalogs").forEach(c -> names.add(c.get("name").asString()));
            JsonNode next = page.get("next_page_token");
            token = next == null || next.isNull() || next.asString().isEmpty() ? null : next.asString();
        } while (token != null);
        return names;
    }

    @Test
    void registeringStorageNeedsAGrantOnAnExternalLocationThatContainsIt() throws Exception {
        Team raw = team();
        Team other = team();
        Path rawFiles = Files.createTempDirectory("raw-files-");
        Path otherFiles = Files.createTempDirectory("other-files-");
        String rawTable = rawFiles.resolve("events").toUri().toString();
        // Delta tables an engine wrote under the team's prefix, to import and to register through UC
        String imported = deltaTableAt(rawFiles.resolve("imported"));
        String unity = deltaTableAt(rawFiles.resolve("unity"));
        String managedRoot = rawFiles.resolve("managed").toUri().toString();
        String rooted =
                "rooted_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);

        // without an external location: no one but an admin registers storage, through either door;
        // each request, and what it was answered
        Map<String, String> answered = new LinkedHashMap<>();
        answered.put(
                "POST /api/v1/tables EXTERNAL",
                refusal(raw.http().post("/api/v1/tables", external(raw, "events", rawTable)), "FORBIDDEN"));
        answered.put(
                "POST /api/v1/tables/import",
                refusal(raw.http().post("/api/v1/tables/import", importBody(raw, "i", imported)), "FORBIDDEN"));
        answered.put(
                "POST unity-catalog/tables EXTERNAL",
                refusal(raw.http().post("/api/2.1/unity-catalog/tables", unityExternal(raw, "u", unity)), "FORBIDDEN"));
        answered.put(
                "POST unity-catalog/catalogs with a storage_root",
                refusal(
                        raw.http().post("/api/2.1/unity-catalog/catalogs", rootedCatalog(rooted, managedRoot)),
                        "FORBIDDEN"));
        // nor may a team register a location itself
        answered.put(
                "POST unity-catalog/external-locations",
                refusal(
                        raw.http()
                                .post(
                                        "/api/2.1/unity-catalog/external-locations",
                                        "{\"name\":\"mine\",\"url\":\"" + rawFiles.toUri() + "\"}"),
                        "FORBIDDEN"));
        Map<String, String> forbidden = new LinkedHashMap<>();
        answered.keySet().forEach(request -> forbidden.put(request, "403 FORBIDDEN naming FORBIDDEN"));
        assertThat(answered).containsExactlyEntriesOf(forbidden);
        // nothing was registered: no table in the team's schema, no catalog, no location
        assertThat(tablesOf(raw)).as("the team's tables after the refusals").isEmpty();
        assertThat(http.get("/api/2.1/unity-catalog/catalogs/" + rooted).statusCode())
                .as("the refused catalog")
                .isEqualTo(404);
        assertThat(catalogNames()).as("the catalogs after the refusals").doesNotContain(rooted);
        assertThat(ok(http.get("/api/2.1/unity-catalog/external-locations"), 200)
                        .get("external_locations")
                        .findValuesAsString("name"))
                .as("external locations after the refusals")
                .doesNotContain("mine");

        // the admin registers the team's prefix and grants it
        String location = "raw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        var created = ok(
                http.post(
                        "/api/2.1/unity-catalog/external-locations",
                        "{\"name\":\"" + location + "\",\"url\":\"" + rawFiles.toUri() + "\",\"comment\":\"raw\"}"),
                200);
        assertThat(created.get("url").asString()).startsWith("file:/").doesNotEndWith("/");
        // locations do not nest
        assertThat(http.post(
                                "/api/2.1/unity-catalog/external-locations",
                                "{\"name\":\"inner_" + location + "\",\"url\":\""
                                        + rawFiles.resolve("inner").toUri() + "\"}")
                        .statusCode())
                .isEqualTo(400);
        grant("external_location", location, raw.principal(), "CREATE_EXTERNAL_TABLE");

        // with the grant, the same requests register the team's tables, through every door
        ok(raw.http().post("/api/v1/tables", external(raw, "events", rawTable)), 201);
        JsonNode importedTable = ok(raw.http().post("/api/v1/tables/import", importBody(raw, "i", imported)), 201);
        assertThat(importedTable.get("version").asLong()).isZero();
        JsonNode unityTable = ok(raw.http().post("/api/2.1/unity-catalog/tables", unityExternal(raw, "u", unity)), 200);
        assertThat(unityTable.get("table_type").asString()).isEqualTo("EXTERNAL");
        assertThat(tablesOf(raw)).containsExactlyInAnyOrder("events", "i", "u");
        Map<String, Path> locations = new LinkedHashMap<>();
        for (String name : List.of("events", "i", "u")) {
            JsonNode table = ok(raw.http().get("/api/v1/tables/" + raw.catalog() + ".s." + name), 200);
            assertThat(table.get("table_type").asString()).as(name).isEqualTo("EXTERNAL");
            locations.put(name, path(table.get("location").asString()));
        }
        Map<String, Path> asRequested = new LinkedHashMap<>();
        asRequested.put("events", rawFiles.resolve("events"));
        asRequested.put("i", rawFiles.resolve("imported"));
        asRequested.put("u", rawFiles.resolve("unity"));
        assertThat(locations)
                .as("each table at the location it was registered at")
                .isEqualTo(asRequested);
        // read back through the doors they came in by: the import at the version its log holds,
        // the Unity Catalog table through Unity Catalog
        assertThat(ok(raw.http().get("/api/v1/tables/" + raw.catalog() + ".s.i/snapshot"), 200)
                        .get("version")
                        .asLong())
                .isZero();
        JsonNode unityReadBack = ok(raw.http().get("/api/2.1/unity-catalog/tables/" + raw.catalog() + ".s.u"), 200);
        assertThat(unityReadBack.get("table_type").asString()).isEqualTo("EXTERNAL");
        assertThat(path(unityReadBack.get("storage_location").asString())).isEqualTo(rawFiles.resolve("unity"));
        assertThat(ok(raw.http().get("/api/2.1/unity-catalog/external-locations"), 200)
                        .get("external_locations")
                        .findValuesAsString("name"))
                .containsExactly(location);
        // a catalog root there is another privilege: refused with CREATE_EXTERNAL_TABLE alone ...
        assertProblem(
                raw.http().post("/api/2.1/unity-catalog/catalogs", rootedCatalog(rooted, managedRoot)),
                403,
                "FORBIDDEN");
        assertThat(http.get("/api/2.1/unity-catalog/catalogs/" + rooted).statusCode())
                .isEqualTo(404);
        assertThat(catalogNames()).as("the catalogs after the refusal").doesNotContain(rooted);
        // ... taken with CREATE_MANAGED_STORAGE, and the catalog's managed tables go under the root
        grant("external_location", location, raw.principal(), "CREATE_MANAGED_STORAGE");
        JsonNode catalog =
                ok(raw.http().post("/api/2.1/unity-catalog/catalogs", rootedCatalog(rooted, managedRoot)), 200);
        assertThat(path(catalog.get("storage_root").asString())).isEqualTo(rawFiles.resolve("managed"));
        assertThat(catalogNames()).contains(rooted);
        assertThat(path(ok(raw.http().get("/api/2.1/unity-catalog/catalogs/" + rooted), 200)
                        .get("storage_root")
                        .asString()))
                .as("the catalog's root, read back")
                .isEqualTo(rawFiles.resolve("managed"));
        ok(raw.http().post("/api/v1/schemas", "{\"catalog_name\":\"" + rooted + "\",\"name\":\"s\"}"), 201);
        JsonNode managed = ok(
                raw.http()
                        .post(
                                "/api/v1/tables",
                                "{\"catalog_name\":\"" + rooted + "\",\"schema_name\":\"s\",\"name\":\"m\",\"schema\":"
                                        + SCHEMA + "}"),
                201);
        // compared as names (AssertJ's startsWith resolves real paths: the directory may not be made yet)
        assertThat(path(managed.get("location").asString()).startsWith(rawFiles.resolve("managed")))
                .as(managed.get("location").asString())
                .isTrue();

        // the other team reaches neither the prefix nor the location
        assertProblem(
                other.http()
                        .post(
                                "/api/v1/tables",
                                external(
                                        other,
                                        "stolen",
                                        rawFiles.resolve("x").toUri().toString())),
                403,
                "FORBIDDEN");
        assertThat(other.http()
                        .get("/api/2.1/unity-catalog/external-locations/" + location)
                        .statusCode())
                .isEqualTo(403);
        assertThat(ok(other.http().get("/api/2.1/unity-catalog/external-locations"), 200)
                        .get("external_locations"))
                .isEmpty();
        assertProblem(
                other.http()
                        .post(
                                "/api/v1/tables",
                                external(
                                        other,
                                        "own",
                                        otherFiles.resolve("t").toUri().toString())),
                403,
                "FORBIDDEN");

        // dropping the location keeps the table registered under it; new ones need another grant
        ok(http.delete("/api/2.1/unity-catalog/external-locations/" + location), 200);
        assertThat(ok(raw.http().get("/api/v1/tables/" + raw.catalog() + ".s.events"), 200)
                        .get("table_type")
                        .asString())
                .isEqualTo("EXTERNAL");
        assertProblem(
                raw.http()
                        .post(
                                "/api/v1/tables",
                                external(
                                        raw,
                                        "more",
                                        rawFiles.resolve("more").toUri().toString())),
                403,
                "FORBIDDEN");
    }
}
