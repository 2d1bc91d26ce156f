package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Column lineage and dataset namespaces from the RunEvents a Spark job emits through the
 * OpenLineage integration (src/test/resources/openlineage: START, RUNNING, COMPLETE with
 * columnLineage and facets this service does not know).
 */
@LineageServiceTest
class ColumnLineageTest {

    private static final String ORDERS = "/warehouse/demo/sales/orders";
    private static final String REVENUE = "/warehouse/demo/sales/daily_revenue";

    @LocalServerPort
    int port;

    private TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    @Test
    void sparkEventsAreAcceptedUnchangedWithTheirUnknownFacetsKept() throws Exception {
        List<String> events = sparkEvents(UUID.randomUUID());
        for (String event : events) {
            body(http.post("/api/v1/lineage", event), 201);
        }
        String runId = runIdOf(events.get(0));
        JsonNode run = body(http.get("/api/v1/runs/" + runId), 200);
        assertThat(run.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(run.get("inputs")).hasSize(2);
        assertThat(run.get("outputs")).hasSize(1);
        // the run facets became the run's metadata, unknown ones (spark.logicalPlan) included
        assertThat(run.get("metadata").has("spark.logicalPlan")).isTrue();
        assertThat(run.get("metadata").get("processing_engine").get("version").asString())
                .isEqualTo("3.5.3");
        // every event is kept as sent: the vendor facet survives
        assertThat(OpenLineageTest.count(
                        "SELECT count(*) FROM lineage.openlineage_events WHERE run_id = CAST(? AS uuid)"
                                + " AND payload->'outputs'->0->'facets'->'spark_unknown_vendor_facet' IS NOT NULL",
                        runId))
                .isEqualTo(2);
    }

    @Test
    void upstreamOfAnAggregateIsTheInputFieldWithItsTransformation() throws Exception {
        for (String event : sparkEvents(UUID.randomUUID())) {
            body(http.post("/api/v1/lineage", event), 201);
        }
        JsonNode up = body(http.get("/api/v1/lineage/columns?dataset=" + REVENUE + "&field=revenue"), 200);
        assertThat(up.get("direction").asString()).isEqualTo("upstream");
        JsonNode edges = up.get("edges");
        assertThat(edges).hasSize(1);
        assertThat(edges.get(0).get("from").get("dataset").asString()).isEqualTo(ORDERS);
        assertThat(edges.get(0).get("from").get("namespace").asString()).isEqualTo("file");
        assertThat(edges.get(0).get("from").get("field").asString()).isEqualTo("amount");
        assertThat(edges.get(0).get("to").get("field").asString()).isEqualTo("revenue");
        assertThat(edges.get(0).get("transformation_type").asString()).isEqualTo("DIRECT");
        assertThat(edges.get(0).get("transformation_subtype").asString()).isEqualTo("AGGREGATION");
        assertThat(edges.get(0).get("description").asString()).isEqualTo("sum(amount)");

        JsonNode down =
                body(http.get("/api/v1/lineage/columns?dataset=" + ORDERS + "&field=amount&direction=downstream"), 200);
        assertThat(down.get("edges")).hasSize(1);
        assertThat(down.get("edges").get(0).get("to").get("dataset").asString()).isEqualTo(REVENUE);
    }

    @Test
    void columnLineageFollowsFieldsAcrossJobsToTheDepthAsked() throws Exception {
        String ns = "pg://" + UUID.randomUUID().toString().substring(0, 8);
        // raw.a -> staged.b -> mart.c, each hop a job of its own (the 1-0 facet shape: field-level type)
        post(ns, "stage", "raw", "a", "staged", "b");
        post(ns, "mart", "staged", "b", "mart", "c");

        JsonNode two = body(http.get("/api/v1/lineage/columns?dataset=" + ns + "::mart&field=c"), 200);
        assertThat(two.get("edges")).hasSize(2);
        assertThat(fields(two)).contains(ns + "/raw.a", ns + "/staged.b", ns + "/mart.c");
        JsonNode one = body(http.get("/api/v1/lineage/columns?dataset=" + ns + "::mart&field=c&depth=1"), 200);
        assertThat(one.get("edges")).hasSize(1);
        assertThat(one.get("edges").get(0).get("from").get("field").asString()).isEqualTo("b");
        assertThat(one.get("edges").get(0).get("transformation_type").asString())
                .isEqualTo("IDENTITY");
    }

    @Test
    void theSameNameInTwoNamespacesIsTwoDatasets() throws Exception {
        String name = "orders_" + UUID.randomUUID().toString().substring(0, 8);
        post("postgres://crm:5432", "crm_copy", name, "id", name + "_copy", "id");
        post("s3://lake", "lake_copy", name, "id", name + "_lake", "id");

        JsonNode crm = body(http.get("/api/v1/lineage?node=table:postgres://crm:5432::" + name + "&depth=2"), 200);
        JsonNode lake = body(http.get("/api/v1/lineage?node=table:s3://lake::" + name + "&depth=2"), 200);
        assertThat(names(crm)).contains("job:crm_copy").doesNotContain("job:lake_copy");
        assertThat(names(lake)).contains("job:lake_copy").doesNotContain("job:crm_copy");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.tracked_tables WHERE name = ?", name))
                .isEqualTo(2);
        // a name alone still finds a dataset (the oldest of that name)
        assertThat(names(body(http.get("/api/v1/lineage?node=table:" + name + "&depth=2"), 200)))
                .contains("job:crm_copy");
    }

    @Test
    void badColumnQueriesAreProblemsAndAMalformedFacetStoresNothing() throws Exception {
        problem(
                http.get("/api/v1/lineage/columns?dataset=nope_" + UUID.randomUUID() + "&field=x"),
                404,
                "TABLE_NOT_FOUND");
        problem(http.get("/api/v1/lineage/columns?dataset=x&field=y&direction=sideways"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/lineage/columns?dataset=x&field=y&depth=0"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/lineage/columns?dataset=x"), 400, "BAD_REQUEST");

        long before = OpenLineageTest.count("SELECT count(*) FROM lineage.column_lineage", null);
        long events = OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null);
        String bad = event(
                UUID.randomUUID(),
                "COMPLETE",
                "ns",
                "bad_job",
                "in",
                "out",
                "{\"out\": {\"inputFields\": [{\"namespace\": \"ns\", \"name\": \"in\", \"field\": 42}]}}");
        problem(http.post("/api/v1/lineage", bad), 400, "INVALID_OPENLINEAGE_EVENT");
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.column_lineage", null))
                .isEqualTo(before);
        assertThat(OpenLineageTest.count("SELECT count(*) FROM lineage.openlineage_events", null))
                .isEqualTo(events);
    }

    private void post(String ns, String job, String in, String inField, String out, String outField) throws Exception {
        String facet = "{\"" + outField + "\": {\"inputFields\": [{\"namespace\": \"" + ns + "\", \"name\": \"" + in
                + "\", \"field\": \"" + inField + "\"}], \"transformationType\": \"IDENTITY\"}}";
        body(http.post("/api/v1/lineage", event(UUID.randomUUID(), "COMPLETE", ns, job, in, out, facet)), 201);
    }

    private static String event(UUID run, String type, String ns, String job, String in, String out, String fields) {
        return "{\"eventType\": \"" + type + "\", \"eventTime\": \"2026-11-20T06:00:00Z\", \"producer\": \"test\","
                + " \"run\": {\"runId\": \"" + run + "\"}, \"job\": {\"namespace\": \"" + ns + "\", \"name\": \"" + job
                + "\"}, \"inputs\": [{\"namespace\": \"" + ns + "\", \"name\": \"" + in + "\"}],"
                + " \"outputs\": [{\"namespace\": \"" + ns + "\", \"name\": \"" + out
                + "\", \"facets\": {\"columnLineage\": {\"fields\": " + fields + "}}}]}";
    }

    private static List<String> fields(JsonNode answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : answer.get("fields")) {
            out.add(f.get("namespace").asString() + "/" + f.get("dataset").asString() + "."
                    + f.get("field").asString());
        }
        return out;
    }

    private static List<String> names(JsonNode graph) {
        List<String> out = new ArrayList<>();
        graph.get("nodes").forEach(n -> out.add(n.get("id").asString()));
        return out;
    }

    /** The recorded events with a fresh run id (and parent), so each test has its own run. */
    private static List<String> sparkEvents(UUID runId) throws IOException {
        try (InputStream in = ColumnLineageTest.class.getResourceAsStream("/openlineage/spark-daily-revenue.jsonl")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("0193a7c2-5b1e-7c3d-9f2a-3d4e5f6a7b8c", runId.toString());
            return text.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static String runIdOf(String event) {
        int at = event.indexOf("\"runId\":\"") + 9;
        return event.substring(at, event.indexOf('"', at));
    }
}
