package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two publisher instances ("replicas") on one queue never write the same version twice. */
class PublisherConcurrencyTest extends PublishTestBase {

    @Test
    void twoPublishersShareTheQueueAndWriteEachVersionExactlyOnce() throws Exception {
        scheduler.stop();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> tables = List.of(newTable(), newTable(), newTable());
            List<Path> logs = tables.stream().map(this::logDir).toList();
            Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
            Map<String, String> writer = new ConcurrentHashMap<>();
            List<String> doubleWrites = new ArrayList<>();

            List<DeltaLogPublisher> replicas = new ArrayList<>();
            for (String name : List.of("replica-a", "replica-b")) {
                replicas.add(new DeltaLogPublisher(
                        repository,
                        commitRows,
                        new Storages(List.of(TestStorages.wrap(
                                new LocalFileStorage(), (real, path, content, before) -> {
                                    if (before && logs.stream().anyMatch(l -> path.startsWith(l.toString()))) {
                                        attempts.computeIfAbsent(path, p -> new AtomicInteger())
                                                .incrementAndGet();
                                        String previous = writer.putIfAbsent(path, name);
                                        if (previous != null) {
                                            synchronized (doubleWrites) {
                                                doubleWrites.add(path + " by " + previous + " and " + name);
                                            }
                                        }
                                    }
                                }))),
                        transactions,
                        properties,
                        metrics,
                        clock));
            }
            AtomicBoolean committing = new AtomicBoolean(true);
            List<Future<Integer>> loops = new ArrayList<>();
            for (DeltaLogPublisher replica : replicas) {
                loops.add(pool.submit(() -> {
                    int rounds = 0;
                    while (committing.get()) {
                        rounds += replica.drain();
                        Thread.sleep(2);
                    }
                    return rounds + replica.drain();
                }));
            }
            int versions = 15;
            for (int v = 0; v < versions; v++) {
                for (String table : tables) {
                    ok(commit(table, v, add("f" + v + ".parquet", 1 + v)), 201);
                }
            }
            committing.set(false);
            for (Future<Integer> loop : loops) {
                loop.get();
            }

            assertThat(doubleWrites).isEmpty();
            for (int t = 0; t < tables.size(); t++) {
                for (int v = 0; v <= versions; v++) {
                    String path =
                            logs.get(t).resolve(String.format("%020d.json", v)).toString();
                    assertThat(attempts.get(path)).as("writes of %s", path).hasValue(1);
                }
                assertThat(publishStatus(tables.get(t)).get("lag_versions").asLong())
                        .isZero();
            }
        } finally {
            pool.shutdownNow();
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }
}
