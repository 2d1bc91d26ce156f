package io.deltaplane.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mappings API: strict validation (nothing stored on a 4xx), CRUD, secrets by reference only. */
class MappingApiTest extends IngestSpringTest {

    static final String PATH = "/api/v1/ingest/mappings";

    @LocalServerPort
    int port;

    TestHttp http;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, ADMIN_KEY);
    }

    static String body(String name, String source, String extra) {
        return """
                {"name": "%s", "source": %s, "target": {"schema": "api", "table": "t_%s"}%s}""".formatted(name, source, name.replaceAll("[^A-Za-z0-9_]", "_"), extra);
    }

    static String kafka(String topic) {
        return "{\"type\": \"kafka\", \"topic\": \"" + topic + "\"}";
    }

    @Test
    void invalidBodiesAreRejectedAndNothingIsStored() {
        String[][] cases = {
            {body("v1", "{\"type\": \"pulsar\", \"topic\": \"t\"}", ""), "422", "source.type"},
            {body("v2", kafka("t"), ", \"batch\": {\"max_rows\": -5}"), "422", "batch.max_rows"},
            {body("v3", kafka("t"), ", \"batch\": {\"max_wait_ms\": 0}"), "422", "batch.max_wait_ms"},
            {body("v3b", kafka("t"), ", \"batch\": {\"max_bytes\": 10}"), "422", "batch.max_bytes"},
            {body("v4", kafka("bad topic!"), ""), "422", "source.topic"},
            {
                body("v5", kafka("t"), ", \"columns\": [{\"name\": \"a; DROP\", \"type\": \"INTEGER\"}]"),
                "422",
                "columns[0].name"
            },
            {
                body("v6", kafka("t"), ", \"columns\": [{\"name\": \"a\", \"type\": \"INTEGER); DROP TABLE x; --\"}]"),
                "422",
                "columns[0].type"
            },
            {
                body(
                        "v7",
                        kafka("t"),
                        ", \"columns\": [{\"name\": \"a\", \"type\": \"INTEGER\", \"path\": \"$.a'--\"}]"),
                "422",
                "columns[0].path"
            },
            {
                body(
                        "v8",
                        kafka("t"),
                        ", \"columns\": [{\"name\": \"a\", \"type\": \"INTEGER\"}, {\"name\": \"A\", \"type\": \"INTEGER\"}]"),
                "422",
                "duplicate"
            },
            {
                // 20,000 steps deep: refused by its length, not by overflowing the matcher's stack
                body(
                        "v7b",
                        kafka("t"),
                        ", \"columns\": [{\"name\": \"a\", \"type\": \"INTEGER\", \"path\": \"$" + ".a".repeat(20_000)
                                + "\"}]"),
                "422",
                "columns[0].path"
            },
            {
                body(
                        "v7c",
                        kafka("t"),
                        ", \"columns\": [{\"name\": \"a\", \"type\": \"INTEGER\", \"path\": \"$" + "[0]".repeat(65)
                                + "\"}]"),
                "422",
                "at most 64 steps"
            },
            {
                body(
                        "v7d",
                        "{\"type\": \"kafka\", \"topic\": \"t\", \"bootstrap_servers\": \"" + "b:9092,".repeat(20_000)
                                + "b:9092\"}",
                        ""),
                "422",
                "source.bootstrap_servers"
            },
            {body("v9", kafka("t"), ", \"max_rowz\": 5"), "422", "max_rowz"},
            {body("v10", kafka("t"), ", \"format\": \"avro\""), "422", "format"},
            {body("v11", "{\"type\": \"eventhubs\", \"event_hub\": \"h\"}", ""), "422", "connection_string_env"},
            {
                body(
                        "v12",
                        "{\"type\": \"kafka\", \"topic\": \"t\", \"sasl\": {\"mechanism\": \"GSSAPI\", \"username_env\": \"U\", \"password_env\": \"P\"}}",
                        ""),
                "422",
                "sasl.mechanism"
            },
            {
                body("v13", kafka("t"), "").replace("\"table\": \"t_v13\"", "\"table\": \"bad-name\""),
                "422",
                "target.table"
            },
            {
                body("v15", kafka("t"), "")
                        .replace("\"table\": \"t_v15\"", "\"table\": \"t\", \"partition_by\": [\"a\"]"),
                "422",
                "target.partition_by"
            },
            {body("../etc", kafka("t"), ""), "400", "INVALID_NAME"},
            {"{\"name\": \"v14\", \"source\": ", "400", "MALFORMED_JSON"},
            {"[1, 2]", "422", "JSON object"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = http.post(PATH, c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.body()).as(c[0]).contains(c[2]);
        }
        JsonNode list = json.readTree(http.get(PATH).body());
        for (JsonNode m : list.get("mappings")) {
            assertThat(m.get("name").asString()).doesNotStartWith("v");
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.deltaplane.ingest.sink.Warehouse warehouse;

    /**
     * The sink only adds missing columns to a target table: a mapping that would change the type of
     * one it has, or write raw payloads to a typed table, would fail every batch. It is refused when
     * made (422, nothing stored), and a mapping that fits the table is taken.
     */
    @Test
    void aMappingThatCannotWriteToItsExistingTableIsRefusedWhenMade() throws Exception {
        try (var connection = warehouse.connect();
                var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS fits");
            statement.execute("CREATE OR REPLACE TABLE fits.orders (_partition INTEGER NOT NULL, _offset BIGINT NOT"
                    + " NULL, _enqueued_at TIMESTAMPTZ, _ingested_at TIMESTAMPTZ NOT NULL, amount INTEGER,"
                    + " placed_at TIMESTAMPTZ, price DECIMAL(10,2))");
            connection.commit();
        }
        String onto = "{\"name\": \"%s\", \"source\": " + kafka("fits") + ", \"enabled\": false,"
                + " \"target\": {\"schema\": \"fits\", \"table\": \"orders\"}%s}";

        HttpResponse<String> changed = http.post(
                PATH, onto.formatted("retyped", ", \"columns\": [{\"name\": \"amount\", \"type\": \"VARCHAR\"}]"));
        assertThat(changed.statusCode()).isEqualTo(422);
        JsonNode problem = json.readTree(changed.body());
        assertThat(problem.get("error_code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("columns[0].type");
        assertThat(problem.at("/errors/0/message").asString()).contains("amount as INTEGER");
        assertThat(http.get(PATH + "/retyped").statusCode())
                .as("nothing stored")
                .isEqualTo(404);

        HttpResponse<String> raw = http.post(PATH, onto.formatted("raw_onto_typed", ""));
        assertThat(raw.statusCode()).isEqualTo(422);
        assertThat(raw.body()).contains("no payload column");

        // the same types (TIMESTAMPTZ is TIMESTAMP WITH TIME ZONE to DuckDB) and a new column: taken
        String fitting = ", \"columns\": [{\"name\": \"amount\", \"type\": \"INTEGER\"},"
                + " {\"name\": \"placed_at\", \"type\": \"TIMESTAMPTZ\"}, {\"name\": \"price\", \"type\":"
                + " \"DECIMAL(10,2)\"}, {\"name\": \"note\", \"type\": \"VARCHAR\"}]";
        assertThat(http.post(PATH, onto.formatted("fits_orders", fitting)).statusCode())
                .isEqualTo(201);
        // and a replace that would change a type is refused as well, the stored mapping unchanged
        HttpResponse<String> replaced = http.put(
                PATH + "/fits_orders", onto.formatted("fits_orders", fitting.replace("DECIMAL(10,2)", "DOUBLE")));
        assertThat(replaced.statusCode()).isEqualTo(422);
        assertThat(replaced.body()).contains("price as DECIMAL(10,2)");
        assertThat(json.readTree(http.get(PATH + "/fits_orders").body())
                        .get("version")
                        .asLong())
                .isEqualTo(1);
        assertThat(http.delete(PATH + "/fits_orders").statusCode()).isEqualTo(204);
    }

    @Test
    void createReadReplaceDelete() {
        // partition_by: [] is what the generated Java client (and so the CLI) sends for a DuckDB target
        HttpResponse<String> created = http.post(
                PATH,
                body(
                                "crud",
                                kafka("crud-topic"),
                                ", \"columns\": [{\"name\": \"a\", \"type\": \"DECIMAL(10,2)\"}], \"enabled\": false")
                        .replace("\"table\": \"t_crud\"", "\"table\": \"t_crud\", \"partition_by\": []"));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode m = json.readTree(created.body());
        assertThat(m.get("version").asLong()).isEqualTo(1);
        assertThat(m.get("source").get("consumer_group").asString()).isEqualTo("deltaplane-ingest-crud");
        assertThat(m.get("batch").get("max_rows").asInt()).isEqualTo(10_000);
        assertThat(m.get("enabled").asBoolean()).isFalse();

        assertThat(http.post(PATH, body("crud", kafka("crud-topic"), "")).statusCode())
                .isEqualTo(409);

        HttpResponse<String> replaced = http.put(
                PATH + "/crud",
                body("crud", kafka("other"), ", \"enabled\": false").replace("\"name\": \"crud\", ", ""));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json.readTree(replaced.body()).get("version").asLong()).isEqualTo(2);
        assertThat(json.readTree(replaced.body()).get("source").get("topic").asString())
                .isEqualTo("other");

        assertThat(http.put(PATH + "/crud", body("renamed", kafka("t"), "")).statusCode())
                .isEqualTo(422);
        assertThat(http.put(PATH + "/crud", body("crud", kafka("t"), ", \"batch\": {\"max_rows\": 0}"))
                        .statusCode())
                .isEqualTo(422);
        assertThat(json.readTree(http.get(PATH + "/crud").body()).get("version").asLong())
                .isEqualTo(2);

        assertThat(http.put(PATH + "/missing", body("missing", kafka("t"), "")).statusCode())
                .isEqualTo(404);
        assertThat(http.delete(PATH + "/crud").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = http.get(PATH + "/crud");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("MAPPING_NOT_FOUND");
        assertThat(http.delete(PATH + "/crud").statusCode()).isEqualTo(404);
    }

    @Test
    void secretsAreReferencedByNameAndNeverStoredOrReturned() {
        String source = "{\"type\": \"kafka\", \"topic\": \"sasl-topic\", \"bootstrap_servers\": \"localhost:9092\","
                + " \"security_protocol\": \"SASL_SSL\","
                + " \"sasl\": {\"mechanism\": \"PLAIN\", \"username_env\": \"DELTAPLANE_SECRET_TEST_UNSET_USER\","
                + " \"password_env\": \"DELTAPLANE_SECRET_TEST_UNSET_PASSWORD\"}}";
        HttpResponse<String> created = http.post(PATH, body("sasl", source, ""));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode sasl = json.readTree(created.body()).get("source").get("sasl");
        assertThat(sasl.get("username_env").asString()).isEqualTo("DELTAPLANE_SECRET_TEST_UNSET_USER");
        assertThat(sasl.properties())
                .extracting(e -> e.getKey())
                .containsExactlyInAnyOrder("mechanism", "username_env", "password_env");
        // The variable is not set in this JVM: the worker says which one, and validate reports it.
        HttpResponse<String> report = http.post("/api/v1/ingest/validate", "");
        assertThat(report.statusCode()).isEqualTo(200);
        JsonNode entry = null;
        for (JsonNode r : json.readTree(report.body()).get("mappings")) {
            if (r.get("name").asString().equals("sasl")) {
                entry = r;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("source").get("ok").asBoolean()).isFalse();
        assertThat(entry.get("source").get("detail").asString())
                .contains("DELTAPLANE_SECRET_TEST_UNSET_USER is not set");
        assertThat(entry.get("sink").get("ok").asBoolean()).isTrue();
        assertThat(http.delete(PATH + "/sasl").statusCode()).isEqualTo(204);
    }

    @Test
    void readKeyCannotChangeMappings() {
        HttpResponse<String> anonymous = http.withKey(null).post(PATH, body("anon", kafka("t"), ""));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(http.get(PATH + "/anon").statusCode()).isEqualTo(404);
    }
}
