package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkpoint of a large table (a program, not a test): a table with {@code bench.files}
 * (1,000,000) live files — inserted with SQL, the shape commits leave behind — checkpointed from
 * Postgres by {@link DeltaLogCheckpointWriter}; prints the time, the file's size and the peak heap
 * used, then Delta Kernel's count of live files from that checkpoint. Target: ≤ 10 s; run it with
 * a small heap to show memory does not grow with the table. {@code bench.storage} ({@code local},
 * {@code s3} — S3Proxy in this JVM — or {@code azurite}) puts the warehouse on that store; Kernel
 * then reads the checkpoint back through the platform's storage layer.
 *
 * <pre>MAVEN_OPTS=-Xmx256m ./mvnw -q -o -pl metadata-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.deltaplane.metadata.bench.CheckpointBenchmark -Dexec.cleanupDaemonThreads=false</pre>
 */
public final class CheckpointBenchmark {

    private static final String KEY = "bench-admin-key-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // One million adds shaped like the API's (path, partitionValues, size, modificationTime,
    // dataChange, stats), plus the commit row that the tombstone query joins.
    private static final String FILL = """
            INSERT INTO files (table_id, path, added_version, size, action)
            SELECT :id, 'part-' || i || '-' || md5(i::text) || '.parquet', 1, 1048576 + i,
                   json_build_object('path', 'part-' || i || '-' || md5(i::text) || '.parquet',
                       'partitionValues', json_build_object(), 'size', 1048576 + i,
                       'modificationTime', 1700000000000, 'dataChange', true,
                       'stats', '{"numRecords":' || (1000 + i % 100) || ',"minValues":{"id":' || i
                                || '},"maxValues":{"id":' || (i + 999) || '},"nullCount":{"id":0}}')::text
            FROM generate_series(1, :files) AS i
            """;

    private CheckpointBenchmark() {}

    public static void main(String[] args) throws Exception {
        int files = Integer.getInteger("bench.files", 1_000_000);
        try (BenchStore store = BenchStore.start(System.getProperty("bench.storage", "local"))) {
            run(files, store);
        }
    }

    private static void run(int files, BenchStore store) throws Exception {
        TestDatabase db = TestDatabase.get();
        ConfigurableApplicationContext app =
                store.startMetadataService(db, KEY, List.of("--deltaplane.publish.checkpoints=false"));
        try {
            int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            TestHttp http = TestHttp.local(port, KEY);
            check(http.post("/api/v1/catalogs", "{\"name\":\"bench\"}"), 201);
            check(http.post("/api/v1/schemas", "{\"catalog_name\":\"bench\",\"name\":\"s\"}"), 201);
            check(
                    http.post(
                            "/api/v1/tables",
                            "{\"catalog_name\":\"bench\",\"schema_name\":\"s\",\"name\":\"big\",\"schema\":"
                                    + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                                    + "\"nullable\":false,\"metadata\":{}}]}}"),
                    201);
            var table = JSON.readTree(http.get("/api/v1/tables/bench.s.big").body());
            UUID id = UUID.fromString(table.get("table_id").asString());
            String location = table.get("location").asString();

            JdbcClient jdbc = app.getBean(JdbcClient.class);
            long t0 = System.nanoTime();
            jdbc.sql(FILL).param("id", id).param("files", files).update();
            jdbc.sql("ANALYZE files").update();
            System.out.printf("filled %,d live files in %.1f s%n", files, (System.nanoTime() - t0) / 1e9);

            DeltaLogCheckpointWriter writer = app.getBean(DeltaLogCheckpointWriter.class);
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            var written = writer.write(id, location, 1).orElseThrow();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "checkpoint of %,d files on %s: %.2f s, %,d actions, %,d bytes, peak heap used %d MB (max %d MB)%n",
                    files,
                    store.name(),
                    seconds,
                    written.size(),
                    written.sizeInBytes(),
                    peakHeapMb(),
                    Runtime.getRuntime().maxMemory() >> 20);

            // Kernel needs version 1's JSON next to the checkpoint; the live files all come from it.
            Storage storage = Storages.fromEnvironment(store.environment()).forLocation(location);
            storage.putIfAbsent(
                    storage.resolve(location, "_delta_log/00000000000000000001.json"),
                    ("{\"commitInfo\":{\"timestamp\":1700000000000,\"inCommitTimestamp\":" + System.currentTimeMillis()
                                    + ",\"operation\":\"WRITE\"}}\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long k0 = System.nanoTime();
            int live = KernelReader.read(location, 1L, DeltaKernelEngines.over(storage))
                    .livePaths()
                    .size();
            System.out.printf(
                    "Delta Kernel read %,d live files from it in %.1f s%n", live, (System.nanoTime() - k0) / 1e9);
            System.out.printf(
                    "RESULT storage=%s checkpoint_files=%d checkpoint_s=%.2f peak_heap_mb=%d kernel_files=%d %s%n",
                    store.name(), files, seconds, peakHeapMb(), live, io.deltaplane.testing.MachineCpu.loadAverage());
        } finally {
            app.close();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    private static void check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
