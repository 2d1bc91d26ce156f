package io.deltaplane.metadata.datafile;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.metadata.publish.KernelReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A client without storage credentials puts a Parquet file it wrote into a table on the local disk,
 * S3 or Azure and commits it; Delta Kernel reads the rows. Files are never replaced, and only data
 * paths inside the table are taken.
 */
class DataFileUploadTest extends MaintenanceTestBase {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3", "azure"})
    void anUploadedFileIsCommittedAndReadOnEveryStorage(String storage) throws Exception {
        Lake lake = lake(storage);
        Path file = parquet(0, 25);
        String path = "day=2026-11-01/part-00000-upload.parquet";

        HttpResponse<String> put = upload(lake.table(), path, Files.readAllBytes(file));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode uploaded = JSON.readTree(put.body());
        assertThat(uploaded.get("path").asString()).isEqualTo(path);
        assertThat(uploaded.get("size").asLong()).isEqualTo(Files.size(file));
        assertThat(lake.storage().exists(lake.storage().resolve(lake.location(), path)))
                .isTrue();

        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", Map.of("day", "2026-11-01"));
        add.put("size", Files.size(file));
        add.put("modificationTime", System.currentTimeMillis());
        add.put("dataChange", true);
        ok(commit(lake.table(), 0, JSON.writeValueAsString(Map.of("add", add))), 201);
        awaitPublished(lake.table(), 1);
        assertThat(TableRows.read(lake.location(), 1, lake.engine()))
                .hasSize(25)
                .allMatch(row -> row.contains("|2026-11-01|"));
    }

    @Test
    void aFileIsNeverReplacedAndARepeatedUploadIsTheFirst() throws Exception {
        Lake lake = lake("local");
        byte[] bytes = Files.readAllBytes(parquet(0, 5));
        assertThat(upload(lake.table(), "day=d/a.parquet", bytes).statusCode()).isEqualTo(201);
        HttpResponse<String> again = upload(lake.table(), "day=d/a.parquet", bytes);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("created").asBoolean()).isFalse();
        byte[] other = Files.readAllBytes(parquet(100, 5));
        assertProblem(upload(lake.table(), "day=d/a.parquet", other), 409, "ALREADY_EXISTS");
        assertThat(lake.storage().read(lake.storage().resolve(lake.location(), "day=d/a.parquet")))
                .hasValue(bytes);
    }

    @Test
    void onlyDataPathsInsideTheTableAreTaken() throws Exception {
        Lake lake = lake("local");
        byte[] bytes = {1, 2, 3};
        for (String path :
                new String[] {"_delta_log/00000000000000000001.json", "day=d/.hidden.parquet", "_tmp/x.parquet"}) {
            assertProblem(upload(lake.table(), path, bytes), 400, "VALIDATION_FAILED");
        }
        // ways out of the location: refused where the request enters, or by the path check
        for (String path : new String[] {"a%2F..%2F..%2Fx", "a/%2E%2E/%2E%2E/x", "day=d/100%25.parquet"}) {
            assertThat(upload(lake.table(), path, bytes).statusCode()).as(path).isEqualTo(400);
        }
        assertThat(upload(lake.table(), "../escape.parquet", bytes).statusCode())
                .isIn(400, 404);
        assertThat(lake.storage().filesUnder(lake.location()))
                .allMatch(f -> f.name().startsWith("_delta_log/"));
        assertProblem(upload("nope.s.t", "a.parquet", bytes), 404, "TABLE_NOT_FOUND");
        assertThat(KernelReader.read(lake.location(), null).livePaths()).isEmpty();
    }

    private Path parquet(long firstId, int rows) throws Exception {
        Path folder = Files.createTempDirectory(dir, "w");
        DataFileStatus written =
                TableRows.write(KernelReader.ENGINE, folder.toUri().toString(), firstId, rows);
        return Path.of(
                URI.create(written.getPath().replace("file:/", "file:///").replace("file:////", "file:///")));
    }

    private HttpResponse<String> upload(String table, String path, byte[] bytes) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/tables/" + table + "/data/" + path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
