package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.iceberg.IcebergRestController;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.table.TableRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A commit wakes the background converter of a replica that knows an Iceberg client reads the
 * table: replica A here is built beside the test's service with a poll interval of an hour, so only
 * a wake-up can run its round. It learns of a load served by another replica from Postgres (the
 * refresh each round starts with), not before; a table no Iceberg client read is not among those
 * it wakes for.
 */
class IcebergWakeOnCommitTest extends MaintenanceTestBase {

    @Autowired
    IcebergMetadataRepository repository;

    @Autowired
    TableRepository tables;

    @Autowired
    IcebergTables iceberg;

    @Autowired
    IcebergConversion conversion;

    @Autowired
    IcebergProperties defaults;

    @Test
    void aCommitToATableIcebergReadsIsConvertedAtOnceByTheReplicaItWakes() throws Exception {
        IcebergProperties hourly = new IcebergProperties(
                true,
                Duration.ofHours(1),
                defaults.tablesPerRound(),
                defaults.retryAfter(),
                defaults.maxStaleness(),
                defaults.keepCurrentFor(),
                defaults.recentSnapshots(),
                defaults.snapshotsKept());
        RecentlyReadTables readOnA = new RecentlyReadTables(repository, hourly, Clock.systemUTC());
        IcebergPublisher replicaA = new IcebergPublisher(
                repository,
                tables,
                iceberg,
                conversion,
                readOnA,
                hourly,
                io.deltaplane.support.loop.ProcessRole.ALL,
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        Lake read = lake("local");
        append(read, "2026-11-01", 0, 3);
        Lake unread = lake("local");
        append(unread, "2026-11-01", 0, 3);
        UUID readId = id(read.table());
        UUID unreadId = id(unread.table());

        // loaded through the test's service (another replica, as far as A knows)
        assertThat(http.get(loadPath(read.table())).statusCode()).isEqualTo(200);
        assertThat(readOnA.contains(readId)).as("before A's refresh").isFalse();
        readOnA.refresh();
        assertThat(readOnA.contains(readId)).as("after A's refresh").isTrue();
        assertThat(readOnA.contains(unreadId)).isFalse();

        replicaA.start();
        try {
            append(read, "2026-11-02", 10, 3);
            append(unread, "2026-11-02", 10, 3);
            assertThat(icebergVersion(read.table())).isEqualTo(1);
            // as A's own commits tell it (the test's service runs no background loop)
            replicaA.committed(readId);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (icebergVersion(read.table()) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(icebergVersion(read.table()))
                    .as("converted by A's woken round")
                    .isEqualTo(2);
            assertThat(get("/api/v1/tables/" + unread.table() + "/publish")
                            .get("iceberg")
                            .isNull())
                    .as("a table no Iceberg client read: nothing made")
                    .isTrue();
        } finally {
            replicaA.stop();
        }
    }

    private UUID id(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }

    private long icebergVersion(String table) {
        return get("/api/v1/tables/" + table + "/publish")
                .get("iceberg")
                .get("delta_version")
                .asLong();
    }

    private static String loadPath(String table) {
        String[] parts = table.split("\\.");
        return IcebergRestController.BASE + "/v1/catalogs/" + parts[0] + "/namespaces/" + parts[1] + "/tables/"
                + parts[2];
    }
}
