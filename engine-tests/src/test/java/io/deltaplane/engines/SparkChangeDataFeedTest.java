package io.deltaplane.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The change data feed across the hand-over: Spark writes a change-data-feed table by path, the
 * platform adopts it and commits to it through {@code /api/v1}, and Spark reads the changes of
 * every version from the {@code _delta_log} the platform published.
 */
class SparkChangeDataFeedTest extends EngineTestBase {

    /**
     * A change-data-feed table Spark updated and deleted from (its {@code cdc} files under
     * {@code _change_data/}), adopted, appended to by the platform, then updated through the platform
     * (remove + add + a {@code cdc} file with the pre- and post-image): Spark's {@code
     * readChangeFeed} over the published log returns every change — Spark's, the platform's inserts
     * at the version it placed them, and the platform's update's pre- and post-image — the
     * platform's {@code /changes} names the same change files, and VACUUM keeps them while it
     * deletes what the update removed.
     */
    @Test
    void sparksChangeDataFeedReadsTheChangesOfEveryVersionAfterTheHandOver() throws Exception {
        String name = CATALOG + "." + SCHEMA + ".feed";
        Path table = platform.warehouse().resolve("by-spark").resolve("feed");
        spark.sql(
                "CREATE TABLE %s (id BIGINT, name STRING) USING delta"
                        + " TBLPROPERTIES ('delta.enableChangeDataFeed'='true')",
                table);
        spark.sql("INSERT INTO %s VALUES (1, 'a'), (2, 'b'), (3, 'c')", table);
        spark.sql("UPDATE %s SET name = 'B' WHERE id = 2", table);
        spark.sql("DELETE FROM %s WHERE id = 3", table);
        assertThat(platform.importTable(name, table).get("version").asLong()).isEqualTo(3);

        Path staging = work.resolve("staging-feed");
        spark.writeParquet(spark.range(10, 12, 1).selectExpr("id", "concat('n', id) AS name"), staging);
        Path file = Files.move(SparkEngine.parquetFiles(staging).get(0), table.resolve("deltaplane-0.parquet"));
        assertThat(platform.append(name, List.of(Deltaplane.add(table, file, 2))))
                .isEqualTo(4);
        Deltaplane.awaitPublished(table, 4, -1);

        // The platform's own UPDATE of id 10, as an engine commits one to a change-data-feed table:
        // the file rewritten (remove + add) and the change file with the row's pre- and post-image.
        Path rewritten = work.resolve("staging-feed-update");
        spark.writeParquet(
                spark.range(10, 12, 1).selectExpr("id", "IF(id = 10, 'N10', concat('n', id)) AS name"), rewritten);
        Path updated = Files.move(SparkEngine.parquetFiles(rewritten).get(0), table.resolve("deltaplane-1.parquet"));
        Path changed = work.resolve("staging-feed-cdc");
        spark.writeParquet(
                spark.range(0, 2, 1)
                        .selectExpr(
                                "CAST(10 AS BIGINT) AS id",
                                "IF(id = 0, 'n10', 'N10') AS name",
                                "IF(id = 0, 'update_preimage', 'update_postimage') AS _change_type"),
                changed);
        Files.createDirectories(table.resolve("_change_data"));
        Path changeFile = Files.move(
                SparkEngine.parquetFiles(changed).get(0),
                table.resolve("_change_data").resolve("cdc-deltaplane-5.parquet"));
        assertThat(platform.commit(
                        name,
                        4,
                        List.of(
                                Deltaplane.remove(table, file, Files.size(file)),
                                Deltaplane.add(table, updated, 2),
                                Deltaplane.cdc(table, changeFile))))
                .isEqualTo(5);
        Deltaplane.awaitPublished(table, 5, -1);
        assertThat(spark.read(table, 5)
                        .selectExpr("id", "name")
                        .orderBy("id")
                        .collectAsList()
                        .toString())
                .isEqualTo("[[1,a], [2,B], [10,N10], [11,n11]]");

        List<String> changes = new ArrayList<>();
        for (Row row : spark.changes(table, 0)
                .selectExpr("_commit_version", "_change_type", "id", "name")
                .orderBy("_commit_version", "_change_type", "id")
                .collectAsList()) {
            changes.add(row.getLong(0) + " " + row.getString(1) + " " + row.getLong(2) + " " + row.getString(3));
        }
        assertThat(changes)
                .containsExactly(
                        "1 insert 1 a",
                        "1 insert 2 b",
                        "1 insert 3 c",
                        "2 update_postimage 2 B",
                        "2 update_preimage 2 b",
                        "3 delete 3 c",
                        "4 insert 10 n10",
                        "4 insert 11 n11",
                        "5 update_postimage 10 N10",
                        "5 update_preimage 10 n10");

        JsonNode served = platform.changes(name, 2, 5).get("changes");
        assertThat(changeTypes(served.get(0))).as("version 2 (Spark's UPDATE)").containsOnly("cdc");
        assertThat(changeTypes(served.get(1))).as("version 3 (Spark's DELETE)").containsOnly("cdc");
        assertThat(changeTypes(served.get(2)))
                .as("version 4 (the platform's append)")
                .containsExactly("insert");
        assertThat(changeTypes(served.get(3)))
                .as("version 5 (the platform's update)")
                .containsOnly("cdc");
        served.get(0)
                .get("change_files")
                .forEach(f -> assertThat(f.get("path").asString()).startsWith("_change_data/"));

        vacuumDeletesTheRemovedFileAndKeepsTheChangeData(name, table, file);
    }

    /**
     * VACUUM with no retention deletes the data file the platform's update removed ({@code
     * removed}, no longer needed by any retained version: the control that this VACUUM deletes
     * anything at all) and keeps every change file under {@code _change_data/} (Spark's and the
     * platform's), which Spark's change feed of the platform's update still reads.
     */
    private void vacuumDeletesTheRemovedFileAndKeepsTheChangeData(String name, Path table, Path removed)
            throws Exception {
        List<Path> changeData;
        try (Stream<Path> files = Files.walk(table.resolve("_change_data"))) {
            changeData = files.filter(Files::isRegularFile).toList();
        }
        assertThat(changeData)
                .as("change files of Spark's UPDATE and DELETE and of the platform's update")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(removed).exists();

        JsonNode vacuumed = platform.vacuum(name, 0);

        assertThat(removed)
                .as("the file the platform's update removed, past a retention of 0 hours")
                .doesNotExist();
        assertThat(vacuumed.get("paths").valueStream().map(JsonNode::asString).toList())
                .as("the files VACUUM says it deleted: " + vacuumed)
                .contains(table.relativize(removed).toString())
                .noneMatch(path -> path.startsWith("_change_data/"));
        assertThat(changeData)
                .as("change files after VACUUM")
                .allSatisfy(f -> assertThat(f).exists());
        assertThat(spark.changes(table, 5)
                        .selectExpr("_change_type", "name")
                        .orderBy("_change_type")
                        .collectAsList()
                        .toString())
                .as("the platform's update read from its change file after VACUUM")
                .isEqualTo("[[update_postimage,N10], [update_preimage,n10]]");
    }

    private static List<String> changeTypes(JsonNode change) {
        List<String> types = new ArrayList<>();
        change.get("change_files").forEach(f -> types.add(f.get("change_type").asString()));
        return types;
    }
}
