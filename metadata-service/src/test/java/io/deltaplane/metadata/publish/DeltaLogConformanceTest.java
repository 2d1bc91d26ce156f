package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A table written only through the API is, for Delta Kernel reading the published _delta_log, exactly
 * what Postgres says it is: version, schema, partition columns and live files, at every version,
 * from the JSON commits alone and from the Parquet checkpoint.
 */
class DeltaLogConformanceTest extends PublishTestBase {

    @TempDir
    Path copies;

    @Test
    void unpartitionedTableWithAddsRemovesAndASchemaChange() throws IOException {
        String table = newTable();
        long v = 0;
        ok(commit(table, v++, add("a.parquet", 100), add("b.parquet", 200)), 201);
        ok(commit(table, v++, add("c.parquet", 300)), 201);
        ok(commit(table, v++, remove("a.parquet")), 201);
        ok(commit(table, v++, metaData(table, m -> addColumn(m, "note"))), 201);
        ok(commit(table, v++, add("d.parquet", 400), remove("b.parquet")), 201);
        for (int i = 6; i <= 12; i++) {
            List<String> actions = i == 9
                    ? List.of(add("f" + i + ".parquet", i), remove("c.parquet"))
                    : List.of(add("f" + i + ".parquet", i));
            ok(commit(table, v++, actions.toArray(String[]::new)), 201);
        }
        assertConforms(table, v);
    }

    @Test
    void partitionedTableWithAPropertiesChange() throws IOException {
        String table = newTable("day");
        long v = 0;
        ok(
                commit(
                        table,
                        v++,
                        add("day=2024-01-01/p1.parquet", 10, Map.of("day", "2024-01-01")),
                        add("day=2024-01-01/p2.parquet", 20, Map.of("day", "2024-01-01")),
                        add("day=2024-01-02/p3.parquet", 30, Map.of("day", "2024-01-02"))),
                201);
        ok(commit(table, v++, remove("day=2024-01-01/p1.parquet")), 201);
        ok(commit(table, v++, metaData(table, m -> ((ObjectNode) m.get("configuration")).put("owner", "tests"))), 201);
        for (int i = 4; i <= 11; i++) {
            String day = "2024-02-0" + (i % 3 + 1);
            ok(commit(table, v++, add("day=" + day + "/q" + i + ".parquet", i, Map.of("day", day))), 201);
        }
        assertConforms(table, v);
        assertThat(KernelReader.read(location(table), null).partitionColumns()).containsExactly("day");
    }

    @Test
    void checkpointsNeverDeleteLogFilesEvenWithZeroLogRetention() throws IOException {
        String table = newTable(Map.of(
                "delta.logRetentionDuration", "interval 1 millisecond", "delta.enableExpiredLogCleanup", "true"));
        for (long v = 0; v < 11; v++) {
            ok(commit(table, v, add("r" + v + ".parquet", 1)), 201);
        }
        awaitPublished(table);
        awaitCheckpoint(table, 10);
        List<String> names = names(logDir(table));
        for (long v = 0; v <= 11; v++) {
            assertThat(names).contains(String.format("%020d.json", v));
        }
        assertThat(KernelReader.read(location(table), 0L).livePaths()).isEmpty();
    }

    private void assertConforms(String table, long latest) throws IOException {
        awaitPublished(table);
        awaitCheckpoint(table, 10);
        String location = location(table);
        Path log = StoragePaths.toPath(location).resolve("_delta_log");
        List<String> names = names(log);
        for (long v = 0; v <= latest; v++) {
            assertThat(names).contains(String.format("%020d.json", v));
        }
        assertThat(names).contains("00000000000000000010.checkpoint.parquet", "_last_checkpoint");
        assertThat(Files.readString(log.resolve("_last_checkpoint"))).contains("\"version\":10");

        // The published log as it is (JSON + checkpoint): every version, by time travel.
        for (long v = 0; v <= latest; v++) {
            assertSameAsPostgres(table, location, v);
        }
        assertThat(KernelReader.read(location, null).version()).isEqualTo(latest);

        // JSON commits only: what a reader sees if it ignores checkpoints.
        Path jsonOnly = copyLog(log, "json-only-" + latest, n -> n.endsWith(".json"));
        for (long v = 0; v <= latest; v++) {
            assertSameAsPostgres(table, StoragePaths.toFileUri(jsonOnly.toString()), v);
        }
        // Checkpoint without the commits before it: the checkpoint alone must carry the state.
        Path fromCheckpoint = copyLog(
                log,
                "checkpoint-" + latest,
                n -> n.startsWith("_last_checkpoint")
                        || n.endsWith(".checkpoint.parquet")
                        || (n.endsWith(".json") && Long.parseLong(n.substring(0, 20)) >= 10));
        for (long v = 10; v <= latest; v++) {
            assertSameAsPostgres(table, StoragePaths.toFileUri(fromCheckpoint.toString()), v);
        }
    }

    private void assertSameAsPostgres(String table, String location, long version) {
        KernelReader.View kernel = KernelReader.read(location, version);
        JsonNode snapshot = get("/api/v1/tables/" + table + "/snapshot?version=" + version);
        JsonNode metadata = snapshot.get("metadata");
        assertThat(kernel.version()).isEqualTo(version);
        assertThat(JSON.readTree(kernel.schemaJson()))
                .as("schema at %d", version)
                .isEqualTo(JSON.readTree(metadata.get("schemaString").asString()));
        assertThat(kernel.partitionColumns())
                .as("partition columns at %d", version)
                .containsExactlyElementsOf(metadata.get("partitionColumns")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList());
        assertThat(kernel.livePaths())
                .as("live files at %d", version)
                .isEqualTo(new HashSet<>(livePaths(table, version, 1000)));
    }

    private Path copyLog(Path log, String name, Predicate<String> keep) throws IOException {
        Path target = copies.resolve(name).resolve("_delta_log");
        Files.createDirectories(target);
        for (String n : names(log)) {
            if (keep.test(n)) {
                Files.copy(log.resolve(n), target.resolve(n));
            }
        }
        return target.getParent();
    }

    /** A metaData action: the table's current one, changed by {@code change}. */
    private String metaData(String table, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode metadata = (ObjectNode)
                get("/api/v1/tables/" + table + "/snapshot").get("metadata").deepCopy();
        change.accept(metadata);
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }

    private static void addColumn(ObjectNode metadata, String column) {
        ObjectNode schema =
                (ObjectNode) JSON.readTree(metadata.get("schemaString").asString());
        ObjectNode field = schema.withArray("fields").addObject();
        field.put("name", column);
        field.put("type", "string");
        field.put("nullable", true);
        field.putObject("metadata");
        metadata.put("schemaString", JSON.writeValueAsString(schema));
    }
}
