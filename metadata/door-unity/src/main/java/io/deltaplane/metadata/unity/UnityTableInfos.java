package io.deltaplane.metadata.unity;

import io.deltaplane.metadata.table.TableEntry;
import java.util.LinkedHashMap;

/** Unity Catalog's view of a table: a {@link TableEntry} as a {@code TableInfo}, from what the entry holds. */
final class UnityTableInfos {

    private UnityTableInfos() {}

    static UnityTableInfo of(TableEntry table) {
        var row = table.row();
        return new UnityTableInfo(
                row.name(),
                row.catalog(),
                row.schema(),
                table.type().name(),
                "DELTA",
                UnityColumns.of(table.schemaString(), row.partitionColumns()),
                row.location(),
                row.comment(),
                new LinkedHashMap<>(table.configuration()),
                table.owner(),
                UnityCatalogApi.millis(row.createdAt()),
                UnityCatalogApi.millis(row.updatedAt()),
                table.unityId());
    }
}
