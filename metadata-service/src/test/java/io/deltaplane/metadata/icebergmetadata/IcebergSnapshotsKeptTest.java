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
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Iceberg readers travel the newest {@code snapshots-kept} versions: a table's first conversion
 * starts that many versions back (the backfill of an old table is as cheap as a young one's), and
 * as the table grows, older snapshots expire in batches, so its metadata file — what every load
 * reads — stays bounded. Every snapshot kept reads Kernel's rows of its version.
 */
class IcebergSnapshotsKeptTest extends MaintenanceTestBase {

    private static final int KEPT = 5;

    @Autowired
    IcebergMetadataRepository repository;

    @Autowired
    Storages storages;

    @Autowired
    TableRepository tables;

    @Autowired
    IcebergProperties defaults;

    @Test
    void aFirstConversionStartsKeptVersionsBackAndOlderSnapshotsExpireAsTheTableGrows() throws Exception {
        IcebergProperties fewKept = new IcebergProperties(
                false,
                defaults.interval(),
                defaults.tablesPerRound(),
                defaults.retryAfter(),
                defaults.maxStaleness(),
                defaults.keepCurrentFor(),
                defaults.recentSnapshots(),
                KEPT);
        IcebergConversion conversion = new IcebergConversion(repository, storages, new SimpleMeterRegistry(), fewKept);
        Lake lake = lake("local");
        for (int i = 0; i < 12; i++) {
            append(lake, "2026-11-0" + (1 + i % 3), i * 100L, 3);
        }
        UUID id = UUID.fromString(
                get("/api/v1/tables/" + lake.table()).get("table_id").asString());

        conversion.convertTo(row(id), 12);
        assertThat(versions(lake)).as("the backfill starts at version 8").containsExactly(8L, 9L, 10L, 11L, 12L);

        // one more than a tenth over KEPT: nothing expires yet; then a batch expires down to KEPT
        append(lake, "2026-11-01", 5000, 3);
        conversion.convertTo(row(id), 13);
        assertThat(versions(lake)).containsExactly(8L, 9L, 10L, 11L, 12L, 13L);
        append(lake, "2026-11-02", 6000, 3);
        conversion.convertTo(row(id), 14);
        assertThat(versions(lake)).containsExactly(10L, 11L, 12L, 13L, 14L);

        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        try (RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            for (var entry : IcebergReader.snapshotsByVersion(table).entrySet()) {
                List<String> iceberg = IcebergReader.rows(
                        table,
                        entry.getValue(),
                        record -> String.format(
                                "%08d|%s|%s",
                                (Long) record.getField("id"),
                                record.getField("day"),
                                IcebergReader.render(record.getField("amount"))));
                assertThat(iceberg)
                        .as("version %d", entry.getKey())
                        .containsExactlyInAnyOrderElementsOf(
                                TableRows.read(lake.location(), entry.getKey(), lake.engine()));
            }
        }
    }

    private TableRow row(UUID id) {
        return tables.findById(id).orElseThrow();
    }

    private List<Long> versions(Lake lake) throws Exception {
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        try (RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            List<Long> versions = new ArrayList<>();
            for (Snapshot snapshot : table.snapshots()) {
                versions.add(Long.parseLong(snapshot.summary().get("deltaplane.delta-version")));
            }
            versions.sort(null);
            return versions;
        }
    }
}
