package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Log cleanup: versions older than {@code delta.logRetentionDuration} before a checkpoint that old
 * leave {@code _delta_log}; Delta Kernel still reads the table from that checkpoint on, the
 * reconciler does not write them back, and Postgres still answers for every version.
 */
class LogCleanupTest extends PublishTestBase {

    @Autowired
    LogCleanup cleanup;

    @Test
    void versionsBeforeTheNewestExpiredCheckpointLeaveTheLog() {
        String table =
                newTable(Map.of("delta.checkpointInterval", "5", "delta.logRetentionDuration", "interval 0 seconds"));
        commitUpTo(table, 12);
        awaitCheckpoint(table, 10);
        awaitPublished(table, 12);

        long before = names(logDir(table)).stream()
                .filter(n -> n.matches("0000000000000000000\\d\\..*"))
                .count();

        LogCleanup.Result result = cleanup.clean(id(table)).orElseThrow();

        assertThat(result.logStartVersion()).isEqualTo(10);
        assertThat((long) result.filesDeleted())
                .as("0…9.json and the checkpoint at 5 if the checkpointer wrote one")
                .isEqualTo(before)
                .isGreaterThanOrEqualTo(10);
        assertThat(names(logDir(table)))
                .filteredOn(n -> n.matches("\\d{20}\\..*"))
                .containsExactlyInAnyOrder(
                        "00000000000000000010.checkpoint.parquet",
                        "00000000000000000010.json",
                        "00000000000000000011.json",
                        "00000000000000000012.json");
        assertThat(KernelReader.read(location(table), null).livePaths()).hasSize(12);
        assertThat(KernelReader.read(location(table), 10L).livePaths()).hasSize(10);
        // the reconciler leaves the cleaned versions out; Postgres still has them
        JsonNode reconciled = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(reconciled.get("repaired_versions")).isEmpty();
        assertThat(names(logDir(table))).doesNotContain("00000000000000000003.json");
        assertThat(get("/api/v1/tables/" + table + "/snapshot?version=3")
                        .get("num_files")
                        .asLong())
                .isEqualTo(3);
        assertThat(get("/api/v1/tables/" + table + "/maintenance")
                        .get("log_start_version")
                        .asLong())
                .isEqualTo(10);
    }

    @Test
    void withinTheRetentionOrWithCleanupOffNothingLeaves() {
        String kept = newTable(Map.of("delta.checkpointInterval", "5"));
        String off = newTable(Map.of(
                "delta.checkpointInterval",
                "5",
                "delta.logRetentionDuration",
                "interval 0 seconds",
                "delta.enableExpiredLogCleanup",
                "false"));
        for (String table : new String[] {kept, off}) {
            commitUpTo(table, 6);
            awaitCheckpoint(table, 5);
            assertThat(cleanup.clean(id(table)).orElseThrow().filesDeleted()).isZero();
            assertThat(names(logDir(table))).contains("00000000000000000000.json");
        }
    }

    private void commitUpTo(String table, long version) {
        for (long v = version(table); v < version; v++) {
            ok(commit(table, v, add("f" + (v + 1) + ".parquet", 10)), 201);
        }
    }

    private UUID id(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }
}
