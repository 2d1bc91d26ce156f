package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one scenario list of the REST surface ({@code scenarios.json}), run step by step through a
 * client ({@link Driver}): the Java client and the CLI here, the Python SDK in its own suite
 * ({@code tests/test_scenarios.py}) from the same file. A step names an operation, its arguments and
 * what must come back; the checks are the same whatever the client.
 */
final class Scenarios {

    static final String RESOURCE = "/scenarios.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Scenarios() {}

    /** One scenario: a name and its steps, {@code {p}} already replaced by a prefix of its own. */
    record Scenario(String name, List<JsonNode> steps) {}

    /** What a step answered: a value (object, names, count) or the kind of error the client raised. */
    record Answer(JsonNode value, String error) {
        static Answer of(JsonNode value) {
            return new Answer(value, null);
        }

        static Answer failed(String kind) {
            return new Answer(null, kind);
        }
    }

    /** A client that performs the steps' operations. */
    interface Driver {
        Answer perform(String operation, JsonNode step) throws Exception;
    }

    /** The file on disk, for the Python suite. */
    static Path file() {
        try {
            return Path.of(Scenarios.class.getResource(RESOURCE).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every scenario, with {@code {p}} replaced by {@code prefix} and the scenario's number, so a
     * scenario that fails half-way leaves nothing in the next one's way.
     */
    static List<Scenario> load(String prefix) throws IOException {
        String text;
        try (InputStream in = Scenarios.class.getResourceAsStream(RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (JsonNode raw : JSON.readTree(text).path("scenarios")) {
            JsonNode scenario = JSON.readTree(raw.toString().replace("{p}", prefix + scenarios.size()));
            List<JsonNode> steps = new ArrayList<>();
            scenario.path("steps").forEach(steps::add);
            scenarios.add(new Scenario(scenario.path("name").asString(), steps));
        }
        return scenarios;
    }

    /** Runs every step of {@code scenario} through {@code driver}; how many steps ran. */
    static int run(Scenario scenario, Driver driver) throws Exception {
        int ran = 0;
        for (JsonNode step : scenario.steps()) {
            String operation = step.path("do").asString();
            Answer answer = driver.perform(operation, step);
            String where = "step " + (ran + 1) + " of '" + scenario.name() + "': " + step;
            if (step.has("expect_error")) {
                assertThat(answer.error())
                        .as(where)
                        .isEqualTo(step.get("expect_error").asString());
            } else {
                assertThat(answer.error()).as("%s failed", where).isNull();
                check(step, answer.value(), where);
            }
            ran++;
        }
        return ran;
    }

    private static void check(JsonNode step, JsonNode value, String where) {
        if (step.has("expect")) {
            for (Map.Entry<String, JsonNode> field : step.get("expect").properties()) {
                assertThat(value.path(field.getKey()).asString())
                        .as("%s: %s in %s", where, field.getKey(), value)
                        .isEqualTo(field.getValue().asString());
            }
        }
        if (step.has("expect_names") || step.has("expect_operations")) {
            JsonNode expected = step.has("expect_names") ? step.get("expect_names") : step.get("expect_operations");
            List<String> want = new ArrayList<>();
            expected.forEach(n -> want.add(n.asString()));
            List<String> got = new ArrayList<>();
            value.forEach(n -> got.add(n.asString()));
            if (step.has("expect_names")) {
                assertThat(got).as(where).containsExactlyInAnyOrderElementsOf(want);
            } else {
                assertThat(got).as(where).containsExactlyElementsOf(want);
            }
        }
        if (step.has("expect_count")) {
            assertThat(value.asLong())
                    .as(where)
                    .isEqualTo(step.get("expect_count").asLong());
        }
    }
}
