package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET …/publish, POST …/publish/reconcile, the conflict alarm and the Prometheus gauges. */
class PublishApiTest extends PublishTestBase {

    @Test
    void statusReportsVersionsLagAndCheckpointAndTheTableShowsIt() {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1)), 201);
        JsonNode status = awaitPublished(table);
        assertThat(status.get("table_version").asLong()).isEqualTo(1);
        assertThat(status.get("published_version").asLong()).isEqualTo(1);
        assertThat(status.get("lag_versions").asLong()).isZero();
        assertThat(status.get("lag_seconds").asDouble()).isZero();
        assertThat(status.has("last_checkpoint_version")).isTrue();
        assertThat(status.get("last_checkpoint_version").isNull()).isTrue();
        assertThat(status.get("last_error").isNull()).isTrue();

        JsonNode publish = get("/api/v1/tables/" + table).get("publish");
        assertThat(publish.get("published_version").asLong()).isEqualTo(1);
        assertThat(publish.get("lag_versions").asLong()).isZero();

        // the store's round trip per commit file: what bounds one table's publishing rate
        assertThat(prometheus())
                .containsPattern("deltaplane_publish_put_seconds_count\\S* [1-9]")
                .containsPattern("deltaplane_publish_put_seconds\\{[^}]*quantile=\"0.99\"");

        assertProblem(http.get("/api/v1/tables/nope.nope.nope/publish"), 404, "TABLE_NOT_FOUND");
        assertProblem(http.post("/api/v1/tables/nope.nope.nope/publish/reconcile", "{}"), 404, "TABLE_NOT_FOUND");
    }

    @Test
    void reconcileRewritesAMissingFileAndFlagsAForeignOneWithoutTouchingIt() throws Exception {
        String table = newTable();
        for (long v = 0; v < 3; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", 1)), 201);
        }
        awaitPublished(table);
        Path log = logDir(table);
        Path v2 = log.resolve("00000000000000000002.json");
        String original = Files.readString(v2);
        Files.delete(v2);

        JsonNode report = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(report.get("repaired_versions").valueStream().map(JsonNode::asLong))
                .containsExactly(2L);
        assertThat(report.get("mismatched_versions").isEmpty()).isTrue();
        assertThat(Files.readString(v2)).isEqualTo(original);

        Path v1 = log.resolve("00000000000000000001.json");
        Files.writeString(v1, "{\"commitInfo\":{\"operation\":\"tampered\"}}\n");
        report = ok(http.post("/api/v1/tables/" + table + "/publish/reconcile", ""), 200);
        assertThat(report.get("mismatched_versions").valueStream().map(JsonNode::asLong))
                .containsExactly(1L);
        assertThat(report.get("last_error").asString()).contains("CONFLICT");
        assertThat(Files.readString(v1)).contains("tampered"); // never overwritten
        assertThat(publishStatus(table).get("last_error").asString()).contains("CONFLICT");
    }

    @Test
    void aForeignFileAtTheNextVersionStopsPublishingLoudlyUntilItIsRemoved() throws Exception {
        String table = newTable();
        awaitPublished(table);
        Path foreign = logDir(table).resolve("00000000000000000001.json");
        Files.writeString(foreign, "{\"commitInfo\":{\"operation\":\"someone else\"}}\n");

        ok(commit(table, 0, add("a.parquet", 1)), 201);
        JsonNode stuck = await(table, s -> !s.get("last_error").isNull());
        assertThat(stuck.get("last_error").asString()).contains("CONFLICT");
        assertThat(stuck.get("lag_versions").asLong()).isEqualTo(1);
        assertThat(Files.readString(foreign)).contains("someone else");
        assertThat(prometheus()).containsPattern("deltaplane_publish_conflicts_total\\S* [1-9]");

        Files.delete(foreign); // an operator resolves it; the retry (with backoff) publishes
        JsonNode status = awaitPublished(table);
        assertThat(status.get("last_error").isNull()).isTrue();
        assertThat(Files.readString(foreign)).contains("a.parquet");
    }

    @Test
    void lagGaugesExistOnlyForLaggingTables() throws Exception {
        String caughtUp = newTable();
        awaitPublished(caughtUp);
        String stuck = newTable();
        awaitPublished(stuck);
        Path foreign = logDir(stuck).resolve("00000000000000000001.json");
        Files.writeString(foreign, "{\"commitInfo\":{\"operation\":\"someone else\"}}\n");
        ok(commit(stuck, 0, add("a.parquet", 1)), 201);
        try {
            String lagging = "deltaplane_publish_lag_versions\\{[^}]*table=\"" + stuck + "\"} 1";
            String lagAge = "deltaplane_publish_lag_seconds\\{[^}]*table=\"" + stuck + "\"}";
            // Both gauges: a scrape between the refresh of one and of the other sees only the first.
            String metricsText = await(
                    () -> prometheus(),
                    text -> java.util.regex.Pattern.compile(lagging)
                                    .matcher(text)
                                    .find()
                            && java.util.regex.Pattern.compile(lagAge)
                                    .matcher(text)
                                    .find());
            assertThat(metricsText).containsPattern(lagging);
            assertThat(metricsText).containsPattern(lagAge);
            // a table with nothing to publish has no series: their number follows the lagging tables
            assertThat(metricsText)
                    .doesNotContainPattern("deltaplane_publish_lag_\\w+\\{[^}]*table=\"" + caughtUp + "\"");
        } finally {
            Files.delete(foreign);
            awaitPublished(stuck);
        }
    }

    private String prometheus() {
        return http.get("/actuator/prometheus").body();
    }

    private static String await(java.util.function.Supplier<String> read, java.util.function.Predicate<String> done) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            sleep(100);
            value = read.get();
        }
        return value;
    }
}
