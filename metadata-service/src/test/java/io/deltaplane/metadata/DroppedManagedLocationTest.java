package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A managed table dropped with its files kept: another team, holding every privilege on a catalog
 * of its own, cannot register the dropped table's directory — nor one inside or above it — as an
 * EXTERNAL table or import it, through either door, so it never reads what it was never granted;
 * whoever dropped it (or a metastore admin) may import it again.
 */
class DroppedManagedLocationTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @Test
    void aDroppedManagedTablesFilesAreNoOnesExternalLocation() throws Exception {
        String victim = newTable();
        ok(commit(victim, 0, add("secret.parquet", 10)), 201);
        String location = get("/api/v1/tables/" + victim).get("location").asString();
        awaitPublished(victim, 1);
        assertThat(http.delete("/api/v1/tables/" + victim).statusCode()).isEqualTo(204);

        // another team: owns a catalog of its own, with everything in it
        String team = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(team, PrincipalType.SERVICE_PRINCIPAL);
        grant("metastore", "metastore", team, "CREATE_CATALOG");
        TestHttp asTeam = http.withKey(keys.createFor("team", team, null).key());
        String theirs = "c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(asTeam.post("/api/v1/catalogs", "{\"name\":\"" + theirs + "\"}"), 201);
        ok(asTeam.post("/api/v1/schemas", "{\"catalog_name\":\"" + theirs + "\",\"name\":\"s\"}"), 201);

        int tried = 0;
        for (String target :
                new String[] {location, location + "/inner", location.substring(0, location.lastIndexOf('/'))}) {
            assertProblem(
                    asTeam.post(
                            "/api/v1/tables",
                            "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"t" + tried
                                    + "\",\"schema\":" + SCHEMA + ",\"location\":\"" + target + "\"}"),
                    422,
                    "LOCATION_NOT_ALLOWED");
            assertProblem(
                    asTeam.post(
                            "/api/v1/tables/import",
                            "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"i" + tried
                                    + "\",\"location\":\"" + target + "\"}"),
                    422,
                    "LOCATION_NOT_ALLOWED");
            assertProblem(
                    asTeam.post(
                            "/api/2.1/unity-catalog/tables",
                            "{\"name\":\"u" + tried + "\",\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\","
                                    + "\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\","
                                    + "\"storage_location\":\"" + target + "\"}"),
                    422,
                    "LOCATION_NOT_ALLOWED");
            tried++;
        }
        assertThat(tried).isEqualTo(3);
        assertThat(http.get("/api/v1/tables?catalog_name=" + theirs + "&schema_name=s")
                        .body())
                .doesNotContain("\"name\":\"t0\"")
                .doesNotContain("\"name\":\"i0\"");

        // whoever dropped it (here a metastore admin) may import it again
        String[] victimName = victim.split("\\.");
        ok(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + victimName[0] + "\",\"schema_name\":\"s\",\"name\":\"again\","
                                + "\"location\":\"" + location + "\"}"),
                201);

        // a location of its own still registers
        String own = Files.createTempDirectory("own-external").toUri().toString();
        ok(
                asTeam.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"fine\",\"schema\":"
                                + SCHEMA + ",\"location\":\"" + own + "\"}"),
                201);
    }
}
