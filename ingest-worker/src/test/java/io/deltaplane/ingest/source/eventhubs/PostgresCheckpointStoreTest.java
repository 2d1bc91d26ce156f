package io.deltaplane.ingest.source.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import io.deltaplane.ingest.IngestSpringTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Event Hubs checkpoint store for real against Postgres: ownership races and checkpoints. */
class PostgresCheckpointStoreTest extends IngestSpringTest {

    static final int CONTENDERS = 8;

    @Autowired
    PostgresCheckpointStore store;

    final String namespace = "ns-" + UUID.randomUUID() + ".servicebus.windows.net";

    PartitionOwnership claim(String partition, String owner, String etag) {
        return new PartitionOwnership()
                .setFullyQualifiedNamespace(namespace)
                .setEventHubName("hub")
                .setConsumerGroup("$Default")
                .setPartitionId(partition)
                .setOwnerId(owner)
                .setETag(etag);
    }

    /** Every contender claims at the same moment; returns the claims that won. */
    List<PartitionOwnership> race(String partition, String etag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<PartitionOwnership>>> futures = new ArrayList<>();
            for (int i = 0; i < CONTENDERS; i++) {
                String owner = "worker-" + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return store.claimOwnership(List.of(claim(partition, owner, etag)))
                            .collectList()
                            .block();
                }));
            }
            go.countDown();
            List<PartitionOwnership> won = new ArrayList<>();
            for (Future<List<PartitionOwnership>> f : futures) {
                won.addAll(f.get());
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentClaimsOnlyOneWinsEachEtag() throws Exception {
        for (int partition = 0; partition < 4; partition++) {
            String p = Integer.toString(partition);
            // First claim of an unowned partition (no eTag): one winner.
            List<PartitionOwnership> first = race(p, null);
            assertThat(first).hasSize(1);
            String etag = first.get(0).getETag();
            // Everyone now tries to steal it with the same (current) eTag: again exactly one winner.
            for (int round = 0; round < 3; round++) {
                List<PartitionOwnership> won = race(p, etag);
                assertThat(won).hasSize(1);
                assertThat(won.get(0).getETag()).isNotEqualTo(etag);
                etag = won.get(0).getETag();
                List<PartitionOwnership> stored = store.listOwnership(namespace, "hub", "$Default")
                        .filter(o -> o.getPartitionId().equals(p))
                        .collectList()
                        .block();
                assertThat(stored).hasSize(1);
                assertThat(stored.get(0).getOwnerId()).isEqualTo(won.get(0).getOwnerId());
                assertThat(stored.get(0).getETag()).isEqualTo(etag);
            }
            // A stale eTag never wins.
            assertThat(store.claimOwnership(
                                    List.of(claim(p, "late", first.get(0).getETag())))
                            .collectList()
                            .block())
                    .isEmpty();
        }
        assertThat(store.listOwnership(namespace, "hub", "$Default")
                        .collectList()
                        .block())
                .hasSize(4);
        assertThat(store.listOwnership(namespace, "other-hub", "$Default")
                        .collectList()
                        .block())
                .isEmpty();
    }

    @Test
    void checkpointsAreUpsertedPerPartition() {
        Checkpoint checkpoint = new Checkpoint()
                .setFullyQualifiedNamespace(namespace)
                .setEventHubName("hub")
                .setConsumerGroup("$Default")
                .setPartitionId("3")
                .setSequenceNumber(41L)
                .setOffsetString("4920");
        store.updateCheckpoint(checkpoint).block();
        store.updateCheckpoint(checkpoint.setSequenceNumber(42L).setOffsetString("5040"))
                .block();
        List<Checkpoint> listed = store.listCheckpoints(namespace, "hub", "$Default")
                .collectList()
                .block();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).getPartitionId()).isEqualTo("3");
        assertThat(listed.get(0).getSequenceNumber()).isEqualTo(42L);
        assertThat(listed.get(0).getOffsetString()).isEqualTo("5040");

        Checkpoint empty = new Checkpoint()
                .setFullyQualifiedNamespace(namespace)
                .setEventHubName("hub")
                .setConsumerGroup("$Default")
                .setPartitionId("1");
        assertThatThrownBy(() -> store.updateCheckpoint(empty).block()).isInstanceOf(IllegalArgumentException.class);
    }
}
