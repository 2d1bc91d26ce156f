package io.deltaplane.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.IcebergReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.Snapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tables with the features Spark 4 and delta-spark 4.4 write, made by Spark by path, adopted by the
 * platform ({@code POST /tables/import}), committed to through {@code /api/v1}, and read back by
 * Spark from the {@code _delta_log} the platform published — every version, the row ids, the
 * renamed columns, and the checkpoint Spark's read starts from (the change data feed:
 * {@link SparkChangeDataFeedTest}).
 */
class SparkTableFeaturesTest extends EngineTestBase {

    /**
     * The table Spark's managed {@code CREATE TABLE} makes — deletion vectors, row tracking, V2
     * checkpoints, In-Commit Timestamps — written by Spark (insert, delete with a deletion vector,
     * update), adopted, then 25 appends by the platform: Spark reads every version with the rows it
     * should hold, row ids stay unique and stable across the hand-over, the platform's rows carry
     * their commit's version, each of the platform's versions has an In-Commit Timestamp later than
     * the one before (and Spark's history gives it), and Spark's read of the latest version starts
     * from the checkpoint the platform wrote where Delta's cadence puts it (version 20).
     */
    @Test
    void sparksManagedTableDefaultsSurviveTheHandOverAndSparkReadsEveryVersion() throws Exception {
        String name = CATALOG + "." + SCHEMA + ".defaults";
        Path table = platform.warehouse().resolve("by-spark").resolve("defaults");
        spark.sql(
                "CREATE TABLE %s (id BIGINT, name STRING) USING delta TBLPROPERTIES ("
                        + "'delta.enableDeletionVectors'='true', 'delta.enableRowTracking'='true',"
                        + " 'delta.checkpointPolicy'='v2', 'delta.enableInCommitTimestamps'='true')",
                table);
        spark.sql("INSERT INTO %s VALUES (1, 'a'), (2, 'b'), (3, 'c')", table);
        spark.sql("INSERT INTO %s VALUES (4, 'd'), (5, 'e')", table);
        spark.sql("DELETE FROM %s WHERE id = 2", table);
        spark.sql("UPDATE %s SET name = 'C' WHERE id = 3", table);
        long sparkVersion = 4;
        assertThat(Files.readString(table.resolve("_delta_log").resolve(String.format("%020d.json", 3))))
                .as("Spark's DELETE wrote a deletion vector")
                .contains("\"deletionVector\"");
        Map<Long, Long> rowIdsBySpark = rowIds(table);
        assertThat(rowIdsBySpark).hasSize(4);

        JsonNode imported = platform.importTable(name, table);
        assertThat(imported.get("version").asLong()).isEqualTo(sparkVersion);

        // 25 appends of two rows each, placed by the platform
        Path staging = work.resolve("staging-defaults");
        spark.writeParquet(spark.range(1000, 1050, 25).selectExpr("id", "concat('n', id) AS name"), staging);
        List<Path> files = SparkEngine.parquetFiles(staging);
        assertThat(files).hasSize(25);
        Map<Long, Long> versionOfFirstId = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = Files.move(files.get(i), table.resolve("deltaplane-" + i + ".parquet"));
            long version = platform.append(name, List.of(Deltaplane.add(table, file, 2)));
            assertThat(version).isEqualTo(sparkVersion + 1 + i);
            versionOfFirstId.put(1000L + 2L * i, version);
        }
        long latest = sparkVersion + files.size();
        Deltaplane.awaitPublished(table, latest, -1);
        PublishedLog log = new PublishedLog(table);
        // Delta's cadence: a checkpoint at every multiple of the table's interval, so the commits
        // above leave the newest one at the last multiple they reached (20 of 29, at the default 10).
        // When the platform has checkpointed 10 already, 20 waits out its per-table minimum between
        // checkpoints (deltaplane.publish.checkpoint-min-interval, 1 minute by default).
        long interval = log.checkpointInterval(latest);
        long expectedCheckpoint = latest / interval * interval;
        assertThat(expectedCheckpoint)
                .as("the checkpoint expected is at a version the platform wrote")
                .isGreaterThan(sparkVersion);
        Deltaplane.awaitPublished(table, latest, expectedCheckpoint);
        platformsVersionsCarryIncreasingInCommitTimestamps(table, log, sparkVersion, latest);

        for (long v = 0; v <= latest; v++) {
            long expected = v == 0 ? 0 : v == 1 ? 3 : v == 2 ? 5 : v <= 4 ? 4 : 4 + 2 * (v - 4);
            assertThat(spark.read(table, v).count())
                    .as("rows Spark reads at version %d", v)
                    .isEqualTo(expected);
        }
        List<Row> rows = spark.read(table, -1)
                .selectExpr("id", "name", "_metadata.row_id AS row_id", "_metadata.row_commit_version AS cv")
                .collectAsList();
        assertThat(rows).hasSize(54);
        Set<Long> ids = new HashSet<>();
        long sparksHighest =
                rowIdsBySpark.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        for (Row row : rows) {
            long id = row.getLong(0);
            long rowId = row.getLong(2);
            assertThat(ids.add(rowId)).as("row id %d is unique", rowId).isTrue();
            if (id < 1000) {
                assertThat(rowId)
                        .as("row %d keeps the row id Spark gave it", id)
                        .isEqualTo(rowIdsBySpark.get(id));
            } else {
                assertThat(rowId)
                        .as("the platform's row %d gets an id above Spark's", id)
                        .isGreaterThan(sparksHighest);
                long firstOfFile = id - (id % 2);
                assertThat(row.getLong(3))
                        .as("row %d carries the version it was committed in", id)
                        .isEqualTo(versionOfFirstId.get(firstOfFile));
            }
        }
        assertThat(rows.stream()
                        .filter(r -> r.getLong(0) == 3)
                        .findFirst()
                        .orElseThrow()
                        .getString(1))
                .isEqualTo("C");

        Snapshot snapshot = spark.snapshot(table);
        assertThat(snapshot.version()).isEqualTo(latest);
        assertThat(log.lastCheckpoint())
                .as("the version _last_checkpoint names (interval %d, newest version %d)", interval, latest)
                .isEqualTo(expectedCheckpoint);
        assertThat(log.checkpointFileVersions())
                .as("the versions the checkpoint files in _delta_log are named for")
                .last()
                .isEqualTo(expectedCheckpoint);
        assertThat(snapshot.checkpointProvider().version())
                .as("Spark's read of version %d starts from the checkpoint the platform wrote", latest)
                .isEqualTo(expectedCheckpoint);
        Path checkpoint =
                table.resolve("_delta_log").resolve(String.format("%020d.checkpoint.parquet", expectedCheckpoint));
        assertThat(spark.readParquet(checkpoint)
                        .where("checkpointMetadata IS NOT NULL")
                        .count())
                .as("the checkpoint is V2-spec (one checkpointMetadata row): the table has v2Checkpoint")
                .isEqualTo(1);

        // Iceberg's own client reads the rows Spark reads at every version: the catalog made the
        // table's Iceberg metadata (v3, Spark's deletion vectors as Iceberg's) from the log it holds
        try (RESTCatalog iceberg = platform.iceberg(CATALOG)) {
            org.apache.iceberg.Table loaded = iceberg.loadTable(TableIdentifier.of(SCHEMA, "defaults"));
            assertThat(((HasTableOperations) loaded).operations().current().formatVersion())
                    .isEqualTo(3);
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(loaded);
            assertThat(latest).as("versions to compare").isPositive();
            for (long v = 0; v <= latest; v++) {
                assertThat(snapshots).as("an Iceberg snapshot of version %d", v).containsKey(v);
                assertThat(IcebergReader.rows(loaded, snapshots.get(v), "id", "name"))
                        .as("rows Iceberg reads at version %d", v)
                        .isEqualTo(sparkRows(table, v, "id", "name"));
            }
        }
    }

    /**
     * In-Commit Timestamps across the hand-over: each version the platform wrote (after Spark's
     * {@code sparkVersion}) has a {@code commitInfo.inCommitTimestamp} in its published commit file,
     * later than the version before's (Spark's last one included), and it is the timestamp Spark's
     * {@code DESCRIBE HISTORY} gives the version — an ICT table's history is told by its ICTs, not
     * by file times.
     */
    private void platformsVersionsCarryIncreasingInCommitTimestamps(
            Path table, PublishedLog log, long sparkVersion, long latest) throws java.io.IOException {
        Map<Long, Long> history = new HashMap<>();
        for (Row row : spark.sql("DESCRIBE HISTORY %s", table)) {
            history.put(
                    row.getLong(row.fieldIndex("version")),
                    row.getTimestamp(row.fieldIndex("timestamp")).getTime());
        }
        long previous = log.inCommitTimestamp(sparkVersion)
                .orElseThrow(() -> new AssertionError("Spark's version " + sparkVersion + " has no inCommitTimestamp"));
        for (long v = sparkVersion + 1; v <= latest; v++) {
            java.util.OptionalLong ict = log.inCommitTimestamp(v);
            assertThat(ict).as("version %d's commitInfo.inCommitTimestamp", v).isPresent();
            assertThat(ict.getAsLong())
                    .as("version %d's inCommitTimestamp, after version %d's", v, v - 1)
                    .isGreaterThan(previous);
            assertThat(history.get(v))
                    .as("the timestamp Spark's DESCRIBE HISTORY gives version %d", v)
                    .isEqualTo(ict.getAsLong());
            previous = ict.getAsLong();
        }
    }

    /** The rows Spark reads at {@code version}, the columns joined by {@code |} as IcebergReader renders them, sorted. */
    private List<String> sparkRows(Path table, long version, String... columns) {
        List<String> rows = new ArrayList<>();
        for (Row row : spark.read(table, version).selectExpr(columns).collectAsList()) {
            StringBuilder joined = new StringBuilder();
            for (int c = 0; c < columns.length; c++) {
                joined.append(c == 0 ? "" : "|").append(row.isNullAt(c) ? "null" : String.valueOf(row.get(c)));
            }
            rows.add(joined.toString());
        }
        rows.sort(null);
        return rows;
    }

    /**
     * Column mapping ({@code name} mode) as Spark makes it, then a rename and a drop committed by the
     * platform as a {@code metaData} (the physical names stay) and an append of a file written under
     * the physical names: Spark reads the old names before, the new names after, and the old rows'
     * values under the renamed column.
     */
    @Test
    void aColumnMappedTableRenamedAndDroppedByThePlatformReadsRightInSpark() throws Exception {
        String name = CATALOG + "." + SCHEMA + ".mapped";
        Path table = platform.warehouse().resolve("by-spark").resolve("mapped");
        spark.sql(
                "CREATE TABLE %s (id BIGINT, name STRING, city STRING) USING delta"
                        + " TBLPROPERTIES ('delta.columnMapping.mode'='name')",
                table);
        spark.sql("INSERT INTO %s VALUES (1, 'a', 'x'), (2, 'b', 'y')", table);
        assertThat(platform.importTable(name, table).get("version").asLong()).isEqualTo(1);

        ObjectNode metaData = sparksMetaData(table);
        ObjectNode schema = (ObjectNode)
                Deltaplane.JSON.readTree(metaData.get("schemaString").asString());
        Map<String, String> physical = new HashMap<>();
        ArrayNode kept = Deltaplane.JSON.createArrayNode();
        for (JsonNode field : schema.get("fields")) {
            String logical = field.get("name").asString();
            physical.put(
                    logical,
                    field.get("metadata")
                            .get("delta.columnMapping.physicalName")
                            .asString());
            if (logical.equals("city")) {
                continue; // dropped
            }
            ObjectNode copy = (ObjectNode) field.deepCopy();
            if (logical.equals("name")) {
                copy.put("name", "full_name");
            }
            kept.add(copy);
        }
        assertThat(physical.get("name"))
                .as("Spark gave the column a physical name of its own")
                .isNotEqualTo("name");
        schema.set("fields", kept);
        metaData.put("schemaString", schema.toString());
        ObjectNode renameAndDrop = Deltaplane.JSON.createObjectNode();
        renameAndDrop.set("metaData", metaData);
        assertThat(platform.commit(name, 1, List.of(renameAndDrop))).isEqualTo(2);

        Path staging = work.resolve("staging-mapped");
        spark.writeParquet(
                spark.range(10, 12, 1)
                        .selectExpr(
                                "id AS `" + physical.get("id") + "`",
                                "concat('n', id) AS `" + physical.get("name") + "`"),
                staging);
        Path file = Files.move(SparkEngine.parquetFiles(staging).get(0), table.resolve("deltaplane-0.parquet"));
        assertThat(platform.append(name, List.of(Deltaplane.add(table, file, 2))))
                .isEqualTo(3);
        Deltaplane.awaitPublished(table, 3, -1);

        assertThat(spark.read(table, 1).schema().fieldNames()).containsExactly("id", "name", "city");
        assertThat(spark.read(table, 2).schema().fieldNames()).containsExactly("id", "full_name");
        Map<Long, String> latest = new HashMap<>();
        for (Row row : spark.read(table, -1).collectAsList()) {
            latest.put(row.getLong(0), row.getString(1));
        }
        assertThat(latest).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "a", 2L, "b", 10L, "n10", 11L, "n11"));
        assertThat(platform.table(name).get("schema").get("fields").findValuesAsString("name"))
                .contains("id", "full_name")
                .doesNotContain("city");

        // Iceberg readers find the renamed column by Spark's physical names, at every version
        try (RESTCatalog iceberg = platform.iceberg(CATALOG)) {
            org.apache.iceberg.Table loaded = iceberg.loadTable(TableIdentifier.of(SCHEMA, "mapped"));
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(loaded);
            assertThat(IcebergReader.rows(loaded, snapshots.get(1L), "id", "name", "city"))
                    .isEqualTo(sparkRows(table, 1, "id", "name", "city"));
            for (long v = 2; v <= 3; v++) {
                assertThat(IcebergReader.rows(loaded, snapshots.get(v), "id", "full_name"))
                        .as("version %d", v)
                        .isEqualTo(sparkRows(table, v, "id", "full_name"));
            }
        }
    }

    /**
     * Tables Spark makes with each feature the platform does not take (its own writers would not
     * keep their rules): the import is a 4xx problem naming the feature, and no table is created.
     */
    @Test
    void tablesWithFeaturesThePlatformRefusesAreRefusedByNameAtImport() {
        Map<String, String> features = new LinkedHashMap<>();
        features.put(
                "typeWidening", "(id BIGINT, n INT) USING delta TBLPROPERTIES ('delta.enableTypeWidening'='true')");
        features.put("identityColumns", "(id BIGINT GENERATED ALWAYS AS IDENTITY, n INT) USING delta");
        features.put("generatedColumns", "(id BIGINT, twice BIGINT GENERATED ALWAYS AS (id * 2)) USING delta");
        features.put("clustering", "(id BIGINT, n INT) USING delta CLUSTER BY (id)");
        features.put("variantType", "(id BIGINT, v VARIANT) USING delta");
        features.put(
                "allowColumnDefaults",
                "(id BIGINT, n INT) USING delta TBLPROPERTIES ('delta.feature.allowColumnDefaults'='supported')");
        features.put("checkConstraints", "(id BIGINT, n INT) USING delta");
        int refused = 0;
        for (Map.Entry<String, String> feature : features.entrySet()) {
            String tableName = feature.getKey().toLowerCase(java.util.Locale.ROOT);
            Path table = platform.warehouse().resolve("by-spark").resolve("refused-" + tableName);
            spark.sql("CREATE TABLE %s " + feature.getValue(), table);
            if (feature.getKey().equals("checkConstraints")) {
                spark.sql("ALTER TABLE %s ADD CONSTRAINT positive CHECK (id > 0)", table);
            }
            // Spark lists the feature, except for a constraint: ADD CONSTRAINT upgrades to the legacy
            // writer version 3, which implies it, and puts the constraint in the table's properties
            boolean constraint = feature.getKey().equals("checkConstraints");
            assertThat(constraint ? sparkLog(table) : sparkProtocol(table))
                    .as("Spark wrote the %s feature", feature.getKey())
                    .contains(constraint ? "\"delta.constraints.positive\"" : feature.getKey());
            var answer = platform.tryImport(CATALOG + "." + SCHEMA + "." + tableName, table);
            assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
            assertThat(answer.body()).as("the problem names the feature").contains(feature.getKey());
            assertThat(platform.status("/api/v1/tables/" + CATALOG + "." + SCHEMA + "." + tableName))
                    .isEqualTo(404);
            refused++;
        }
        assertThat(refused).isEqualTo(7);
    }

    /** The protocol actions Spark wrote into the table's log, as text. */
    private static String sparkProtocol(Path table) {
        StringBuilder protocols = new StringBuilder();
        for (String line : sparkLog(table).split("\n")) {
            if (line.startsWith("{\"protocol\"")) {
                protocols.append(line);
            }
        }
        return protocols.toString();
    }

    /** Every commit Spark wrote into the table's log, as text (one action per line). */
    private static String sparkLog(Path table) {
        StringBuilder log = new StringBuilder();
        try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
            for (Path commit :
                    commits.filter(f -> f.toString().endsWith(".json")).toList()) {
                log.append(Files.readString(commit)).append('\n');
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return log.toString();
    }

    /** The {@code metaData} action of Spark's {@code CREATE TABLE} (version 0), as Spark wrote it. */
    private static ObjectNode sparksMetaData(Path table) throws Exception {
        for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", 0)))) {
            JsonNode action = Deltaplane.JSON.readTree(line);
            if (action.has("metaData")) {
                return (ObjectNode) action.get("metaData");
            }
        }
        throw new AssertionError("no metaData in Spark's version 0");
    }

    private Map<Long, Long> rowIds(Path table) {
        Map<Long, Long> ids = new HashMap<>();
        for (Row row :
                spark.read(table, -1).selectExpr("id", "_metadata.row_id").collectAsList()) {
            ids.put(row.getLong(0), row.getLong(1));
        }
        return ids;
    }
}
