package io.deltaplane.metadata.unity;

import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A table as Unity Catalog's API shows it ({@code TableInfo}). */
public record UnityTableInfo(
        String name,
        String catalogName,
        String schemaName,
        String tableType,
        String dataSourceFormat,
        List<ColumnInfo> columns,
        String storageLocation,
        String comment,
        Map<String, String> properties,
        String owner,
        Long createdAt,
        Long updatedAt,
        UUID tableId) {}
