package io.deltaplane.ingest.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storages;
import io.deltaplane.testing.PlatformApps;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two workers writing one Delta target from one shared warehouse — two sinks on two connections of
 * one DuckDB instance, as several workers share one MotherDuck database — against the real
 * metadata-service, with Delta Kernel reading the table back. Worker a is held between uploading its
 * batch's file and committing it, while worker b opens its sink (a scale-up, a rolling update, a
 * restart after a failed batch): b must not settle a's batch in flight, and once a's lease has run
 * out and b has settled it, a must give it up rather than commit a version naming a deleted file.
 */
class SharedWarehouseTest {

    static PlatformApps apps;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPlatform() throws Exception {
        apps = DeltaTestPlatform.get().apps;
    }

    @Test
    void aWorkerOpeningBesideALiveOneLeavesItsBatchInFlightAlone() throws Exception {
        String table = "lake.ingest.beside_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("beside", "beside-topic", table, List.of(), 1_000, 100);
        HeldUploads held = new HeldUploads();
        try (Warehouse warehouse = Warehouse.open(dir.resolve("shared.duckdb").toString())) {
            SinkFactory a = worker(warehouse, mapping, "worker-a", held.storages(), Clock.systemUTC());
            SinkFactory b = worker(warehouse, mapping, "worker-b", plainStorages(), Clock.systemUTC());
            try (Sink sinkA = a.open()) {
                CompletableFuture<BatchResult> inFlight = writeAsync(sinkA, events(0, 0, 10));
                held.awaitUploaded(inFlight);
                try (Sink sinkB = b.open()) {
                    held.release();
                    assertThat(inFlight.get(60, TimeUnit.SECONDS).rows()).isEqualTo(10);
                    sinkB.write(events(1, 0, 10), Map.of());
                }
            }
            String location = DeltaExactlyOnceTest.location(table);
            DeltaExactlyOnceTest.awaitPublished(table, location);
            assertEveryReferencedFileExists(table, location);
            assertThat(DeltaRows.read(location, null)).hasSize(20);
            try (Sink again = b.open()) {
                assertThat(again.positions()).containsEntry(0, 10L).containsEntry(1, 10L);
                assertThat(again.totals().rows()).isEqualTo(20);
            }
        }
    }

    @Test
    void aBatchWhoseLeaseRanOutIsSettledByAnotherWorkerAndItsOwnerGivesItUp() throws Exception {
        String table = "lake.ingest.lapsed_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("lapsed", "lapsed-topic", table, List.of(), 1_000, 100);
        HeldUploads held = new HeldUploads();
        // worker b's clock is past worker a's lease: to b, a looks dead
        Clock later = Clock.fixed(
                Instant.now().plus(DeltaTestSinks.PENDING_LEASE).plus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        try (Warehouse warehouse = Warehouse.open(dir.resolve("lapsed.duckdb").toString())) {
            SinkFactory a = worker(warehouse, mapping, "worker-a", held.storages(), Clock.systemUTC());
            SinkFactory b = worker(warehouse, mapping, "worker-b", plainStorages(), later);
            String location;
            try (Sink sinkA = a.open()) {
                CompletableFuture<BatchResult> inFlight = writeAsync(sinkA, events(0, 0, 10));
                Path uploaded = held.awaitUploaded(inFlight);
                location = DeltaExactlyOnceTest.location(table);
                try (Sink sinkB = b.open()) {
                    assertThat(uploaded)
                            .as("worker b settled a's batch: it had not landed, so its file is gone")
                            .doesNotExist();
                    held.release();
                    assertThat(failure(inFlight))
                            .as("worker a gives the batch up")
                            .isInstanceOf(BatchTakenOver.class)
                            .hasMessageContaining("settled by another session");
                    assertThat(sinkB.positions()).doesNotContainKey(0);
                }
            }
            DeltaExactlyOnceTest.awaitPublished(table, location);
            assertEveryReferencedFileExists(table, location);
            assertThat(DeltaRows.read(location, null)).isEmpty();

            // worker a starts again from the table's positions and writes the events once
            try (Sink sinkA = a.open()) {
                assertThat(sinkA.positions()).doesNotContainKey(0);
                sinkA.write(events(0, 0, 10), Map.of());
                assertThat(sinkA.totals().rows()).isEqualTo(10);
            }
            DeltaExactlyOnceTest.awaitPublished(table, location);
            assertEveryReferencedFileExists(table, location);
            assertThat(DeltaRows.read(location, null)).hasSize(10);
        }
    }

    /** Two workers writing their own partitions side by side: neither waits on nor fails for the other's bookkeeping. */
    @Test
    void twoWorkersWritingAtOnceBothLandEveryBatchAndTheTotalsAddUp() throws Exception {
        String table = "lake.ingest.side_" + UUID.randomUUID().toString().substring(0, 8);
        MappingSpec mapping = TestMappings.kafkaToDelta("side", "side-topic", table, List.of(), 1_000, 100);
        int batches = 8;
        try (Warehouse warehouse = Warehouse.open(dir.resolve("side.duckdb").toString())) {
            SinkFactory a = worker(warehouse, mapping, "worker-a", plainStorages(), Clock.systemUTC());
            SinkFactory b = worker(warehouse, mapping, "worker-b", plainStorages(), Clock.systemUTC());
            try (Sink sinkA = a.open();
                    Sink sinkB = b.open()) {
                CompletableFuture<Integer> writesA = writeAll(sinkA, 0, batches);
                CompletableFuture<Integer> writesB = writeAll(sinkB, 1, batches);
                assertThat(writesA.get(120, TimeUnit.SECONDS)).isEqualTo(batches);
                assertThat(writesB.get(120, TimeUnit.SECONDS)).isEqualTo(batches);
                // each sink books its last landed batch when it next writes or reads its totals
                sinkB.totals();
                assertThat(sinkA.totals().rows()).isEqualTo(2L * batches * 10);
            }
            String location = DeltaExactlyOnceTest.location(table);
            DeltaExactlyOnceTest.awaitPublished(table, location);
            assertThat(DeltaRows.read(location, null)).hasSize(2 * batches * 10);
            try (Sink again = b.open()) {
                assertThat(again.totals().rows()).isEqualTo(2L * batches * 10);
                assertThat(again.totals().batches()).isEqualTo(2L * batches);
            }
        }
    }

    /** Writes {@code batches} batches of ten events of {@code partition} in order; the number written. */
    private static CompletableFuture<Integer> writeAll(Sink sink, int partition, int batches) {
        return CompletableFuture.supplyAsync(() -> {
            int written = 0;
            try {
                for (long from = 0; written < batches; from += 10) {
                    sink.write(events(partition, from, from + 10), from == 0 ? Map.of() : Map.of(partition, from));
                    written++;
                }
            } catch (Exception e) {
                throw new CompletionException("batch " + written + " of partition " + partition, e);
            }
            return written;
        });
    }

    private SinkFactory worker(Warehouse warehouse, MappingSpec mapping, String id, Storages storages, Clock clock)
            throws IOException {
        Path staging = Files.createDirectories(dir.resolve(id));
        return DeltaTestSinks.factory(
                warehouse,
                mapping,
                apps.metadataUrl(),
                PlatformApps.ADMIN_KEY,
                staging,
                CommitObserver.NONE,
                storages,
                id,
                clock);
    }

    private static Storages plainStorages() {
        return new Storages(List.of(new LocalFileStorage()));
    }

    private static CompletableFuture<BatchResult> writeAsync(Sink sink, SinkBatch batch) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sink.write(batch, Map.of());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the write succeeded");
    }

    private static SinkBatch events(int partition, long from, long to) {
        SinkBatch batch = new SinkBatch((int) (to - from));
        for (long o = from; o < to; o++) {
            batch.add(partition, o, 1_767_225_600_000L, TestMappings.good(4 * o + partition));
        }
        return batch;
    }

    /** Every data file the table's current snapshot names is in its location (none was deleted under it). */
    private static void assertEveryReferencedFileExists(String table, String location) throws Exception {
        JsonNode files = DeltaExactlyOnceTest.get("/api/v1/tables/" + table + "/snapshot/files?max_results=1000")
                .get("files");
        List<String> missing = new ArrayList<>();
        for (JsonNode file : files) {
            Path path = Path.of(URI.create(location)).resolve(file.get("path").asString());
            if (!Files.exists(path)) {
                missing.add(file.get("path").asString());
            }
        }
        assertThat(missing).as("files the table references that are not there").isEmpty();
    }

    /** Local storage whose first upload is held, after the file is written, until the test releases it. */
    private static final class HeldUploads {
        private final CountDownLatch uploaded = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Path first;

        Storages storages() {
            return new Storages(List.of(new LocalFileStorage() {
                @Override
                public boolean putFileIfAbsent(String path, Path file) throws IOException {
                    boolean put = super.putFileIfAbsent(path, file);
                    if (uploaded.getCount() > 0) {
                        first = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
                        uploaded.countDown();
                        try {
                            if (!released.await(60, TimeUnit.SECONDS)) {
                                throw new IOException("never released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    return put;
                }
            }));
        }

        /** Waits for the held upload; fails with the write's own failure if it ended before uploading. */
        Path awaitUploaded(CompletableFuture<?> write) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!uploaded.await(50, TimeUnit.MILLISECONDS)) {
                if (write.isDone()) {
                    write.get(); // throws the write's failure
                    throw new AssertionError("worker a's write ended without uploading");
                }
                assertThat(System.nanoTime()).as("worker a uploaded its file").isLessThan(deadline);
            }
            return first;
        }

        void release() {
            released.countDown();
        }
    }
}
