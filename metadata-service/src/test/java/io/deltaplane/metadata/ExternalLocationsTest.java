package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Storage is a securable: a team holding every privilege on a catalog of its own cannot register an
 * EXTERNAL table, import a table or root a catalog over a path under the operator's storage roots
 * until a metastore admin registers an external location there and grants it {@code
 * CREATE_EXTERNAL_TABLE} (or {@code CREATE_MANAGED_STORAGE}) — through {@code /api/v1} and Unity
 * Catalog's API alike; another team's prefix stays closed, and tables registered before keep working.
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

    @Test
    void registeringStorageNeedsAGrantOnAnExternalLocationThatContainsIt() throws Exception {
        Team raw = team();
        Team other = team();
        Path rawFiles = Files.createTempDirectory("raw-files-");
        Path otherFiles = Files.createTempDirectory("other-files-");
        String rawTable = rawFiles.resolve("events").toUri().toString();

        // without an external location: no one but an admin registers storage, through either door
        int refused = 0;
        assertProblem(raw.http().post("/api/v1/tables", external(raw, "events", rawTable)), 403, "FORBIDDEN");
        refused++;
        assertProblem(
                raw.http()
                        .post(
                                "/api/v1/tables/import",
                                "{\"catalog_name\":\"" + raw.catalog() + "\",\"schema_name\":\"s\",\"name\":\"i\","
                                        + "\"location\":\"" + rawTable + "\"}"),
                403,
                "FORBIDDEN");
        refused++;
        assertProblem(
                raw.http()
                        .post(
                                "/api/2.1/unity-catalog/tables",
                                "{\"name\":\"u\",\"catalog_name\":\"" + raw.catalog() + "\",\"schema_name\":\"s\","
                                        + "\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\","
                                        + "\"storage_location\":\"" + rawTable + "\"}"),
                403,
                "FORBIDDEN");
        refused++;
        assertProblem(
                raw.http()
                        .post(
                                "/api/2.1/unity-catalog/catalogs",
                                "{\"name\":\"rooted_"
                                        + UUID.randomUUID().toString().substring(0, 6) + "\",\"storage_root\":\""
                                        + rawFiles.resolve("managed").toUri() + "\"}"),
                403,
                "FORBIDDEN");
        refused++;
        // nor may a team register a location itself
        assertProblem(
                raw.http()
                        .post(
                                "/api/2.1/unity-catalog/external-locations",
                                "{\"name\":\"mine\",\"url\":\"" + rawFiles.toUri() + "\"}"),
                403,
                "FORBIDDEN");
        refused++;
        assertThat(refused).isEqualTo(5);

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

        ok(raw.http().post("/api/v1/tables", external(raw, "events", rawTable)), 201);
        assertThat(ok(raw.http().get("/api/2.1/unity-catalog/external-locations"), 200)
                        .get("external_locations")
                        .findValuesAsString("name"))
                .containsExactly(location);
        // a catalog root there is another privilege
        assertProblem(
                raw.http()
                        .post(
                                "/api/2.1/unity-catalog/catalogs",
                                "{\"name\":\"rooted_"
                                        + UUID.randomUUID().toString().substring(0, 6) + "\",\"storage_root\":\""
                                        + rawFiles.resolve("managed").toUri() + "\"}"),
                403,
                "FORBIDDEN");

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
