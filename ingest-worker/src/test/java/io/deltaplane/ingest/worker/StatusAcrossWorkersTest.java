package io.deltaplane.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.sink.SinkTotals.Counts;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.MappingStatus;
import io.deltaplane.ingest.status.StatusBoard;
import io.deltaplane.ingest.status.WorkerStatuses;
import io.deltaplane.testing.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mapping's status is every worker's, whichever worker a request reaches: this worker consumes a
 * topic while two others report on the shared board in Postgres as their processes would ({@link
 * StatusBoard#report}, the call a worker's {@link StatusReporter} makes) — one live and failing, one
 * gone. The status adds up all three's totals, shows the failure, each partition once and each
 * worker; an API-only replica (no consumer of its own) answers the same from the board alone; a late
 * report never lowers a total; a deleted mapping's reports are forgotten.
 */
class StatusAcrossWorkersTest extends IngestSpringTest {

    static final String PATH = "/api/v1/ingest/mappings";

    @LocalServerPort
    int port;

    @Autowired
    StatusBoard board;

    @Autowired
    StatusReporter reporter;

    TestHttp http;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, ADMIN_KEY);
    }

    @Test
    void theStatusAddsUpEveryWorkersReportWhicheverWorkerAnswers() throws Exception {
        String topic = TestKafka.topic("across");
        TestKafka.produce(topic, 0, 400, TestMappings::good);
        assertThat(http.post(PATH, IngestFlowTest.mapping("across", topic, "across", IngestFlowTest.COLUMNS, ""))
                        .statusCode())
                .isEqualTo(201);
        IngestFlowTest.await(() -> status("across").path("rows_ingested").asLong() == 400);
        assertThat(status("across").path("workers")).hasSize(1);

        // worker-b: live, failing, and claiming partition 2 from before a rebalance (no lag: not its consumer)
        board.report(
                "worker-b",
                Map.of(
                        "across",
                        new StatusBoard.Report(
                                status(
                                        IngestState.RETRYING,
                                        "b: broker unreachable",
                                        new MappingStatus.PartitionStatus(2, 10L, null, null)),
                                new Counts(30, 2, 3),
                                Map.of())),
                Duration.ofMinutes(1));
        // worker-c: its report no longer holds (it died); what it wrote still counts
        board.report(
                "worker-c",
                Map.of(
                        "across",
                        new StatusBoard.Report(status(IngestState.RUNNING, null), new Counts(20, 1, 2), Map.of())),
                Duration.ZERO);

        JsonNode all = status("across");
        assertThat(all.path("rows_ingested").asLong()).isEqualTo(400 + 30 + 20);
        assertThat(all.path("rows_dead_lettered").asLong()).isEqualTo(2 + 1);
        assertThat(all.path("state").asString()).as("a failure anywhere shows").isEqualTo("RETRYING");
        assertThat(all.path("last_error").asString()).isEqualTo("b: broker unreachable");
        List<Integer> partitions = new ArrayList<>();
        all.path("partitions").forEach(p -> partitions.add(p.path("partition").asInt()));
        assertThat(partitions).containsExactly(0, 1, 2, 3);
        assertThat(all.path("partitions").get(2).path("sink_offset").asLong())
                .as("partition 2 from its consumer, not from b's stale word")
                .isEqualTo(100);
        Map<String, Boolean> live = new java.util.TreeMap<>();
        all.path("workers")
                .forEach(w ->
                        live.put(w.path("worker").asString(), w.path("live").asBoolean()));
        assertThat(live)
                .containsEntry("worker-b", true)
                .containsEntry("worker-c", false)
                .hasSize(3);
        assertThat(live).containsEntry(reporter.worker(), true);

        // an API-only replica (or any other worker) answers from the board alone, once this worker has reported
        reporter.report();
        MappingStatus fromBoard =
                WorkerStatuses.aggregate("across", board.reports("across")).orElseThrow();
        assertThat(fromBoard.rowsIngested()).isEqualTo(450);
        assertThat(fromBoard.state()).isEqualTo(IngestState.RETRYING);
        assertThat(fromBoard.partitions()).hasSize(4);

        // a late report (b's, from before its last) never lowers what b wrote
        board.report(
                "worker-b",
                Map.of(
                        "across",
                        new StatusBoard.Report(status(IngestState.RUNNING, null), new Counts(10, 0, 1), Map.of())),
                Duration.ofMinutes(1));
        assertThat(status("across").path("rows_ingested").asLong()).isEqualTo(450);
        assertThat(status("across").path("state").asString()).isEqualTo("RUNNING");

        assertThat(http.delete(PATH + "/across").statusCode()).isEqualTo(204);
        reporter.report();
        assertThat(board.reports("across")).as("a deleted mapping's reports").isEmpty();
    }

    @Test
    void aWriterKnownOnlyFromTheWarehouseIsCountedNotShownAsAWorkerThatRuns() throws Exception {
        String topic = TestKafka.topic("only-read");
        String disabled =
                IngestFlowTest.mapping("only-read", topic, "only_read", IngestFlowTest.COLUMNS, ", \"enabled\": false");
        assertThat(http.post(PATH, disabled).statusCode()).isEqualTo(201);
        // worker-d, gone, had read worker-e's totals from the warehouse: e never reported itself
        board.report(
                "worker-d",
                Map.of(
                        "only-read",
                        new StatusBoard.Report(
                                status(IngestState.RUNNING, null),
                                new Counts(5, 0, 1),
                                Map.of("worker-e", new Counts(7, 1, 2)))),
                Duration.ZERO);

        JsonNode status = status("only-read");
        assertThat(status.path("state").asString()).isEqualTo("DISABLED");
        assertThat(status.path("rows_ingested").asLong()).isEqualTo(12);
        assertThat(status.path("rows_dead_lettered").asLong()).isEqualTo(1);
        assertThat(status.path("batches").asLong()).isEqualTo(3);
        JsonNode e = null;
        for (JsonNode w : status.path("workers")) {
            if (w.path("worker").asString().equals("worker-e")) {
                e = w;
            }
        }
        assertThat(e).as("worker-e listed").isNotNull();
        assertThat(e.path("live").asBoolean()).isFalse();
        assertThat(e.has("state"))
                .as("a writer known only from the warehouse has no state")
                .isFalse();
        assertThat(e.path("rows_ingested").asLong()).isEqualTo(7);
        assertThat(http.delete(PATH + "/only-read").statusCode()).isEqualTo(204);
    }

    private static MappingStatus status(IngestState state, String error, MappingStatus.PartitionStatus... partitions) {
        return new MappingStatus(
                "across",
                state,
                false,
                List.of(partitions),
                null,
                0,
                0,
                0,
                Instant.parse("2026-01-01T00:00:00Z"),
                1.0,
                error,
                null,
                null,
                false,
                null,
                null);
    }

    private JsonNode status(String name) {
        var response = http.get(PATH + "/" + name + "/status");
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
