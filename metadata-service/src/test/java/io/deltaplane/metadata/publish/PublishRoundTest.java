package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A publisher round leases several tables and publishes every queued version of each with one
 * claim, one read and one progress mark, never more tables than {@code tables-per-round}; a round
 * that came back full wakes another worker at once; its tables are written side by side.
 */
class PublishRoundTest extends PublishTestBase {

    @Autowired
    Storages storages;

    @Test
    void oneRoundPublishesEveryQueuedVersionOfSeveralTables() {
        scheduler.stop();
        try {
            AtomicInteger wakeups = new AtomicInteger();
            DeltaLogPublisher publisher = publisher(3, wakeups, storages);
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
            DeltaLogPublisher publisher = publisher(2, wakeups, storages);
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

    @Test
    void aTableWhoseStoreStallsDoesNotHoldUpTheOtherTablesOfItsRound() throws Exception {
        scheduler.stop();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch resume = new CountDownLatch(1);
        try {
            publisher(2, new AtomicInteger(), storages).drain();
            String slow = tableWithVersions(2);
            String fast = tableWithVersions(2);
            Path slowLog = logDir(slow);
            CountDownLatch stalled = new CountDownLatch(1);
            Storage stalling = TestStorages.wrap(new LocalFileStorage(), (real, path, content, before) -> {
                if (before && path.startsWith(slowLog.toString())) {
                    stalled.countDown();
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            DeltaLogPublisher publisher = publisher(2, new AtomicInteger(), new Storages(List.of(stalling)));

            Future<Boolean> round = pool.submit(publisher::publishNext);
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
            // The other table's versions land while the slow one's first put hangs.
            Path fastLog = logDir(fast);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(fastLog.resolve(String.format("%020d.json", 2)))) {
                assertThat(System.nanoTime())
                        .as("%s written while %s stalls", fast, slow)
                        .isLessThan(deadline);
                sleep(10);
            }
            assertThat(names(slowLog)).doesNotContain(String.format("%020d.json", 1));

            resume.countDown();
            assertThat(round.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(published(slow)).isEqualTo(2);
            assertThat(published(fast)).isEqualTo(2);
        } finally {
            resume.countDown();
            pool.shutdownNow();
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

    @Test
    void aRoundSaysMoreIsDueOnlyWhenItWasFullOrLeftVersionsOfATable() {
        scheduler.stop();
        try {
            DeltaLogPublisher publisher = publisher(2, new AtomicInteger(), storages);
            publisher.drain(); // whatever other tests left due
            List<String> tables = List.of(tableWithVersions(2), tableWithVersions(2), tableWithVersions(2));

            assertThat(publisher.publishRound()).as("two tables of three: full").isTrue();
            assertThat(publisher.publishRound())
                    .as("the third table, the last due: the loop waits instead of claiming again")
                    .isFalse();
            assertThat(tables.stream().map(this::published)).containsOnly(2L);
            assertThat(publisher.publishRound()).as("nothing due").isFalse();

            // one table, 5 versions queued, 2 written per batch: not full, but versions left
            DeltaLogPublisher twoAtATime = new DeltaLogPublisher(
                    repository,
                    commitRows,
                    storages,
                    transactions,
                    with(properties, properties.lease(), 2, 2),
                    metrics,
                    clock,
                    () -> {});
            String table = tableWithVersions(5);
            assertThat(twoAtATime.publishRound()).as("versions 1-2 of 5").isTrue();
            assertThat(twoAtATime.publishRound()).as("versions 3-4 of 5").isTrue();
            assertThat(twoAtATime.publishRound()).as("version 5, the last").isFalse();
            assertThat(published(table)).isEqualTo(5);
        } finally {
            scheduler.start();
        }
    }

    private DeltaLogPublisher publisher(int tablesPerRound, AtomicInteger wakeups, Storages storages) {
        PublishProperties round = with(properties, properties.lease(), tablesPerRound);
        return new DeltaLogPublisher(
                repository, commitRows, storages, transactions, round, metrics, clock, wakeups::incrementAndGet);
    }
}
