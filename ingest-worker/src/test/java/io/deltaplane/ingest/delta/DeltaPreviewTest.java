package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestKafka;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import io.deltaplane.testing.PlatformApps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta target's newest rows, as {@code GET /ingest/mappings/{name}/rows} reads them: the newest
 * live files of the table's current version (metadata-service's jar on the real Postgres, the
 * embedded broker, DuckDB reading the Parquet files), enough files to hold the rows asked for and
 * never more than 32.
 */
class DeltaPreviewTest {

    /**
     * Forty batches of ten good events: forty files, one per commit (fewer than the 50 small files
     * that make metadata-service's maintenance compact a table).
     */
    private static final int BATCHES = 40;

    private static final int BATCH_ROWS = 10;

    @TempDir
    Path dir;

    @Test
    void theNewestRowsComeFromTheNewestFilesAndAtMostThirtyTwoOfThem() throws Exception {
        PlatformApps apps = DeltaTestPlatform.get().apps;
        long events = (long) BATCHES * BATCH_ROWS;
        String topic = TestKafka.topic("delta-preview");
        String table = "lake.ingest.preview_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("preview", topic, table, List.of(), BATCH_ROWS, 20);
        MetadataClient metadata = DeltaTestSinks.metadata(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
        DeltaPreview preview = new DeltaPreview(metadata, DeltaTestSinks.JSON);
        assertThat(preview.newestRows(mapping, 5)).as("a table not created yet").isEmpty();

        TestKafka.produce(topic, 0, events, TestMappings::good);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("preview.duckdb").toString())) {
            IngestStats stats = new IngestStats(mapping.name(), new SimpleMeterRegistry(), Clock.systemUTC());
            KafkaClientSettings settings = new KafkaClientSettings(TestKafka.bootstrap(), Secrets.fromEnvironment());
            KafkaIngestRunner runner = new KafkaIngestRunner(
                    mapping,
                    () -> settings.consumer(mapping),
                    DeltaTestSinks.factory(
                            warehouse, mapping, apps.metadataUrl(), PlatformApps.ADMIN_KEY, dir.resolve("staging")),
                    stats);
            runner.start();
            DeltaExactlyOnceTest.awaitTotal(stats, events);
            runner.stop(Duration.ofSeconds(30));
            assertThat(DeltaExactlyOnceTest.parquetFiles(
                            metadata.table(table).orElseThrow().location()))
                    .as("one file per batch")
                    .hasSize(BATCHES);

            List<Long> five = ids(warehouse, preview.newestRows(mapping, 5).orElseThrow());
            assertThat(five)
                    .as("five rows fit in the newest file: it alone is read")
                    .hasSize(BATCH_ROWS);
            assertThat(five).as("the newest file holds the last batch").contains(events - 1);

            List<Long> all =
                    ids(warehouse, preview.newestRows(mapping, (int) events).orElseThrow());
            assertThat(all)
                    .as("32 files of ten rows, not the 40 the rows asked for would need")
                    .hasSize(32 * BATCH_ROWS)
                    .doesNotHaveDuplicates()
                    .contains(events - 1)
                    .doesNotContain(0L);
        }
    }

    private static List<Long> ids(Warehouse warehouse, String newestFiles) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = warehouse.connect();
                Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT id FROM " + newestFiles)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
