package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.publish.CheckpointRepository.CheckpointClaim;
import io.deltaplane.metadata.publish.PublishRepository.Published;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A table's {@code delta.checkpointInterval} decides its checkpoint versions (the tests' configured
 * interval is 10): set at create, changed or dropped by a later metaData action, refused when it is
 * not an interval.
 */
class TableCheckpointIntervalTest extends PublishTestBase {

    private static final String INTERVAL = "delta.checkpointInterval";

    @Test
    void aTableCheckpointsAtTheMultiplesOfItsOwnInterval() {
        String every5 = newTable(Map.of(INTERVAL, "5"));
        String plain = newTable();
        commitUpTo(every5, 7);
        commitUpTo(plain, 7);
        awaitCheckpoint(every5, 5);
        awaitPublished(plain);
        // published past 5: the table on the configured interval is not due (its flag is set by the
        // same progress marks that made the other table due)
        assertThat(publishStatus(plain).hasNonNull("last_checkpoint_version")).isFalse();
        assertThat(due(plain)).isFalse();

        commitUpTo(every5, 12);
        commitUpTo(plain, 12);
        awaitCheckpoint(every5, 10);
        awaitCheckpoint(plain, 10);
        assertThat(checkpoints(every5))
                .containsExactly("00000000000000000005.checkpoint.parquet", "00000000000000000010.checkpoint.parquet");
        assertThat(checkpoints(plain)).containsExactly("00000000000000000010.checkpoint.parquet");
    }

    @Test
    void aMetadataActionChangesTheIntervalFromItsVersionOn() {
        String table = newTable(Map.of(INTERVAL, "5"));
        commitUpTo(table, 5);
        awaitCheckpoint(table, 5);

        ok(commit(table, 5, metadata(table, "7")), 201); // version 6
        commitUpTo(table, 8);
        awaitCheckpoint(table, 7);
        commitUpTo(table, 14); // 10 is no longer a checkpoint version
        awaitCheckpoint(table, 14);

        ok(commit(table, 14, metadata(table, null)), 201); // version 15: the configured 10 again
        commitUpTo(table, 21);
        awaitCheckpoint(table, 20);
        assertThat(checkpoints(table))
                .containsExactly(
                        "00000000000000000005.checkpoint.parquet",
                        "00000000000000000007.checkpoint.parquet",
                        "00000000000000000014.checkpoint.parquet",
                        "00000000000000000020.checkpoint.parquet");
    }

    @Test
    void anIntervalThatIsNotAPositiveIntegerIsRefused() {
        for (String invalid : List.of("0", "-5", "abc", "5.0", " 5", "", "2147483648", "99999999999999999999999")) {
            String catalog = newCatalogWithSchemaS();
            var refused = http.post("/api/v1/tables", tableBody(catalog, Map.of(INTERVAL, invalid)));
            assertProblem(refused, 400, "INVALID_ACTION");
            assertThat(refused.body()).as(invalid).contains(INTERVAL);
            assertThat(http.get("/api/v1/tables/" + catalog + ".s.t").statusCode())
                    .isEqualTo(404);
        }
        String table = newTable(Map.of(INTERVAL, "2147483647"));
        var refused = commit(table, 0, metadata(table, "0"));
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(refused.body()).contains(INTERVAL);
        assertThat(version(table)).isZero();
        assertThat(interval(table)).isEqualTo(Integer.MAX_VALUE);
    }

    /** The statements that keep checkpoint_due and the claim use the row's own interval, if it has one. */
    @Test
    void theClaimAndTheDueFlagFollowTheRowsInterval() {
        UUID id = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO publish_state (table_id, full_name, location, checkpoint_interval,
                                                       publish_lease_token, checkpoint_next_attempt_at)
                            VALUES (:id, 'bulk.own', 'file:///own', 3, :token, now() - interval '1 day')
                            """).param("id", id).param("token", token).update();
            assertThat(repository.markPublished(token, List.of(new Published(id, 4))))
                    .containsExactly(id);
            assertThat(dueById(id)).as("published past 3 with an interval of 3").isTrue();
            Optional<CheckpointClaim> claim = checkpoints.claimCheckpoint(
                    properties.checkpointInterval(), properties.checkpointMinInterval(), properties.checkpointLease());
            assertThat(claim).map(CheckpointClaim::tableId).contains(id);
            assertThat(claim).map(CheckpointClaim::version).contains(3L);
            checkpoints.checkpointDone(id, 3);
            assertThat(dueById(id)).isFalse();
            jdbc.sql("UPDATE publish_state SET checkpoint_interval = NULL WHERE table_id = :id")
                    .param("id", id)
                    .update();
            checkpoints.resetCheckpoint(id, null);
            assertThat(dueById(id))
                    .as("4 published, the configured interval of 10")
                    .isFalse();
            status.setRollbackOnly();
        });
    }

    /** Commits single adds until the table is at {@code version}. */
    private void commitUpTo(String table, long version) {
        for (long v = version(table); v < version; v++) {
            ok(commit(table, v, add("f" + (v + 1) + ".parquet", 10)), 201);
        }
    }

    /** A metaData action that keeps the table's current metaData but sets (null: drops) the interval. */
    private String metadata(String table, String interval) {
        ObjectNode metadata = (ObjectNode)
                get("/api/v1/tables/" + table + "/snapshot").get("metadata").deepCopy();
        ObjectNode configuration = (ObjectNode) metadata.get("configuration");
        if (interval == null) {
            configuration.remove(INTERVAL);
        } else {
            configuration.put(INTERVAL, interval);
        }
        return JSON.writeValueAsString(Map.of("metaData", metadata));
    }

    private List<String> checkpoints(String table) {
        return names(logDir(table)).stream()
                .filter(name -> name.endsWith(".checkpoint.parquet"))
                .toList();
    }

    private UUID id(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }

    private boolean due(String table) {
        return dueById(id(table));
    }

    private boolean dueById(UUID id) {
        return jdbc.sql("SELECT checkpoint_due FROM publish_state WHERE table_id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    private Integer interval(String table) {
        return jdbc.sql("SELECT checkpoint_interval FROM publish_state WHERE table_id = :id")
                .param("id", id(table))
                .query(Integer.class)
                .single();
    }
}
