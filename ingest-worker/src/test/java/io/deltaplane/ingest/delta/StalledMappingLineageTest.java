package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.lineage.IngestRuns;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.testing.PlatformApps;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A mapping's consumer that stalls is seen by the real lineage-service: the worker reports its
 * run's progress (a RUNNING event with the progress facet) when it turns stalled, lagging (5
 * minutes or more behind) or caught up, and lineage's job health of {@code ingest:<mapping>}
 * follows — STALLED, LAGGING, then HEALTHY. What makes a consumer stalled is {@code IngestStatsTest}'s; here the consumer's progress
 * is set by the test.
 */
class StalledMappingLineageTest {

    static PlatformApps apps;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPlatform() throws Exception {
        apps = DeltaTestPlatform.get().apps;
    }

    @Test
    void lineageJudgesAMappingStalledOrLaggingWhileItsConsumerSaysSoAndHealthyWhenCaughtUp() throws Exception {
        String mapping = "stall-" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec spec = TestMappings.kafka(mapping, "orders", "orders", 1_000, 100);
        AtomicReference<IngestRuns.Progress> progress = new AtomicReference<>(new IngestRuns.Progress(false, 0.0));
        try (Warehouse warehouse = Warehouse.open(dir.resolve("stall.duckdb").toString())) {
            IngestRuns lineage = DeltaTestPlatform.get().ingestRuns(warehouse, "localhost:9092");
            IngestRuns.IngestRun run = lineage.start(spec, progress::get);
            try {
                String job = "ingest:" + mapping;
                assertThat(awaitStatus(job, "HEALTHY")
                                .get("last_run")
                                .get("run_id")
                                .asString())
                        .isEqualTo(run.runId());

                progress.set(new IngestRuns.Progress(true, 420.0));
                JsonNode stalled = awaitStatus(job, "STALLED");
                assertThat(stalled.get("reason").asString())
                        .contains(run.runId())
                        .contains("7m behind");

                // consuming again, 15 minutes behind: lagging
                progress.set(new IngestRuns.Progress(false, 900.0));
                assertThat(awaitStatus(job, "LAGGING").get("reason").asString()).contains("15m behind");

                progress.set(new IngestRuns.Progress(false, 0.0));
                awaitStatus(job, "HEALTHY");
            } finally {
                lineage.finish(run, true);
                lineage.stop();
            }
        }
    }

    /** Lineage's health of {@code job}, once it is {@code status} (the worker reports within seconds). */
    private static JsonNode awaitStatus(String job, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode health = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(apps.lineageUrl() + "/api/v1/jobs/"
                                            + URLEncoder.encode(job, StandardCharsets.UTF_8) + "/health"))
                                    .header("Authorization", "Bearer " + PlatformApps.ADMIN_KEY)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                health = DeltaTestSinks.JSON.readTree(response.body());
                if (status.equals(health.get("status").asString())) {
                    return health;
                }
            }
            Thread.sleep(200);
        }
        assertThat(health).as("lineage's health of " + job).isNotNull();
        assertThat(health.get("status").asString()).as(health.toString()).isEqualTo(status);
        return health;
    }
}
