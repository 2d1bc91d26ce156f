package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.Storages;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A publisher round leases several tables and publishes every queued version of each with one
 * claim, one read and one progress mark, never more tables than {@code tables-per-round}; a round
 * that came back full wakes another worker at once.
 */
class PublishRoundTest extends PublishTestBase {

    @Autowired
    PublishRepository repository;

    @Autowired
    Storages storages;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PublishProperties properties;

    @Autowired
    PublishMetrics metrics;

    @Autowired
    Clock clock;

    @Test
    void oneRoundPublishesEveryQueuedVersionOfSeveralTables() {
        scheduler.stop();
        try {
            AtomicInteger wakeups = new AtomicInteger();
            DeltaLogPublisher publisher = publisher(3, wakeups);
            publisher.drain(); // whatever other tests left due
            wakeups.set(0);
            List<String> tables = List.of(tableWithVersions(3), tableWithVersions(3), tableWithVersions(3));

            assertThat(publisher.publishNext()).isTrue();

            for (String table : tables) {
                assertThat(publishStatus(table).get("published_version").asLong())
                        .as("%s after one round", table)
                        .isEqualTo(3);
                assertThat(names(logDir(table)))
                        .contains(String.format("%020d.json", 0), String.format("%020d.json", 3));
            }
            assertThat(wakeups).as("a full round brings in another worker").hasValue(1);
        } finally {
            scheduler.start();
        }
    }

    @Test
    void aRoundLeasesNoMoreTablesThanItMayAndTheNextRoundTakesTheRest() {
        scheduler.stop();
        try {
            AtomicInteger wakeups = new AtomicInteger();
            DeltaLogPublisher publisher = publisher(2, wakeups);
            publisher.drain();
            wakeups.set(0);
            List<String> tables = List.of(tableWithVersions(2), tableWithVersions(2), tableWithVersions(2));
            assertThat(tables.stream().map(this::published))
                    .as("only what creating a table publishes at once")
                    .containsOnly(0L);

            assertThat(publisher.publishNext()).isTrue();
            assertThat(tables.stream().map(this::published))
                    .as("two tables whole, the third untouched")
                    .containsExactlyInAnyOrder(2L, 2L, 0L);
            assertThat(wakeups).hasValue(1);

            assertThat(publisher.publishNext()).isTrue();
            assertThat(tables.stream().map(this::published)).containsOnly(2L);
            assertThat(wakeups).as("a round of one table is not full").hasValue(1);
            assertThat(publisher.publishNext()).isFalse();
        } finally {
            scheduler.start();
        }
    }

    private long published(String table) {
        return publishStatus(table).get("published_version").asLong();
    }

    /** A new table with versions 0 (its creation, published at once) to {@code last}. */
    private String tableWithVersions(int last) {
        String table = newTable();
        for (int v = 0; v < last; v++) {
            ok(commit(table, v, add("f" + v + ".parquet", 10 + v)), 201);
        }
        return table;
    }

    private DeltaLogPublisher publisher(int tablesPerRound, AtomicInteger wakeups) {
        PublishProperties p = properties;
        PublishProperties round = new PublishProperties(
                p.enabled(),
                p.pollInterval(),
                p.maxVersionsPerBatch(),
                p.checkpointInterval(),
                p.checkpointMinInterval(),
                p.checkpoints(),
                p.retryInitialBackoff(),
                p.retryMaxBackoff(),
                p.reconcileInterval(),
                p.checkpointLease(),
                p.workers(),
                p.lagGaugeTables(),
                p.lease(),
                tablesPerRound,
                p.gather());
        return new DeltaLogPublisher(
                repository, storages, transactions, round, metrics, clock, wakeups::incrementAndGet);
    }
}
