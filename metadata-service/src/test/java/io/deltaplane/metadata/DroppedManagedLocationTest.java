package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.table.DroppedTablePurge;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A managed table dropped with its files kept: another team, holding every privilege on a catalog
 * of its own, cannot register the dropped table's directory — nor one inside or above it — as an
 * EXTERNAL table or import it, through either door, so it never reads what it was never granted;
 * whoever dropped it (or a metastore admin) may import it again.
 */
class DroppedManagedLocationTest extends MetadataTestBase {

    @Autowired
    DroppedTablePurge purge;

    @Autowired
    JdbcClient jdbc;

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

        // each door and target, and what it was answered
        List<String> targets = List.of(location, location + "/inner", location.substring(0, location.lastIndexOf('/')));
        Map<String, String> answered = new LinkedHashMap<>();
        Map<String, String> notAllowed = new LinkedHashMap<>();
        for (int n = 0; n < targets.size(); n++) {
            String target = targets.get(n);
            answered.put(
                    "POST /api/v1/tables at " + target,
                    refusal(
                            asTeam.post(
                                    "/api/v1/tables",
                                    "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"t" + n
                                            + "\",\"schema\":" + SCHEMA + ",\"location\":\"" + target + "\"}"),
                            target));
            answered.put(
                    "POST /api/v1/tables/import at " + target,
                    refusal(
                            asTeam.post(
                                    "/api/v1/tables/import",
                                    "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"i" + n
                                            + "\",\"location\":\"" + target + "\"}"),
                            target));
            answered.put(
                    "POST unity-catalog/tables EXTERNAL at " + target,
                    refusal(
                            asTeam.post(
                                    "/api/2.1/unity-catalog/tables",
                                    "{\"name\":\"u" + n + "\",\"catalog_name\":\"" + theirs
                                            + "\",\"schema_name\":\"s\",\"table_type\":\"EXTERNAL\","
                                            + "\"data_source_format\":\"DELTA\",\"storage_location\":\"" + target
                                            + "\"}"),
                            target));
            for (String door : List.of(
                    "POST /api/v1/tables at ",
                    "POST /api/v1/tables/import at ",
                    "POST unity-catalog/tables EXTERNAL at ")) {
                notAllowed.put(door + target, "422 LOCATION_NOT_ALLOWED naming " + target);
            }
        }
        assertThat(answered).containsExactlyEntriesOf(notAllowed);
        // nothing registered: the team's schema lists no table
        assertThat(ok(http.get("/api/v1/tables?catalog_name=" + theirs + "&schema_name=s"), 200)
                        .get("tables"))
                .as("the team's tables after the refusals")
                .isEmpty();

        // whoever dropped it (here a metastore admin) may import it again
        String[] victimName = victim.split("\\.");
        ok(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + victimName[0] + "\",\"schema_name\":\"s\",\"name\":\"again\","
                                + "\"location\":\"" + location + "\"}"),
                201);

        // a location of its own still registers, once an admin makes it the team's external location
        Path ownDir = Files.createTempDirectory("own-external");
        String own = ownDir.toUri().toString();
        String ownLocation =
                "own_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        ok(
                http.post(
                        "/api/2.1/unity-catalog/external-locations",
                        "{\"name\":\"" + ownLocation + "\",\"url\":\"" + own + "\"}"),
                200);
        grant("external_location", ownLocation, team, "CREATE_EXTERNAL_TABLE");
        ok(
                asTeam.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + theirs + "\",\"schema_name\":\"s\",\"name\":\"fine\",\"schema\":"
                                + SCHEMA + ",\"location\":\"" + own + "\"}"),
                201);
    }

    /**
     * Soft drop, then purge: the dropped managed table's directory stays through the retention, is
     * deleted once it has passed (audited as the platform's change), and is then no one's
     * reservation; a directory its dropper imported again is released without deleting a file.
     */
    @Test
    void aDroppedManagedTablesDirectoryIsDeletedOnceTheRetentionHasPassed() throws Exception {
        String table = newTable();
        String location = get("/api/v1/tables/" + table).get("location").asString();
        Path dir = Path.of(URI.create(location));
        // the publisher makes the directory with the table's first log entry, a moment after: a
        // writer of data files makes it as it would on an object store, where there are none
        Files.createDirectories(dir);
        Files.write(dir.resolve("part-0.parquet"), new byte[] {1, 2, 3});
        ok(commit(table, 0, add("part-0.parquet", 3)), 201);
        awaitPublished(table, 1);
        assertThat(http.delete("/api/v1/tables/" + table).statusCode()).isEqualTo(204);

        String kept = newTable();
        String keptLocation = get("/api/v1/tables/" + kept).get("location").asString();
        awaitPublished(kept, 0);
        assertThat(http.delete("/api/v1/tables/" + kept).statusCode()).isEqualTo(204);
        String[] keptName = kept.split("\\.");
        ok(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + keptName[0] + "\",\"schema_name\":\"s\",\"name\":\"again\","
                                + "\"location\":\"" + keptLocation + "\"}"),
                201);

        // within the retention nothing is deleted
        assertThat(purge.purgeDroppedBefore(Instant.now().minus(Duration.ofDays(7))))
                .doesNotContain(location, keptLocation);
        assertThat(dir.resolve("part-0.parquet")).exists();

        List<String> purged = purge.purgeDroppedBefore(Instant.now().plusSeconds(1));
        assertThat(purged).contains(location).doesNotContain(keptLocation);
        assertThat(dir).doesNotExist();
        assertThat(Path.of(URI.create(keptLocation)).resolve("_delta_log")).isDirectory();
        assertThat(ok(http.get("/api/v1/tables/" + keptName[0] + ".s.again"), 200)
                        .get("version")
                        .asLong())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM platform.audit_events WHERE securable_name = ? AND action LIKE"
                                + " 'PURGE dropped table%' AND path = ?")
                        .params(table, location)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        // the reservation ended with the files: a second round has nothing left to do
        assertThat(purge.purgeDroppedBefore(Instant.now().plusSeconds(1))).isEmpty();
    }
}
