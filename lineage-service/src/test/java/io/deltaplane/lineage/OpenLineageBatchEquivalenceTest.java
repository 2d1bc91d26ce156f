package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.openlineage.OpenLineageBatchWriter;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The batch endpoint is a faster way to say the same thing: one event set sent event by event and the
 * same set (under other names) sent as one batch leave the same jobs, runs, events, edges, snapshots
 * and column lineage, row for row once names and run ids are mapped back.
 */
@LineageServiceTest
class OpenLineageBatchEquivalenceTest {

    @LocalServerPort
    int port;

    private TestHttp http;

    @Autowired
    OpenLineageBatchWriter writer;

    @Autowired
    PlatformTransactionManager transactions;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    // Everything the events leave behind, by name (node ids differ between the two copies), without
    // the instants the server's clock chose (received_at, created_at, read_at).
    private static final List<String> STATE = List.of(
            "SELECT name, namespace FROM lineage.jobs WHERE name LIKE ? ORDER BY 1, 2",
            "SELECT j.name, r.id::text, r.state, r.started_at, r.ended_at, r.nominal_time, r.metadata::text,"
                    + " r.completion::text, r.source FROM lineage.runs r JOIN lineage.jobs j ON j.id = r.job_id"
                    + " WHERE j.name LIKE ? ORDER BY 1, 2",
            "SELECT run_id::text, event_type, event_time, job_namespace, job_name, payload::text"
                    + " FROM lineage.openlineage_events WHERE job_name LIKE ? ORDER BY id",
            "SELECT coalesce(sj.name, st.namespace || '::' || st.name), coalesce(dj.name, dt.namespace || '::' ||"
                    + " dt.name) AS d FROM lineage.edges e LEFT JOIN lineage.jobs sj ON sj.id = e.src"
                    + " LEFT JOIN lineage.tracked_tables st ON st.id = e.src LEFT JOIN lineage.jobs dj ON dj.id = e.dst"
                    + " LEFT JOIN lineage.tracked_tables dt ON dt.id = e.dst"
                    + " WHERE coalesce(sj.name, dj.name) LIKE ? ORDER BY 1, 2",
            "SELECT t.namespace, t.name, s.uri, s.format, s.schema::text, s.version, s.run_id::text, s.source"
                    + " FROM lineage.snapshots s JOIN lineage.tracked_tables t ON t.id = s.table_id"
                    + " JOIN lineage.runs r ON r.id = s.run_id JOIN lineage.jobs j ON j.id = r.job_id"
                    + " WHERE j.name LIKE ? ORDER BY 2, 3, 6",
            "SELECT i.run_id::text, t.name, i.snapshot_id IS NULL FROM lineage.run_inputs i JOIN lineage.tracked_tables t"
                    + " ON t.id = i.table_id JOIN lineage.runs r ON r.id = i.run_id JOIN lineage.jobs j"
                    + " ON j.id = r.job_id WHERE j.name LIKE ? ORDER BY 1, 2",
            "SELECT c.run_id::text, o.name, c.output_field, i.name, c.input_field, c.transformation_type,"
                    + " c.transformation_subtype, c.description FROM lineage.column_lineage c"
                    + " JOIN lineage.tracked_tables o ON o.id = c.output_table_id"
                    + " JOIN lineage.tracked_tables i ON i.id = c.input_table_id JOIN lineage.runs r ON r.id = c.run_id"
                    + " JOIN lineage.jobs j ON j.id = r.job_id WHERE j.name LIKE ? ORDER BY 1, 2, 3, 4, 5");

    @Test
    void oneByOneAndAsABatchLeaveTheSameState() throws Exception {
        UUID seqRun = UUID.randomUUID();
        UUID batchRun = UUID.randomUUID();
        List<String> seq = events("seq", seqRun);
        List<String> batch = events("bat", batchRun);

        for (String event : seq) {
            body(http.post("/api/v1/lineage", event), 201);
        }
        assertThat(body(http.post("/api/v1/lineage/batch", "[" + String.join(",", batch) + "]"), 200)
                        .get("accepted")
                        .asInt())
                .isEqualTo(batch.size());

        for (String query : STATE) {
            List<String> bySeq = rows(query, "seq_%", "seq", seqRun);
            List<String> byBatch = rows(query, "bat_%", "bat", batchRun);
            assertThat(bySeq).as(query).isNotEmpty();
            assertThat(byBatch).as(query).isEqualTo(bySeq);
        }
    }

    /** The recorded Spark event set under its own job and dataset names and run id. */
    private static List<String> events(String prefix, UUID runId) throws Exception {
        try (InputStream in =
                OpenLineageBatchEquivalenceTest.class.getResourceAsStream("/openlineage/spark-daily-revenue.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("0193a7c2-5b1e-7c3d-9f2a-3d4e5f6a7b8c", runId.toString())
                    .replace("\"name\":\"daily_revenue", "\"name\":\"" + prefix + "_daily_revenue")
                    .replace("/warehouse/demo/", "/warehouse/" + prefix + "/")
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    /** The rows of one query, each as text with this copy's names and run id mapped to neutral ones. */
    private static List<String> rows(String sql, String like, String prefix, UUID runId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(rs.getString(i)).append(" | ");
                    }
                    rows.add(row.toString()
                            .replace(runId.toString(), "RUN")
                            .replace(prefix + "_daily_revenue", "X_daily_revenue")
                            .replace("/warehouse/" + prefix + "/", "/warehouse/X/"));
                }
            }
        }
        if (!sql.endsWith("ORDER BY id")) {
            // ordered by names, which the mapping changes: order again by the mapped ones
            rows.sort(null);
        }
        return rows;
    }

    // Which snapshot each read recorded: the writer run and version of it (the STATE above only says
    // whether there was one).
    private static final String READ_SNAPSHOTS = "SELECT i.run_id::text, t.namespace, t.name, s.run_id::text, s.version"
            + " FROM lineage.run_inputs i JOIN lineage.tracked_tables t ON t.id = i.table_id"
            + " JOIN lineage.runs r ON r.id = i.run_id JOIN lineage.jobs j ON j.id = r.job_id"
            + " LEFT JOIN lineage.snapshots s ON s.id = i.snapshot_id WHERE j.name LIKE ? ORDER BY 1, 2, 3";

    /**
     * What only a batch has: events of one run before and after its end (a repeated COMPLETE, an
     * OTHER naming datasets, which adds none), a read of a table an earlier event of the batch wrote
     * (and of one a version already stands for), a run the database already had, a run's second
     * write of a table. The set-based writer applies it all
     * itself (no fallback) and leaves what the events sent one by one leave.
     */
    @Test
    void aBatchThatDependsOnItsOwnEarlierEventsIsAppliedSetBasedAsOneByOne() throws Exception {
        Scenario seq = new Scenario("sq");
        Scenario bat = new Scenario("bt");
        for (Scenario copy : List.of(seq, bat)) {
            // Known before the batch: a version of one table, and a run started alone.
            body(
                    http.post(
                            "/api/v1/tables/" + copy.prefix + "_ver/snapshots",
                            "{\"uri\":\"file:/v\",\"format\":\"delta\",\"version\":3}"),
                    201);
            body(http.post("/api/v1/lineage", copy.event("START", "D", "job3", "[]", "[]")), 201);
        }
        List<String> states = new ArrayList<>();
        for (String event : seq.events()) {
            states.add(
                    body(http.post("/api/v1/lineage", event), 201).get("state").asString());
        }

        List<JsonNode> batch = bat.events().stream().map(Json.MAPPER::readTree).toList();
        var applied = new TransactionTemplate(transactions).execute(status -> writer.apply(batch));

        assertThat(applied.stream().map(a -> a.state().name()).toList()).isEqualTo(states);
        List<String> queries = new ArrayList<>(STATE);
        queries.add(READ_SNAPSHOTS);
        for (String query : queries) {
            List<String> bySeq = seq.rows(query);
            assertThat(bySeq).as(query).isNotEmpty();
            assertThat(bat.rows(query)).as(query).isEqualTo(bySeq);
        }
    }

    /**
     * An outcome that conflicts with the run's recorded one, or news for an ended run, is the 409 it
     * gets alone; the rest lands.
     */
    @Test
    void anEventOnlyTheOneByOnePathCanAnswerFallsBackAndIsRejectedAsAlone() throws Exception {
        Scenario seq = new Scenario("sc");
        Scenario bat = new Scenario("bc");
        List<String> seqStatus = new ArrayList<>();
        for (String event : seq.conflicting()) {
            var response = http.post("/api/v1/lineage", event);
            seqStatus.add(response.statusCode() == 201 ? "ACCEPTED" : "REJECTED " + response.statusCode());
        }
        assertThat(seqStatus).containsExactly("ACCEPTED", "ACCEPTED", "REJECTED 409", "REJECTED 409");
        List<JsonNode> batch =
                bat.conflicting().stream().map(Json.MAPPER::readTree).toList();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TransactionTemplate(transactions).execute(status -> writer.apply(batch)))
                .isInstanceOf(RuntimeException.class);

        JsonNode answer =
                body(http.post("/api/v1/lineage/batch", "[" + String.join(",", bat.conflicting()) + "]"), 200);

        assertThat(answer.get("rejected").asInt()).isEqualTo(2);
        assertThat(answer.get("results").get(2).get("error_code").asString()).isEqualTo("RUN_ALREADY_COMPLETED");
        assertThat(answer.get("results").get(3).get("error_code").asString()).isEqualTo("RUN_NOT_RUNNING");
        for (String query : STATE) {
            assertThat(bat.rows(query)).as(query).isEqualTo(seq.rows(query));
        }
    }

    /** One copy of the scenario: its own name prefix and run ids. */
    private static final class Scenario {
        final String prefix;
        final Map<String, UUID> runs = new LinkedHashMap<>();

        Scenario(String prefix) {
            this.prefix = prefix;
            for (String run : List.of("A", "B", "C", "D", "E")) {
                runs.put(run, UUID.randomUUID());
            }
        }

        String ds(String name) {
            return "{\"namespace\":\"s3://eq\",\"name\":\"" + prefix + "_" + name + "\"}";
        }

        String versioned() {
            return "{\"namespace\":\"default\",\"name\":\"" + prefix + "_ver\"}";
        }

        String event(String type, String run, String job, String inputs, String outputs) {
            return "{\"eventType\":\"" + type + "\",\"eventTime\":\"2026-11-22T10:00:0" + (type.length() % 10)
                    + "Z\",\"producer\":\"eq\",\"run\":{\"runId\":\"" + runs.get(run)
                    + "\",\"facets\":{\"nominalTime\":{\"nominalStartTime\":\"2026-11-22T10:00:00Z\"}}},"
                    + "\"job\":{\"namespace\":\"eq\",\"name\":\"" + prefix + "_" + job + "\"},"
                    + "\"inputs\":" + inputs + ",\"outputs\":" + outputs + "}";
        }

        String withColumns(String output) {
            return output.substring(0, output.length() - 1)
                    + ",\"facets\":{\"columnLineage\":{\"fields\":{\"total\":{\"inputFields\":["
                    + "{\"namespace\":\"s3://eq\",\"name\":\"" + prefix + "_src\",\"field\":\"amount\","
                    + "\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"AGGREGATION\"}]}]}}},"
                    + "\"schema\":{\"fields\":[{\"name\":\"total\",\"type\":\"double\"}]}}}";
        }

        List<String> events() {
            return List.of(
                    event("START", "A", "job1", "[" + ds("src") + "]", "[" + ds("mid") + "," + versioned() + "]"),
                    event("START", "B", "job2", "[" + ds("mid") + "]", "[]"),
                    event("RUNNING", "A", "job1", "[]", "[" + withColumns(ds("mid")) + "]"),
                    event("COMPLETE", "A", "job1", "[]", "[]"),
                    event("OTHER", "A", "job1", "[" + ds("late") + "]", "[" + ds("late") + "]"),
                    event("COMPLETE", "A", "job1", "[]", "[]"),
                    event("START", "C", "job1", "[" + ds("mid") + "]", "[" + ds("mid") + "]"),
                    event("RUNNING", "B", "job2", "[" + ds("mid") + "," + versioned() + "]", "[" + ds("out") + "]"),
                    event("FAIL", "B", "job2", "[]", "[]"),
                    event("ABORT", "C", "job1", "[]", "[]"),
                    event("COMPLETE", "D", "job3", "[" + ds("out") + "]", "[" + ds("mid") + "]"),
                    event("OTHER", "E", "job4", "[" + ds("src") + "]", "[]"));
        }

        List<String> conflicting() {
            return List.of(
                    event("START", "E", "job5", "[" + ds("src") + "]", "[]"),
                    event("COMPLETE", "E", "job5", "[]", "[" + ds("out") + "]"),
                    event("FAIL", "E", "job5", "[]", "[]"),
                    event("RUNNING", "E", "job5", "[" + ds("late") + "]", "[]"));
        }

        List<String> rows(String sql) throws Exception {
            List<String> rows = new ArrayList<>();
            try (Connection c = TestDatabase.get().connect();
                    PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, prefix + "\\_%");
                try (ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append(" | ");
                        }
                        String text = row.toString().replace(prefix + "_", "X_");
                        for (Map.Entry<String, UUID> run : runs.entrySet()) {
                            text = text.replace(run.getValue().toString(), "RUN_" + run.getKey());
                        }
                        rows.add(text);
                    }
                }
            }
            if (!sql.endsWith("ORDER BY id")) {
                rows.sort(null);
            }
            return rows;
        }
    }
}
