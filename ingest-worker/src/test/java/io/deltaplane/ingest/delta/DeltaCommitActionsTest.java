package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.sink.SinkBatch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The Delta actions of one ingest batch, as the log will hold them. */
class DeltaCommitActionsTest {

    // The worker's own naming is snake_case (its REST API); the log's stays Delta's camelCase.
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aBatchIsCommitInfoThenATxnPerPartitionThenAnAddPerFile() {
        SinkBatch batch = new SinkBatch(4);
        batch.add(1, 40, 0, new byte[] {1});
        batch.add(0, 7, 0, new byte[] {1});
        batch.add(1, 41, 0, new byte[] {1});
        DataFile file = new DataFile(
                Path.of("/tmp/staged.parquet"),
                "day=2026-11-26/part-0 50%.parquet",
                Map.of("day", "2026-11-26"),
                1234,
                3,
                "{\"numRecords\":3}");

        List<JsonNode> actions = new DeltaCommitActions(
                        JSON, "orders", "orders-topic", new IngestTxn("orders", "orders-topic"), () -> "run-1")
                .actions(batch, List.of(file), NOW);

        assertThat(actions)
                .map(JsonNode::toString)
                .containsExactly(
                        "{\"commitInfo\":{\"operation\":\"STREAMING UPDATE\",\"operationParameters\":{\"outputMode\":"
                                + "\"Append\",\"queryId\":\"orders\"},\"engineInfo\":\"Deltaplane ingest-worker\","
                                + "\"isBlindAppend\":true,\"deltaplaneRunId\":\"run-1\",\"deltaplane.ingest\":{"
                                + "\"mapping\":\"orders\",\"stream\":\"orders-topic\",\"offsets\":{\"0\":{\"from\":7,"
                                + "\"until\":8},\"1\":{\"from\":40,\"until\":42}}}}}",
                        "{\"txn\":{\"appId\":\"deltaplane-ingest:orders:orders-topic:0\",\"version\":8,"
                                + "\"lastUpdated\":1795694400000}}",
                        "{\"txn\":{\"appId\":\"deltaplane-ingest:orders:orders-topic:1\",\"version\":42,"
                                + "\"lastUpdated\":1795694400000}}",
                        "{\"add\":{\"path\":\"day=2026-11-26/part-0 50%25.parquet\",\"partitionValues\":{\"day\":"
                                + "\"2026-11-26\"},\"size\":1234,\"modificationTime\":1795694400000,\"dataChange\":true,"
                                + "\"stats\":\"{\\\"numRecords\\\":3}\"}}");
    }

    @Test
    void withoutALineageRunTheCommitInfoNamesNone() {
        SinkBatch batch = new SinkBatch(1);
        batch.add(0, 0, 0, new byte[] {1});

        JsonNode commitInfo = new DeltaCommitActions(
                        JSON, "orders", "orders-topic", new IngestTxn("orders", "orders-topic"), CommitObserver.NONE)
                .actions(batch, List.of(), NOW)
                .get(0)
                .get("commitInfo");

        assertThat(commitInfo.has("deltaplaneRunId")).isFalse();
        assertThat(commitInfo.get("isBlindAppend").asBoolean()).isTrue();
    }

    @Test
    void aFenceIsACommitInfoAndThePendingPartitionsTxnsAgainUnchanged() {
        Map<Integer, Long> positions = new java.util.HashMap<>();
        positions.put(3, 120L);
        positions.put(0, IngestTxn.NONE);
        List<JsonNode> actions = new DeltaCommitActions(
                        JSON, "orders", "orders-topic", new IngestTxn("orders", "orders-topic"), () -> "run-1")
                .fence(positions, NOW);

        assertThat(actions)
                .map(JsonNode::toString)
                .containsExactly(
                        "{\"commitInfo\":{\"operation\":\"STREAMING UPDATE\",\"operationParameters\":{"
                                + "\"outputMode\":\"Append\",\"queryId\":\"orders\"},\"engineInfo\":"
                                + "\"Deltaplane ingest-worker\",\"isBlindAppend\":true}}",
                        "{\"txn\":{\"appId\":\"deltaplane-ingest:orders:orders-topic:0\",\"version\":-1,"
                                + "\"lastUpdated\":1795694400000}}",
                        "{\"txn\":{\"appId\":\"deltaplane-ingest:orders:orders-topic:3\",\"version\":120,"
                                + "\"lastUpdated\":1795694400000}}");
    }

    @Test
    void aPartitionWhoseTxnIsNoneHasNoPosition() {
        IngestTxn txn = new IngestTxn("orders", "orders-topic");
        assertThat(txn.positions(Map.of(txn.appId(0), IngestTxn.NONE, txn.appId(1), 42L)))
                .containsExactly(Map.entry(1, 42L));
    }
}
