package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.Storages;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A Delta target whose table lives on S3 ({@link DeltaTestPlatform}'s S3Proxy, a real S3 protocol server): the
 * worker puts each batch's Parquet file in the bucket and metadata-service publishes the table's
 * {@code _delta_log} there, both configured only by the AWS variables an operator would set.
 */
class DeltaOnObjectStorageTest {

    static DeltaTestPlatform platform;
    static S3Client client;
    static TestHttp http;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        platform = DeltaTestPlatform.get();
        client = platform.s3;
        http = new TestHttp(platform.apps.metadataUrl(), PlatformApps.ADMIN_KEY);
    }

    @Test
    void batchesLandInTheBucketAsDataFilesAndAPublishedLog() throws Exception {
        String name = "s3_" + UUID.randomUUID().toString().substring(0, 8);
        String table = "lake.ingest." + name;
        String location = DeltaTestPlatform.S3_ROOT + "/" + name;
        MappingSpec mapping = TestMappings.kafkaToDelta("s3", "s3-topic", table, List.of(), 1_000, 100);
        // The table on S3 with the mapping's shape (a table the worker creates lives in the warehouse).
        ok(http.post(
                "/api/v1/tables",
                "{\"catalog_name\":\"lake\",\"schema_name\":\"ingest\",\"name\":\"" + name + "\",\"location\":\""
                        + location + "\",\"schema\":" + DeltaColumns.schema(DeltaColumns.of(mapping)) + "}"));

        long good = 0;
        try (Warehouse warehouse = Warehouse.open(dir.resolve("s3.duckdb").toString())) {
            SinkFactory sinks = DeltaTestSinks.factory(
                    warehouse,
                    mapping,
                    platform.apps.metadataUrl(),
                    PlatformApps.ADMIN_KEY,
                    dir.resolve("staging"),
                    CommitObserver.NONE,
                    Storages.fromEnvironment(platform.aws));
            try (Sink sink = sinks.open()) {
                for (int b = 0; b < 3; b++) {
                    SinkBatch batch = new SinkBatch(100);
                    for (long o = b * 100L; o < (b + 1) * 100L; o++) {
                        batch.add(0, o, 1_767_225_600_000L, TestMappings.event(o));
                        good += TestMappings.isBad(o) ? 0 : 1;
                    }
                    sink.write(batch, sink.positions());
                }
                assertThat(sink.positions()).containsEntry(0, 300L);
            }
        }

        MetadataClient metadata = DeltaTestSinks.metadata(platform.apps.metadataUrl(), PlatformApps.ADMIN_KEY);
        assertThat(metadata.snapshot(table).version()).isEqualTo(3);
        List<String> files = new ArrayList<>();
        metadata.files(table, 3, f -> files.add(f.path("path").asString()));
        assertThat(files).hasSize(3);

        // Every file the table references is in the bucket, nothing else is (beside the platform's own
        // hidden folders: the log and the Iceberg metadata it makes), and they hold the good rows.
        List<String> dataObjects = keys("streams/" + name + "/").stream()
                .filter(k -> !k.contains("/_delta_log/") && !k.contains("/_iceberg/"))
                .toList();
        assertThat(dataObjects)
                .containsExactlyInAnyOrderElementsOf(
                        files.stream().map(f -> "streams/" + name + "/" + f).toList());
        long rows = 0;
        for (String key : dataObjects) {
            Path local = dir.resolve(UUID.randomUUID() + ".parquet");
            client.getObject(b -> b.bucket("lake").key(key), local);
            rows += parquetRows(local);
        }
        assertThat(rows).isEqualTo(good);

        // metadata-service publishes the versions to the bucket's _delta_log.
        String last = "streams/" + name + "/_delta_log/00000000000000000003.json";
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!keys("streams/" + name + "/_delta_log/").contains(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(keys("streams/" + name + "/_delta_log/")).contains(last);
    }

    private static List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket("lake").prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static long parquetRows(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
            rs.next();
            return rs.getLong(1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }
}
