package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storages;
import io.deltaplane.testing.IcebergReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two converters — two replicas of metadata-service, each with its own locks — racing on one
 * table's Iceberg metadata, version after version: every Delta version becomes exactly one Iceberg
 * snapshot, and the rows are Kernel's. Before, the loser of the pointer's compare-and-set was
 * retried by iceberg-core itself, which applied the version's files again on top of the winner's
 * snapshot of the same version (two snapshots for one version, rows read twice).
 */
class IcebergConversionRaceTest extends MaintenanceTestBase {

    private static final int VERSIONS = 12;

    @Autowired
    IcebergMetadataRepository repository;

    @Autowired
    Storages storages;

    @Autowired
    TableRepository tables;

    @Autowired
    IcebergProperties properties;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Autowired
    java.time.Clock clock;

    /** {@link #VERSIONS} appends of {@code rows} rows each to the lake's table; its row. */
    private TableRow withVersions(Lake lake, int rows) {
        for (int i = 0; i < VERSIONS; i++) {
            append(lake, "2026-11-0" + (1 + i % 3), i * 100L, rows);
        }
        UUID id = UUID.fromString(
                get("/api/v1/tables/" + lake.table()).get("table_id").asString());
        return tables.findById(id).orElseThrow();
    }

    @Test
    void twoReplicasConvertingOneTableMakeOneSnapshotPerVersion() throws Exception {
        Lake lake = lake("local");
        TableRow row = withVersions(lake, 3);
        assertThat(row.currentVersion()).isEqualTo(VERSIONS);

        List<IcebergConversion> replicas = List.of(
                new IcebergConversion(repository, storages, new SimpleMeterRegistry(), properties),
                new IcebergConversion(repository, storages, new SimpleMeterRegistry(), properties));
        CyclicBarrier together = new CyclicBarrier(replicas.size());
        ExecutorService threads = Executors.newFixedThreadPool(replicas.size());
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (IcebergConversion replica : replicas) {
                done.add(threads.submit(() -> {
                    for (long v = 0; v <= VERSIONS; v++) {
                        together.await(60, TimeUnit.SECONDS);
                        try {
                            replica.convertTo(row, v);
                        } catch (RuntimeException e) {
                            failures.add("version " + v + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            threads.shutdownNow();
        }
        // losing a race is no failure: the loser carries on from what the winner made
        assertThat(failures).isEmpty();

        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        try (RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            List<Long> versions = new ArrayList<>();
            for (Snapshot snapshot : table.snapshots()) {
                versions.add(Long.parseLong(snapshot.summary().get("deltaplane.delta-version")));
            }
            assertThat(versions).as("one snapshot per Delta version").doesNotHaveDuplicates();
            assertThat(versions).hasSize(VERSIONS + 1);
            for (var entry : IcebergReader.snapshotsByVersion(table).entrySet()) {
                assertThat(IcebergReader.rows(table, entry.getValue(), "id", "day", "amount"))
                        .as("version %d", entry.getKey())
                        .hasSameSizeAs(TableRows.read(lake.location(), entry.getKey(), lake.engine()));
            }
        }
    }

    /**
     * A replica that keeps losing the race for a table's pointer — a cold replica's long catch-up
     * while another one advances the pointer a version at a time, as {@code ScaleOutTest} found —
     * gives up transiently, never failing the table: before, after four lost races it answered 500
     * {@code ICEBERG_CONVERSION_FAILED} and marked the table failed. Here each time the slow
     * replica is about to swap the pointer, the other converts one version more first.
     */
    @Test
    void aReplicaThatKeepsLosingTheRaceGivesUpTransientlyAndNeverFailsTheTable() {
        Lake lake = lake("local");
        TableRow row = withVersions(lake, 2);
        UUID id = row.id();
        IcebergConversion fast = new IcebergConversion(repository, storages, new SimpleMeterRegistry(), properties);
        fast.convertTo(row, 0);
        java.util.concurrent.atomic.AtomicLong ahead = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger overtaken = new java.util.concurrent.atomic.AtomicInteger();
        IcebergMetadataRepository overtakenEachTime = new IcebergMetadataRepository(jdbc, transactions, clock) {
            @Override
            boolean swap(
                    UUID tableId, String expected, String newLocation, long deltaVersion, List<NewSnapshot> added) {
                if (tableId.equals(id) && ahead.get() < VERSIONS - 1) {
                    fast.convertTo(row, ahead.incrementAndGet()); // the other replica swaps first
                    overtaken.incrementAndGet();
                }
                return super.swap(tableId, expected, newLocation, deltaVersion, added);
            }
        };
        SimpleMeterRegistry slowMeters = new SimpleMeterRegistry();
        IcebergConversion slow = new IcebergConversion(overtakenEachTime, storages, slowMeters, properties);

        RuntimeException gaveUp = null;
        try {
            slow.convertTo(row, VERSIONS);
        } catch (RuntimeException e) {
            gaveUp = e;
        }
        assertThat(repository.state(id).orElseThrow().lastError())
                .as("the table is not marked failed")
                .isEmpty();
        assertThat(overtaken.get())
                .as("swaps the other replica got in first (the race fired)")
                .isGreaterThan(4);
        assertThat(gaveUp)
                .as("a replica that lost every race gives up as a transient failure")
                .isInstanceOf(org.apache.iceberg.exceptions.CommitFailedException.class);
        assertThat(ConversionFailures.isTransient(gaveUp)).isTrue();
        assertThat(slowMeters
                        .get("deltaplane.iceberg.conversions")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .as("conversions the slow replica counted failed")
                .isZero();
        assertThat(slowMeters
                        .get("deltaplane.iceberg.conversion.races.lost")
                        .counter()
                        .count())
                .as("races it counted lost")
                .isEqualTo(IcebergConversion.MAX_RACES);
        // a load is answered, and the metadata holds one snapshot per version
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        try (RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            List<Long> versions = new ArrayList<>();
            for (Snapshot snapshot :
                    client.loadTable(TableIdentifier.of("s", "t")).snapshots()) {
                versions.add(Long.parseLong(snapshot.summary().get("deltaplane.delta-version")));
            }
            assertThat(versions).doesNotHaveDuplicates().hasSize(VERSIONS + 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The background rounds of two replicas claim a table once: a round's claim (token and lease)
     * keeps the other replica's round off the table until it is released, or until its lease ends
     * when the replica died mid-round.
     */
    @Test
    void aRoundsClaimKeepsTheOtherReplicasRoundOffTheTable() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 3);
        String load = IcebergReader.ICEBERG + "/v1/catalogs/"
                + lake.table().substring(0, lake.table().indexOf('.')) + "/namespaces/s/tables/t";
        assertThat(http.get(load).statusCode()).isEqualTo(200); // read: kept current from now on
        append(lake, "2026-11-02", 10, 3);
        UUID id = UUID.fromString(
                get("/api/v1/tables/" + lake.table()).get("table_id").asString());
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant readSince = now.minusSeconds(3600);
        java.time.Instant retryBefore = now;
        java.time.Duration lease = java.time.Duration.ofMinutes(2);

        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        assertThat(repository.claimBehind(first, lease, readSince, retryBefore, 1000))
                .contains(id);
        assertThat(repository.claimBehind(second, lease, readSince, retryBefore, 1000))
                .as("claimed by the first replica's round")
                .doesNotContain(id);
        repository.release(id, second); // another token releases nothing
        assertThat(repository.claimBehind(second, lease, readSince, retryBefore, 1000))
                .doesNotContain(id);
        repository.release(id, first);
        assertThat(repository.claimBehind(second, lease, readSince, retryBefore, 1000))
                .contains(id);
        // a replica that died holding it: its lease ends and the table is claimed again
        UUID third = UUID.randomUUID();
        assertThat(repository.claimBehind(third, java.time.Duration.ofMillis(-1), readSince, retryBefore, 1000))
                .doesNotContain(id);
        repository.release(id, second);
        assertThat(repository.claimBehind(third, java.time.Duration.ofMillis(-1), readSince, retryBefore, 1000))
                .contains(id);
        assertThat(repository.claimBehind(first, lease, readSince, retryBefore, 1000))
                .as("the dead claim's lease has ended")
                .contains(id);
    }
}
