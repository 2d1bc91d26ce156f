package io.deltaplane.metadata.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A view defined through Unity Catalog's API reaches lineage as a run of job {@code view:<view>}
 * that reads each table it depends on and writes the view: lineage's graph gets an edge from each
 * dependency to the view. A refused definition never does. Lineage is a {@link FakeLineageService}
 * here (another application); the relay is driven round by round.
 */
class ViewLineageRelayTest extends MetadataTestBase {

    private static final String SERVICE_KEY = "test-service-key-view-lineage";
    private static FakeLineageService lineage;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    Clock clock;

    private ViewLineageRelay relay;

    @BeforeAll
    static void startLineage() throws Exception {
        lineage = new FakeLineageService();
    }

    @AfterAll
    static void stopLineage() {
        lineage.close();
    }

    @BeforeEach
    void relayToTheFake() {
        lineage.reset();
        jdbc.sql("DELETE FROM view_lineage_outbox").update(); // other tests' views: not this test's round
        LineageRelayProperties properties = lineage.relayProperties(SERVICE_KEY);
        relay = new ViewLineageRelay(jdbc, new LineageCalls(properties), properties, json, clock);
    }

    @Test
    void aViewReachesLineageAsARunReadingItsTablesAndWritingTheView() {
        String orders = newTable();
        String catalog = orders.substring(0, orders.indexOf('.'));
        String customers = catalog + ".s.customers";
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(catalog, java.util.Map.of()).replace("\"name\":\"t\"", "\"name\":\"customers\"")),
                201);
        String view = catalog + ".s.big_orders";

        ok(http.post(UC + "/tables", view(catalog, "big_orders", List.of(orders, customers))), 200);
        assertThat(relay.relayDue()).isEqualTo(1);

        List<JsonNode> events = eventsOf(view);
        assertThat(events).extracting(e -> e.get("eventType").asString()).containsExactly("START", "COMPLETE");
        JsonNode start = events.get(0);
        assertThat(start.at("/job/namespace").asString()).isEqualTo("deltaplane");
        assertThat(start.at("/run/runId").asString())
                .isEqualTo(events.get(1).at("/run/runId").asString());
        assertThat(start.get("inputs").findValuesAsString("name")).containsExactlyInAnyOrder(orders, customers);
        assertThat(start.get("inputs").findValuesAsString("namespace")).containsOnly("default");
        assertThat(start.get("outputs").findValuesAsString("name")).containsExactly(view);
        assertThat(lineage.received().get(0).authorization()).isEqualTo("Bearer " + SERVICE_KEY);
        assertThat(waiting()).as("a delivered definition leaves the outbox").isZero();
    }

    @Test
    void aRefusedViewNeverReachesLineage() {
        String orders = newTable();
        String catalog = orders.substring(0, orders.indexOf('.'));
        // a dependency that does not exist: UC's 404, and nothing to relay
        HttpResponse<String> refused =
                http.post(UC + "/tables", view(catalog, "ghost_view", List.of(catalog + ".s.no_such_table")));
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(waiting()).isZero();
        // the positive control: the same view over a table that exists is relayed
        ok(http.post(UC + "/tables", view(catalog, "ghost_view", List.of(orders))), 200);
        assertThat(waiting()).isEqualTo(1);
        assertThat(relay.relayDue()).isEqualTo(1);
        assertThat(eventsOf(catalog + ".s.ghost_view")).hasSize(2);
    }

    private static final String UC = "/api/2.1/unity-catalog";

    private static String view(String catalog, String name, List<String> reads) {
        StringBuilder dependencies = new StringBuilder();
        for (String table : reads) {
            if (!dependencies.isEmpty()) {
                dependencies.append(',');
            }
            dependencies
                    .append("{\"table\":{\"table_full_name\":\"")
                    .append(table)
                    .append("\"}}");
        }
        return "{\"name\":\"" + name + "\",\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\","
                + "\"table_type\":\"VIEW\",\"view_definition\":\"SELECT id FROM " + reads.get(0) + "\","
                + "\"columns\":[{\"name\":\"id\",\"type_name\":\"LONG\",\"type_text\":\"bigint\",\"position\":0,"
                + "\"nullable\":true,\"type_json\":\"{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
                + "\\\"nullable\\\":true,\\\"metadata\\\":{}}\"}],"
                + "\"view_dependencies\":{\"dependencies\":[" + dependencies + "]}}";
    }

    private List<JsonNode> eventsOf(String view) {
        return lineage.received().stream()
                .filter(r -> r.path().equals(FakeLineageService.OPENLINEAGE_PATH))
                .map(FakeLineageService.Received::body)
                .filter(e -> e.at("/job/name").asString().equals(ViewDefinition.JOB_PREFIX + view))
                .toList();
    }

    private long waiting() {
        return jdbc.sql("SELECT count(*) FROM view_lineage_outbox")
                .query(Long.class)
                .single();
    }
}
