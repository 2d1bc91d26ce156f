package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.testing.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/tables/{t}/health} over a commit history made through the API on a clock the
 * test moves ({@link HealthTestBase}): an hourly table
 * becomes LATE after the learned 75 minutes and not before, a declared SLA overrides the learned
 * expectation (nearest level wins), the next commit makes it FRESH, the daily volume sums the adds'
 * statistics, and a principal without SELECT on the table is refused.
 */
class TableHealthTest extends HealthTestBase {

    @Autowired
    IncidentReconciler reconciler;

    @Autowired
    TableHealthService tableHealth;

    @Autowired
    TableRepository tables;

    @Test
    void anIncidentKeepsTheCauseItNamedWhileLineageDoesNotAnswerAndDropsItWhenLineageSaysNone() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 hour");
        movable().advance(Duration.ofHours(2));
        String[] parts = table.split("\\.");
        TableRow row = tables.find(parts[0], parts[1], parts[2]).orElseThrow();
        TableHealth late = tableHealth.of(row, clock.instant());
        assertThat(late.status()).isEqualTo("LATE");
        String failing = "job load_orders FAILING: its last run 7 failed";

        assertThat(reconciler.reconcile(
                        row, late, new LateCauses.Explanation(Optional.empty(), failing, true), List.of()))
                .isEqualTo(IncidentReconciler.Outcome.OPENED);
        JsonNode opened = incidents(table, "OPEN").get(0);
        assertThat(opened.get("cause").asString()).isEqualTo(failing);

        movable().advance(Duration.ofMinutes(1));
        reconciler.reconcile(row, tableHealth.of(row, clock.instant()), LateCauses.Explanation.UNKNOWN, List.of());
        JsonNode kept = incidents(table, "OPEN").get(0);
        assertThat(kept.get("cause").asString())
                .as("lineage did not answer: the cause named before stands")
                .isEqualTo(failing);
        assertThat(kept.get("staleness_seconds").asLong())
                .as("the rest of the incident is brought up to date")
                .isEqualTo(opened.get("staleness_seconds").asLong() + 60);

        reconciler.reconcile(row, tableHealth.of(row, clock.instant()), LateCauses.Explanation.NONE, List.of());
        assertThat(incidents(table, "OPEN").get(0).get("cause").isNull())
                .as("lineage answered that no writer is unhealthy now: no cause is named")
                .isTrue();
    }

    @Test
    void anHourlyTableIsLateAfterTheLearnedSilenceAndFreshAgainWithItsNextCommit() {
        toNextMonday();
        String table = newTable();
        long version = commitHourly(table, 0, 14 * 24);
        Instant last = clock.instant();

        movable().advance(Duration.ofMinutes(74));
        evaluator.evaluate();
        assertThat(incidents(table, "OPEN")).as("74 minutes: not late yet").isEmpty();
        JsonNode fresh = health(table);
        assertThat(fresh.get("status").asString()).isEqualTo("FRESH");
        assertThat(fresh.get("last_data_version").asLong()).isEqualTo(version);
        assertThat(Instant.parse(fresh.get("last_data_commit_at").asString())).isEqualTo(last);
        assertThat(fresh.get("staleness_seconds").asLong()).isEqualTo(74 * 60);
        JsonNode learned = fresh.get("freshness");
        assertThat(learned.get("source").asString()).isEqualTo("learned");
        assertThat(learned.get("basis").asString()).isEqualTo("weekly_pattern");
        assertThat(learned.get("allowed_silence_seconds").asLong()).isEqualTo(75 * 60);
        assertThat(learned.get("usual_interval_seconds").asLong()).isEqualTo(3_600);
        assertThat(learned.get("history_commits").asInt()).isEqualTo(14 * 24);

        movable().advance(Duration.ofMinutes(2));
        assertThat(health(table).get("status").asString())
                .as("76 minutes without a commit")
                .isEqualTo("LATE");
        assertThat(evaluator.evaluate().opened()).isGreaterThanOrEqualTo(1);
        List<JsonNode> open = incidents(table, "OPEN");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("kind").asString()).isEqualTo("TABLE_LATE");
        assertThat(open.get(0).get("staleness_seconds").asLong()).isEqualTo(76 * 60);
        assertThat(open.get(0).get("expectation").asString()).startsWith("learned (weekly pattern)");
        String incident = open.get(0).get("id").asString();
        movable().advance(Duration.ofMinutes(1));
        evaluator.evaluate();
        assertThat(incidents(table, "OPEN"))
                .as("still late: the same incident, updated")
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.get("id").asString()).isEqualTo(incident);
                    assertThat(i.get("staleness_seconds").asLong()).isEqualTo(77 * 60);
                });
        assertThat(metrics().lines())
                .anyMatch(line -> line.startsWith("deltaplane_table_staleness_seconds{")
                        && line.contains("table=\"" + table + "\"")
                        && line.endsWith(" 4620.0"))
                .anyMatch(line -> line.startsWith("deltaplane_table_staleness_expected_seconds{")
                        && line.contains("table=\"" + table + "\"")
                        && line.endsWith(" 4500.0"));

        // declared on the catalog and on the schema: the schema's, the nearer, wins
        String catalog = table.substring(0, table.indexOf('.'));
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/catalogs/" + catalog,
                        "{\"properties\":{\"deltaplane.freshness.sla\":\"interval 30 minutes\"}}"),
                200);
        assertThat(health(table).get("freshness").get("declared_on").asString()).isEqualTo("catalog");
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/schemas/" + catalog + ".s",
                        "{\"properties\":{\"deltaplane.freshness.sla\":\"interval 3 hours\"}}"),
                200);
        JsonNode declared = health(table);
        assertThat(declared.get("status").asString()).isEqualTo("FRESH");
        assertThat(declared.get("freshness").get("source").asString()).isEqualTo("declared");
        assertThat(declared.get("freshness").get("declared_on").asString()).isEqualTo("schema");
        assertThat(declared.get("freshness").get("sla").asString()).isEqualTo("interval 3 hours");
        assertThat(declared.get("freshness").get("allowed_silence_seconds").asLong())
                .isEqualTo(3 * 3_600);

        movable().advance(Duration.ofHours(2));
        assertThat(health(table).get("status").asString()).as("3 h 17 min").isEqualTo("LATE");
        ok(commit(table, version, add("late.parquet", 1_000)), 201);
        assertThat(health(table).get("status").asString()).isEqualTo("FRESH");
        evaluator.evaluate();
        assertThat(incidents(table, "OPEN")).as("resolved by the data arriving").isEmpty();
        assertThat(incidents(table, "RESOLVED"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("id").asString()).isEqualTo(incident));

        // each full day of the history: 24 commits of one file and 100 rows
        JsonNode day = health(table).get("volume").get("days").get(3);
        assertThat(day.get("commits").asLong()).isEqualTo(24);
        assertThat(day.get("files_added").asLong()).isEqualTo(24);
        assertThat(day.get("rows_added").asLong()).isEqualTo(2_400);
        assertThat(day.get("bytes_added").asLong()).isEqualTo(24_000);
        assertThat(health(table).get("volume").get("anomaly").isNull()).isTrue();
    }

    @Test
    void aTableWithoutHistoryIsUnknownAndAnSlaThatCannotBeReadIsRefused() {
        String table = newTable();
        JsonNode health = health(table);
        assertThat(health.get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(health.get("freshness").get("source").asString()).isEqualTo("none");
        assertThat(health.get("last_data_version").isNull()).isTrue();

        String catalog = table.substring(0, table.indexOf('.'));
        assertProblem(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/schemas/" + catalog + ".s",
                        "{\"properties\":{\"deltaplane.freshness.sla\":\"soon\"}}"),
                400,
                "VALIDATION_FAILED");
        assertThat(health(table).get("freshness").get("source").asString()).isEqualTo("none");
    }

    @Test
    void aPrincipalWithoutSelectOnTheTableSeesNoneOfIt() {
        String table = newTable();
        String team = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(team, PrincipalType.SERVICE_PRINCIPAL);
        TestHttp asTeam = http.withKey(keys.createFor("team", team, null).key());
        // a late table with an open incident (declared: one second)
        String catalog = table.substring(0, table.indexOf('.'));
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/catalogs/" + catalog,
                        "{\"properties\":{\"deltaplane.freshness.sla\":\"interval 1 second\"}}"),
                200);
        movable().advance(Duration.ofSeconds(5));
        evaluator.evaluate();
        assertThat(incidents(table, "OPEN")).hasSize(1);
        String incident = incidents(table, "OPEN").get(0).get("id").asString();
        assertThat(ok(asTeam.get("/api/v1/incidents?status=OPEN"), 200).toString())
                .doesNotContain(table);
        assertThat(asTeam.get("/api/v1/incidents/" + incident).statusCode()).isEqualTo(404);

        var refused = asTeam.get("/api/v1/tables/" + table + "/health");
        assertThat(refused.statusCode()).as(refused.body()).isIn(403, 404);
        assertThat(refused.body()).doesNotContain("staleness_seconds");

        grant("table", table, team, "SELECT");
        grant("schema", table.substring(0, table.lastIndexOf('.')), team, "USE_SCHEMA");
        grant("catalog", table.substring(0, table.indexOf('.')), team, "USE_CATALOG");
        assertThat(ok(asTeam.get("/api/v1/tables/" + table + "/health"), 200)
                        .get("status")
                        .asString())
                .isEqualTo("LATE");
        assertThat(ok(asTeam.get("/api/v1/incidents/" + incident), 200)
                        .get("table")
                        .asString())
                .isEqualTo(table);
    }

    @Test
    void aTableNamesTheIncidentItIsInAndAnotherTeamsRootOnlyToThoseWhoMayReadIt() {
        String root = newTable();
        String mid = newTable();
        ok(commit(root, 0, add("a.parquet", 1_000)), 201);
        ok(commit(mid, 0, add("a.parquet", 1_000)), 201);
        catalogSla(root, "interval 1 hour");
        catalogSla(mid, "interval 1 hour");
        movable().advance(Duration.ofHours(2));
        assertThat(health(mid).get("incident").isNull())
                .as("in no incident yet")
                .isTrue();
        String[] parts = root.split("\\.");
        TableRow row = tables.find(parts[0], parts[1], parts[2]).orElseThrow();
        String path = root + " → job rollup → " + mid;
        reconciler.reconcile(
                row,
                tableHealth.of(row, clock.instant()),
                new LateCauses.Explanation(Optional.empty(), "job load FAILING: its last run 7 failed", true),
                List.of(path));
        String id = incidents(root, "OPEN").get(0).get("id").asString();

        JsonNode own = health(root).get("incident");
        assertThat(own.get("role").asString()).isEqualTo("ROOT");
        assertThat(own.get("id").asString()).isEqualTo(id);
        assertThat(own.get("cause").asString()).isEqualTo("job load FAILING: its last run 7 failed");
        JsonNode affected = health(mid).get("incident");
        assertThat(affected.get("role").asString()).isEqualTo("AFFECTED");
        assertThat(affected.get("id").asString()).isEqualTo(id);
        assertThat(affected.get("root").asString()).isEqualTo(root);
        assertThat(affected.get("path").asString()).isEqualTo(path);
        assertThat(affected.get("cause").asString()).isEqualTo("job load FAILING: its last run 7 failed");

        // a team that may read mid, not root: affected, by an incident it learns nothing more of
        String team = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestHttp asTeam = newTeam(team);
        grant("table", mid, team, "SELECT");
        grant("schema", mid.substring(0, mid.lastIndexOf('.')), team, "USE_SCHEMA");
        grant("catalog", mid.substring(0, mid.indexOf('.')), team, "USE_CATALOG");
        JsonNode seen = ok(asTeam.get("/api/v1/tables/" + mid + "/health"), 200);
        assertThat(seen.get("incident").get("role").asString()).isEqualTo("AFFECTED");
        for (String hidden : List.of("id", "root", "path", "cause")) {
            assertThat(seen.get("incident").get(hidden).isNull()).as(hidden).isTrue();
        }
        assertThat(seen.toString()).doesNotContain(root).doesNotContain("job load");
    }

    @Test
    void aDaysVolumeCountsDataChangesOnlyAndReportsACommitRemovingMoreThanItAdds() {
        String table = newTable();
        movable().advance(Duration.ofHours(1));
        // 500 bytes, 50 rows (stats)
        ok(commit(table, 0, add("a.parquet", 500)), 201);
        // 300 bytes without stats: no rows, still a file and its bytes
        ok(
                commit(
                        table,
                        1,
                        "{\"add\":{\"path\":\"b.parquet\",\"partitionValues\":{},\"size\":300,"
                                + "\"modificationTime\":1700000000000,\"dataChange\":true}}"),
                201);
        // removes 500 (a's size, as the remove says) and adds 100: removes more than it adds
        ok(
                commit(
                        table,
                        2,
                        "{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1700000000000,"
                                + "\"dataChange\":true,\"size\":500}}",
                        add("c.parquet", 100)),
                201);
        // a rewrite that changes no data (OPTIMIZE's shape) is no data commit
        ok(
                commit(
                        table,
                        3,
                        "{\"remove\":{\"path\":\"c.parquet\",\"deletionTimestamp\":1700000000000,"
                                + "\"dataChange\":false,\"size\":100}}",
                        "{\"add\":{\"path\":\"d.parquet\",\"partitionValues\":{},\"size\":100,"
                                + "\"modificationTime\":1700000000000,\"dataChange\":false,"
                                + "\"stats\":\"{\\\"numRecords\\\":10}\"}}"),
                201);
        JsonNode days = health(table).get("volume").get("days");
        assertThat(days).hasSize(1);
        JsonNode day = days.get(0);
        assertThat(day.get("commits").asLong()).isEqualTo(3);
        assertThat(day.get("files_added").asLong()).isEqualTo(3);
        assertThat(day.get("rows_added").asLong()).isEqualTo(60);
        assertThat(day.get("bytes_added").asLong()).isEqualTo(900);
        assertThat(day.get("files_removed").asLong()).isEqualTo(1);
        assertThat(day.get("bytes_removed").asLong()).isEqualTo(500);
        assertThat(day.get("commits_removing_more").asLong()).isEqualTo(1);
    }
}
